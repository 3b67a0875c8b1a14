import { MARKED_TABLES } from '../../migrations/1765700000000-kpi-daily-rollups';
import { ROLLED_UP_KINDS, ROLLED_UP_SETS } from '../domain/daily-rollups';
import { METRICS } from '../domain/metric-definitions';
import { METRIC_MEASURES } from './metric-measures';

describe('the marks that keep the KPI daily rollups current', () => {
  it("cover every instant a rolled-up metric is anchored on, in its fact table's trigger", () => {
    for (const metric of METRICS) {
      const table = ROLLED_UP_SETS[metric.counts];
      if (!table || !ROLLED_UP_KINDS.has(metric.kind)) continue;
      const measure = METRIC_MEASURES[metric.id];
      const instants = 'anchor' in measure ? [measure.anchor] : [measure.opened, measure.ended];
      const columns = instants.flatMap((sql) =>
        [...sql.matchAll(/\bf\.(\w+_at)\b/g)].map((match) => match[1]),
      );
      expect(columns.length).toBeGreaterThan(0);
      const marked: readonly string[] = MARKED_TABLES[table as keyof typeof MARKED_TABLES];
      expect({
        metric: metric.id,
        missing: columns.filter((column) => !marked.includes(column)),
      }).toEqual({
        metric: metric.id,
        missing: [],
      });
    }
  });
});
