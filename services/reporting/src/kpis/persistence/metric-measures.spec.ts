import { METRICS } from '../domain/metric-definitions';
import { METRIC_MEASURES } from './metric-measures';

describe('the metric registry and its queries', () => {
  it('have a query for every registered metric and no other', () => {
    expect(Object.keys(METRIC_MEASURES).sort()).toEqual(METRICS.map(({ id }) => id).sort());
  });

  it.each(METRICS.map((metric) => [metric.id, metric]))(
    '%s is computed as its definition says (kind)',
    (id, metric) => {
      const measure = METRIC_MEASURES[id];
      expect(measure.kind).toBe(metric.kind);
    },
  );
});
