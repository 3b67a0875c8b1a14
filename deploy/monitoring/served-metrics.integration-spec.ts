import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ALL_SERVICES, REPO_ROOT, RunningPlatform, type ServiceName } from '@itsm/testing';
import { metricNamesIn, metricNamesInVariableQuery, servedMetricNames } from './promql';

const DASHBOARDS = join(REPO_ROOT, 'deploy/grafana/dashboards');
const RULES = join(REPO_ROOT, 'deploy/prometheus');
/** What Prometheus records of every target itself, beside what the target serves. */
const PER_TARGET = ['up'];

/** The platform's own metrics each service serves; the rest is prom-client's process and Node.js figures and HTTP timings. */
const COMMON = [
  'itsm_dead_letters_unsettled',
  'itsm_kafka_consumer_lag_messages',
  'itsm_outbox_oldest_publishable_age_seconds',
  'itsm_outbox_parked_events',
  'itsm_outbox_pending_events',
  'itsm_ready',
  'itsm_retention_deleted_rows_total',
  'itsm_service_client_request_duration_seconds_bucket',
  'itsm_service_client_request_duration_seconds_count',
  'itsm_service_client_request_duration_seconds_sum',
];
const OWN: Record<ServiceName, string[]> = {
  gateway: [
    ...COMMON,
    'itsm_gateway_live_changes_sent_total',
    'itsm_gateway_live_events_consumed_total',
    'itsm_gateway_live_streams',
    'itsm_gateway_live_streams_ended_total',
    'itsm_gateway_live_streams_refused_total',
  ].sort(),
  incident: COMMON,
  problem: COMMON,
  change: COMMON,
  cmdb: COMMON,
  reporting: COMMON,
  slm: [
    ...COMMON,
    'itsm_sla_scheduler_event_watermark_lag_seconds',
    'itsm_sla_timer_firing_lateness_seconds_bucket',
    'itsm_sla_timer_firing_lateness_seconds_count',
    'itsm_sla_timer_firing_lateness_seconds_sum',
    'itsm_sla_timer_firings_total',
    'itsm_sla_timers_due_soon',
    'itsm_sla_timers_late',
    'itsm_sla_timers_late_oldest_seconds',
  ].sort(),
};

interface Dashboard {
  panels: { title: string; targets?: { expr: string }[] }[];
  templating: { list: { type: string; query: string | { query: string } }[] };
}

/** Every metric name a dashboard's queries and variables read. */
function dashboardMetrics(file: string): string[] {
  const dashboard = JSON.parse(readFileSync(join(DASHBOARDS, file), 'utf8')) as Dashboard;
  const names = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) => metricNamesIn(target.expr)),
  );
  for (const variable of dashboard.templating.list.filter((v) => v.type === 'query'))
    names.push(
      ...metricNamesInVariableQuery(
        typeof variable.query === 'string' ? variable.query : variable.query.query,
      ),
    );
  return [...new Set(names)].sort();
}

interface RuleGroups {
  groups: { rules: { alert?: string; record?: string; expr: string }[] }[];
}

/** Every alert of every rule file, with the metric names its expression reads. */
function ruleMetrics(): { alert: string; names: string[] }[] {
  return readdirSync(RULES)
    .filter((file) => file.endsWith('.rules.yml'))
    .flatMap((file) =>
      (parse(readFileSync(join(RULES, file), 'utf8')) as RuleGroups).groups.flatMap((group) =>
        group.rules.map((rule) => ({
          alert: rule.alert ?? rule.record ?? '',
          names: metricNamesIn(rule.expr),
        })),
      ),
    );
}

/**
 * What each service serves on its metrics port, listed, and what the dashboards and alert
 * rules read, checked against it: a panel or an alert on a metric no service serves (a
 * typo, a renamed metric) would show nothing and never fire.
 */
describe('the metrics the services serve', () => {
  let platform: RunningPlatform;
  const served = new Map<ServiceName, string[]>();
  const expositions = new Map<ServiceName, string>();

  beforeAll(async () => {
    platform = await RunningPlatform.start(ALL_SERVICES);
    for (const name of ALL_SERVICES) {
      const response = await fetch(`${platform.service(name).metricsUrl}/metrics`);
      expect(response.status).toBe(200);
      const text = await response.text();
      expositions.set(name, text);
      served.set(name, servedMetricNames(text));
    }
  }, 240_000);

  afterAll(async () => {
    await platform?.stop();
  });

  const servedBy = (name: ServiceName) => [...(served.get(name) ?? []), ...PER_TARGET];

  it.each(ALL_SERVICES)(
    '%s serves the platform’s own metrics, HTTP timings and process figures',
    (name) => {
      const names = served.get(name) ?? [];
      expect(names.filter((metric) => metric.startsWith('itsm_'))).toEqual(OWN[name]);
      expect(names).toEqual(
        expect.arrayContaining([
          'http_server_request_duration_seconds_bucket',
          'http_server_request_duration_seconds_count',
          'process_cpu_seconds_total',
          'process_resident_memory_bytes',
          'nodejs_heap_size_used_bytes',
          'nodejs_eventloop_lag_p99_seconds',
        ]),
      );
    },
  );

  it('a consuming service reports its readiness and its group’s lag on each partition it reads', () => {
    const incident = expositions.get('incident') ?? '';
    expect(incident).toMatch(/^itsm_ready 1$/m);
    expect(incident).toMatch(
      /^itsm_kafka_consumer_lag_messages\{consumer_group="[^"]+",topic="[^"]+",partition="\d+"\} \d+$/m,
    );
    // The gateway's only consumer, the live feed, commits nothing: no lag series, only the family's description.
    expect(expositions.get('gateway')).not.toMatch(/^itsm_kafka_consumer_lag_messages\{/m);
  });

  it.each(ALL_SERVICES)('the %s dashboard reads only metrics that service serves', (name) => {
    const missing = dashboardMetrics(`${name}.json`).filter(
      (metric) => !servedBy(name).includes(metric),
    );
    expect(missing).toEqual([]);
  });

  it('the platform dashboard reads only metrics the services serve', () => {
    const all = new Set(ALL_SERVICES.flatMap(servedBy));
    expect(dashboardMetrics('platform.json').filter((metric) => !all.has(metric))).toEqual([]);
  });

  it('every alert rule reads only metrics the services serve', () => {
    const all = new Set(ALL_SERVICES.flatMap(servedBy));
    const rules = ruleMetrics();
    expect(rules.length).toBeGreaterThan(0);
    const missing = rules.flatMap(({ alert, names }) =>
      names.filter((metric) => !all.has(metric)).map((metric) => `${alert}: ${metric}`),
    );
    expect(missing).toEqual([]);
  });

  it('the SLA timer engine’s metrics are served by slm alone', () => {
    for (const name of ALL_SERVICES.filter((service) => service !== 'slm'))
      expect((served.get(name) ?? []).filter((metric) => metric.startsWith('itsm_sla_'))).toEqual(
        [],
      );
  });
});
