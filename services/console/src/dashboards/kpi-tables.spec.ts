import { describe, expect, it } from '@jest/globals';
import {
  breakdownTable,
  chartData,
  consolePathOf,
  dashboardQueryOf,
  drillDownFilters,
  drillDownOf,
  durationsTable,
  ignoredFilters,
  kpiPath,
  periodLabel,
  periodsTable,
  rangeStart,
  recordsQuery,
  summarise,
  tableCsv,
  totalDrillDown,
  type DashboardQuery,
} from './kpi-tables';
import type { KpiAnswer, KpiPoint, MetricDefinition } from './types';

function metric(id: string, overrides: Partial<MetricDefinition> = {}): MetricDefinition {
  return {
    id,
    name: id,
    formula: '',
    unit: 'count',
    kind: 'count',
    counts: 'incidents',
    permission: 'incident:read',
    higherIsBetter: false,
    dimensions: ['service', 'group', 'priority', 'category', 'ci_class', 'source'],
    clauses: [],
    ...overrides,
  };
}

function point(start: string, end: string, figure: Partial<KpiPoint> = {}): KpiPoint {
  return {
    start,
    end,
    partial: false,
    value: 0,
    count: 0,
    records: `/api/v1/reports/kpis/opened/records?from=${encodeURIComponent(start)}&to=${encodeURIComponent(end)}`,
    ...figure,
  };
}

function answer(definition: MetricDefinition, overrides: Partial<KpiAnswer> = {}): KpiAnswer {
  return {
    metric: definition,
    from: '2026-12-01T00:00:00.000Z',
    to: '2026-12-03T12:00:00.000Z',
    interval: 'day',
    timezone: 'UTC',
    by: [],
    filters: {},
    generatedAt: '2026-12-03T12:00:00.000Z',
    computedFrom: 'fact_rows',
    series: [
      {
        by: {},
        total: { value: 5, count: 5 },
        points: [
          point('2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', { value: 3, count: 3 }),
          point('2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z', { value: 0, count: 0 }),
          point('2026-12-03T00:00:00.000Z', '2026-12-04T00:00:00.000Z', {
            value: 2,
            count: 2,
            partial: true,
          }),
        ],
      },
    ],
    ...overrides,
  };
}

const query: DashboardQuery = {
  from: '2026-11-06',
  interval: 'day',
  timezone: 'Europe/Paris',
  filters: { priority: 'P1', category: 'network' },
};

describe('ranges', () => {
  it('starts the last 7, 30 or 90 days on the right day, today included, in the time zone', () => {
    const now = new Date('2026-12-05T23:30:00Z');
    expect(rangeStart('7d', now, 'UTC')).toBe('2026-11-29');
    // Already 6 December in Paris.
    expect(rangeStart('7d', now, 'Europe/Paris')).toBe('2026-11-30');
    expect(rangeStart('30d', now, 'UTC')).toBe('2026-11-06');
    expect(rangeStart('90d', now, 'UTC')).toBe('2026-09-07');
  });

  it('starts the last 12 months on the first of the month eleven months back', () => {
    expect(rangeStart('12m', new Date('2026-12-05T10:00:00Z'), 'UTC')).toBe('2026-01-01');
    expect(rangeStart('12m', new Date('2026-03-31T10:00:00Z'), 'UTC')).toBe('2025-04-01');
  });

  it('reads the range, interval and filters from the address, with defaults', () => {
    const now = new Date('2026-12-05T10:00:00Z');
    expect(dashboardQueryOf(new URLSearchParams(''), now, 'UTC')).toEqual({
      period: '30d',
      from: '2026-11-06',
      interval: 'day',
      timezone: 'UTC',
      filters: {},
    });
    expect(
      dashboardQueryOf(
        new URLSearchParams('period=90d&priority=P2&group=+&category=net&q=x'),
        now,
        'UTC',
      ),
    ).toEqual({
      period: '90d',
      from: '2026-09-07',
      interval: 'week',
      timezone: 'UTC',
      filters: { priority: 'P2', category: 'net' },
    });
    expect(
      dashboardQueryOf(new URLSearchParams('period=1y&interval=year'), now, 'UTC'),
    ).toMatchObject({ period: '30d', interval: 'day' });
    expect(
      dashboardQueryOf(new URLSearchParams('period=12m&interval=week'), now, 'UTC'),
    ).toMatchObject({ interval: 'week' });
  });
});

describe('KPI queries', () => {
  it('asks for the range, interval, zone, breakdown and the filters the metric takes', () => {
    expect(kpiPath(metric('opened'), query, 'priority')).toBe(
      '/reports/kpis/opened?from=2026-11-06&interval=day&timezone=Europe%2FParis&by=priority&priority=P1&category=network',
    );
    const changes = metric('changes_opened', { dimensions: ['service', 'group', 'model'] });
    expect(kpiPath(changes, query)).toBe(
      '/reports/kpis/changes_opened?from=2026-11-06&interval=day&timezone=Europe%2FParis',
    );
    expect(ignoredFilters(changes, query)).toEqual(['priority', 'category']);
    expect(ignoredFilters(metric('opened'), query)).toEqual([]);
  });
});

describe('drill-down', () => {
  it('turns the API link of a figure into the console page of its records', () => {
    expect(
      drillDownOf('/api/v1/reports/kpis/mttr/records?from=2026-12-01T00%3A00%3A00.000Z&group='),
    ).toBe('/dashboards/mttr/records?from=2026-12-01T00%3A00%3A00.000Z&group=');
    expect(drillDownOf('/api/v1/incidents?x=1')).toBeUndefined();
  });

  it("links a total to the records of the answer's range, filters and breakdown", () => {
    const link = totalDrillDown(
      answer(metric('backlog'), { filters: { category: 'network', group: null } }),
      { priority: 'P1' },
    );
    const url = new URL(link, 'http://console');
    expect(url.pathname).toBe('/dashboards/backlog/records');
    expect([...url.searchParams]).toEqual([
      ['from', '2026-12-01T00:00:00.000Z'],
      ['to', '2026-12-03T12:00:00.000Z'],
      ['category', 'network'],
      ['group', ''],
      ['priority', 'P1'],
    ]);
    expect(
      new URL(
        totalDrillDown(answer(metric('x'), { timezone: 'Europe/Paris' })),
        'http://c',
      ).searchParams.get('timezone'),
    ).toBe('Europe/Paris');
  });

  it('passes on the range and dimensions only, empty values included', () => {
    const params = new URLSearchParams('from=a&to=b&group=&priority=P1&limit=9&cursor=x&evil=1');
    expect(recordsQuery(params).toString()).toBe('from=a&to=b&group=&priority=P1');
    expect(drillDownFilters(params)).toEqual([
      ['group', ''],
      ['priority', 'P1'],
    ]);
  });

  it('links the records the console has pages for', () => {
    expect(consolePathOf('/api/v1/incidents/abc')).toBe('/incidents/abc');
    expect(consolePathOf('/api/v1/requests/abc')).toBe('/requests/abc');
    expect(consolePathOf('/api/v1/cis/abc')).toBe('/cmdb/cis/abc');
    expect(consolePathOf('/api/v1/sla-timers/abc')).toBeUndefined();
    expect(consolePathOf('/api/v1/incidents/')).toBeUndefined();
  });
});

describe('tables', () => {
  it('labels periods by their first day in the zone, months by the month', () => {
    expect(periodLabel('2026-11-30T23:00:00.000Z', 'day', 'Europe/Paris')).toBe('2026-12-01');
    expect(periodLabel('2026-11-30T23:00:00.000Z', 'week', 'UTC')).toBe('2026-11-30');
    expect(periodLabel('2026-11-30T23:00:00.000Z', 'month', 'Europe/Paris')).toBe('2026-12');
  });

  it('puts several metrics side by side per period, each cell linked to its records', () => {
    const opened = answer(metric('opened'));
    const resolved = answer(metric('resolved'), {
      series: [
        {
          by: {},
          total: { value: 1, count: 1 },
          points: opened.series[0].points.map((each, index) => ({
            ...each,
            value: index === 2 ? 1 : 0,
            records: each.records.replace('/opened/', '/resolved/'),
          })),
        },
      ],
    });
    const table = periodsTable([
      { key: 'opened', label: 'Opened', answer: opened },
      { key: 'resolved', label: 'Resolved', answer: resolved },
    ]);
    expect(table.columns).toEqual([
      { key: 'opened', label: 'Opened' },
      { key: 'resolved', label: 'Resolved' },
    ]);
    expect(table.rows.map((row) => [row.label, row.partial])).toEqual([
      ['2026-12-01', false],
      ['2026-12-02', false],
      ['2026-12-03', true],
    ]);
    expect(table.rows[2].cells.resolved.value).toBe(1);
    expect(table.rows[0].cells.resolved.drillDown).toMatch(/^\/dashboards\/resolved\/records\?/);
    expect(chartData(table)).toEqual([
      { label: '2026-12-01', opened: 3, resolved: 0 },
      { label: '2026-12-02', opened: 0, resolved: 0 },
      { label: '2026-12-03', opened: 2, resolved: 1 },
    ]);
    expect(tableCsv(table, 'Day')).toEqual({
      header: ['Day', 'Opened', 'Resolved'],
      rows: [
        ['2026-12-01', 3, 0],
        ['2026-12-02', 0, 0],
        ['2026-12-03', 2, 1],
      ],
    });
  });

  it('shows a duration by mean, median and 90th percentile, null where nothing was measured', () => {
    const mttr = answer(metric('mttr', { unit: 'hours', kind: 'duration' }));
    mttr.series[0].points = [
      point('2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z', {
        value: 2.25,
        mean: 2.25,
        p50: 2,
        p90: 4.04,
      }),
      point('2026-12-02T00:00:00.000Z', '2026-12-03T00:00:00.000Z', {
        value: null,
        mean: null,
        p50: null,
        p90: null,
      }),
    ];
    const table = durationsTable(mttr, { mean: 'Mean', p50: 'Median', p90: '90th' });
    expect(table.unit).toBe('hours');
    expect(chartData(table)).toEqual([
      { label: '2026-12-01', mean: 2.3, p50: 2, p90: 4 },
      { label: '2026-12-02', mean: null, p50: null, p90: null },
    ]);
    expect(tableCsv(table, 'Day').rows[0]).toEqual(['2026-12-01', 2.25, 2, 4.04]);
    expect(summarise(table)[0]).toEqual({
      label: 'Mean',
      measured: 1,
      highest: { row: '2026-12-01', value: 2.3 },
      lowest: { row: '2026-12-01', value: 2.3 },
      latest: { row: '2026-12-01', value: 2.3 },
    });
  });

  it('breaks a total down by a dimension, records without a value last', () => {
    const backlog = answer(metric('backlog', { kind: 'stock' }), {
      by: ['priority'],
      series: [
        { by: { priority: null }, total: { value: 1, count: 1 }, points: [] },
        { by: { priority: 'P3' }, total: { value: 4, count: 4 }, points: [] },
        { by: { priority: 'P1' }, total: { value: 2, count: 2 }, points: [] },
      ],
    });
    const table = breakdownTable(
      backlog,
      'priority',
      { key: 'backlog', label: 'Backlog' },
      (value) => value ?? 'None',
    );
    expect(table.rows.map((row) => [row.label, row.cells.backlog.value])).toEqual([
      ['P1', 2],
      ['P3', 4],
      ['None', 1],
    ]);
    expect(
      new URL(table.rows[2].cells.backlog.drillDown!, 'http://c').searchParams.get('priority'),
    ).toBe('');
  });

  it('summarises each column by its highest, lowest and latest figure', () => {
    const table = periodsTable([
      { key: 'opened', label: 'Opened', answer: answer(metric('opened')) },
    ]);
    expect(summarise(table)).toEqual([
      {
        label: 'Opened',
        measured: 3,
        highest: { row: '2026-12-01', value: 3 },
        lowest: { row: '2026-12-02', value: 0 },
        latest: { row: '2026-12-03', value: 2 },
      },
    ]);
    expect(summarise({ unit: 'count', columns: [{ key: 'a', label: 'A' }], rows: [] })).toEqual([
      { label: 'A', measured: 0 },
    ]);
  });
});
