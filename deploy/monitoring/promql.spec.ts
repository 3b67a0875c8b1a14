import { metricNamesIn, metricNamesInVariableQuery, servedMetricNames } from './promql';

describe('the metric names in a PromQL expression', () => {
  it('are the selectors’ names, each once, not the functions, labels or strings around them', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.99, sum by (job, le) (rate(http_server_request_duration_seconds_bucket{job=~"$job",route!~"/health/.*"}[$__rate_interval]))) > on(job) group_left max by (job) (itsm_ready) or up == 0 and up',
      ),
    ).toEqual(['http_server_request_duration_seconds_bucket', 'itsm_ready', 'up']);
  });

  it('read a `__name__` matcher, subqueries and offsets', () => {
    expect(
      metricNamesIn(
        'deriv(sum(max by (partition) ({__name__="itsm_kafka_consumer_lag_messages"}))[10m:1m]) + rate(a_total[5m] offset 1h)',
      ),
    ).toEqual(['itsm_kafka_consumer_lag_messages', 'a_total']);
  });

  it('refuse what is not PromQL', () => {
    expect(() => metricNamesIn('sum(rate(x[5m])')).toThrow(/not PromQL/);
  });

  it('come out of a Grafana label_values query', () => {
    expect(
      metricNamesInVariableQuery(
        'label_values(itsm_outbox_pending_events{namespace=~"$namespace"}, job)',
      ),
    ).toEqual(['itsm_outbox_pending_events']);
    expect(metricNamesInVariableQuery('prometheus')).toEqual([]);
  });
});

describe('the metric names an exposition serves', () => {
  it('are its families’ names, a histogram’s suffixed series included', () => {
    const exposition = [
      '# HELP itsm_ready 1 when ready.',
      '# TYPE itsm_ready gauge',
      'itsm_ready 1',
      '# HELP lateness Lateness.',
      '# TYPE lateness histogram',
      'lateness_bucket{le="+Inf"} 0',
      '# TYPE firings_total counter',
    ].join('\n');
    expect(servedMetricNames(exposition)).toEqual([
      'firings_total',
      'itsm_ready',
      'lateness_bucket',
      'lateness_count',
      'lateness_sum',
    ]);
  });
});
