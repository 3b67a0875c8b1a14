/**
 * The dashboards' logic, apart from React: which KPI queries a dashboard asks (docs/reporting.md,
 * "Time series"), how their answers become the tables each chart draws and each screen reader
 * reads, and where a figure's records are shown (the API's drill-down links, as console paths).
 */
import type { Interval, KpiAnswer, MetricDefinition, MetricUnit } from './types';

export const PERIOD_PRESETS = ['7d', '30d', '90d', '12m'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];
export const INTERVALS: readonly Interval[] = ['day', 'week', 'month'];

/** The interval each range is shown by, unless the user picks another. */
export const DEFAULT_INTERVAL: Record<PeriodPreset, Interval> = {
  '7d': 'day',
  '30d': 'day',
  '90d': 'week',
  '12m': 'month',
};

/** The dimensions a dashboard filters by; a metric that has no such dimension ignores it. */
export const FILTER_DIMENSIONS = ['service', 'group', 'priority', 'category'] as const;
export type FilterDimension = (typeof FILTER_DIMENSIONS)[number];

export interface DashboardQuery {
  /** A date, read at midnight in `timezone`; the range runs up to now. */
  from: string;
  interval: Interval;
  timezone: string;
  filters: Partial<Record<FilterDimension, string>>;
}

function isPreset(value: string | null): value is PeriodPreset {
  return (PERIOD_PRESETS as readonly (string | null)[]).includes(value);
}

function isInterval(value: string | null): value is Interval {
  return (INTERVALS as readonly (string | null)[]).includes(value);
}

/** The calendar date of an instant in a time zone: `2026-12-05`. */
export function localDate(at: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * The first day of a range that ends now: the last 7, 30 or 90 days including today, or
 * the last 12 months including this one (from the first of the month).
 */
export function rangeStart(preset: PeriodPreset, now: Date, timeZone: string): string {
  const [year, month, day] = localDate(now, timeZone).split('-').map(Number);
  const start =
    preset === '12m'
      ? new Date(Date.UTC(year, month - 12, 1))
      : new Date(Date.UTC(year, month - 1, day - (Number.parseInt(preset, 10) - 1)));
  return start.toISOString().slice(0, 10);
}

/** The dashboard's range, interval and filters from its address (`?period=90d&priority=P1`). */
export function dashboardQueryOf(
  params: URLSearchParams,
  now: Date,
  timeZone: string,
): DashboardQuery & { period: PeriodPreset } {
  const asked = params.get('period');
  const period = isPreset(asked) ? asked : '30d';
  const interval = params.get('interval');
  const filters: DashboardQuery['filters'] = {};
  for (const dimension of FILTER_DIMENSIONS) {
    const value = params.get(dimension)?.trim();
    if (value) filters[dimension] = value;
  }
  return {
    period,
    from: rangeStart(period, now, timeZone),
    interval: isInterval(interval) ? interval : DEFAULT_INTERVAL[period],
    timezone: timeZone,
    filters,
  };
}

/** The filters set on the dashboard that this metric cannot take (it is shown unfiltered by them). */
export function ignoredFilters(metric: MetricDefinition, query: DashboardQuery): string[] {
  return Object.keys(query.filters).filter((name) => !metric.dimensions.includes(name));
}

/** `GET /reports/kpis/{metric}` for the dashboard's range and the filters the metric takes. */
export function kpiPath(metric: MetricDefinition, query: DashboardQuery, by?: string): string {
  const search = new URLSearchParams({
    from: query.from,
    interval: query.interval,
    timezone: query.timezone,
  });
  if (by) search.set('by', by);
  for (const [name, value] of Object.entries(query.filters))
    if (value && metric.dimensions.includes(name)) search.set(name, value);
  return `/reports/kpis/${encodeURIComponent(metric.id)}?${search.toString()}`;
}

const API_RECORDS = /^\/api\/v1\/reports\/kpis\/([a-z0-9_]+)\/records(\?.*)?$/;

/** The console page of a figure's records, from the API's link to them (each point's `records`). */
export function drillDownOf(apiLink: string): string | undefined {
  const match = API_RECORDS.exec(apiLink);
  return match ? `/dashboards/${match[1]}/records${match[2] ?? ''}` : undefined;
}

/**
 * The records behind a figure over the answer's whole range (a series' `total`), with its
 * filters and, for a breakdown, the series' values: the query the API's own links use.
 */
export function totalDrillDown(answer: KpiAnswer, by: Record<string, string | null> = {}): string {
  const search = new URLSearchParams({ from: answer.from, to: answer.to });
  if (answer.timezone !== 'UTC') search.set('timezone', answer.timezone);
  for (const [name, value] of Object.entries({ ...answer.filters, ...by }))
    search.set(name, value ?? '');
  return `/dashboards/${answer.metric.id}/records?${search.toString()}`;
}

/** What the drill-down page passes on to the API: the range and the dimensions, nothing else. */
export const RECORDS_QUERY_KEYS = [
  'from',
  'to',
  'timezone',
  'service',
  'group',
  'priority',
  'category',
  'ci_class',
  'sla',
  'target',
  'model',
  'risk',
  'source',
  'class',
  'environment',
] as const;

/** The records query of a drill-down address; an empty value stays (it selects records without one). */
export function recordsQuery(params: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams();
  for (const key of RECORDS_QUERY_KEYS) {
    const value = params.get(key);
    if (value !== null) query.set(key, value);
  }
  return query;
}

/** The dimensions a drill-down is filtered by (its address's dimensions, empty ones included). */
export function drillDownFilters(params: URLSearchParams): [string, string][] {
  return RECORDS_QUERY_KEYS.filter(
    (key) => key !== 'from' && key !== 'to' && key !== 'timezone',
  ).flatMap((key) => {
    const value = params.get(key);
    return value === null ? [] : [[key, value] as [string, string]];
  });
}

/** The console pages of the records a KPI lists (the API's `path`), where the console has one. */
const CONSOLE_PAGES: [prefix: string, page: string][] = [
  ['/api/v1/incidents/', '/incidents/'],
  ['/api/v1/requests/', '/requests/'],
  ['/api/v1/cis/', '/cmdb/cis/'],
];

export function consolePathOf(apiPath: string): string | undefined {
  for (const [prefix, page] of CONSOLE_PAGES)
    if (apiPath.startsWith(prefix) && apiPath.length > prefix.length)
      return `${page}${apiPath.slice(prefix.length)}`;
  return undefined;
}

/** A period by its first day in the answer's time zone (`2026-12-05`), a month as `2026-12`. */
export function periodLabel(start: string, interval: Interval, timeZone: string): string {
  const date = localDate(new Date(start), timeZone);
  return interval === 'month' ? date.slice(0, 7) : date;
}

/** One figure of a table, and the console page of the records behind it. */
export interface TableCell {
  value: number | null;
  drillDown?: string;
}

export interface TableRow {
  key: string;
  label: string;
  /** The period is cut by the range or not over yet. */
  partial: boolean;
  cells: Record<string, TableCell>;
}

/** What a chart draws, and its text alternative: rows (periods, or breakdown values) by columns. */
export interface KpiTable {
  unit: MetricUnit;
  columns: { key: string; label: string }[];
  rows: TableRow[];
}

/**
 * Several metrics of one unit over the same periods (e.g. incidents opened and resolved):
 * a row per period, a column per metric, each cell linked to its records.
 */
export function periodsTable(
  columns: { key: string; label: string; answer: KpiAnswer }[],
): KpiTable {
  const [first] = columns;
  const points = first?.answer.series[0]?.points ?? [];
  return {
    unit: first?.answer.metric.unit ?? 'count',
    columns: columns.map(({ key, label }) => ({ key, label })),
    rows: points.map((point, index) => ({
      key: point.start,
      label: periodLabel(point.start, first.answer.interval, first.answer.timezone),
      partial: point.partial,
      cells: Object.fromEntries(
        columns.map(({ key, answer }) => {
          const at = answer.series[0]?.points[index];
          return [key, { value: at?.value ?? null, drillDown: at && drillDownOf(at.records) }];
        }),
      ),
    })),
  };
}

/** A duration's mean, median and 90th percentile per period; each cell links to the period's records. */
export function durationsTable(
  answer: KpiAnswer,
  labels: { mean: string; p50: string; p90: string },
): KpiTable {
  const statistics = ['mean', 'p50', 'p90'] as const;
  return {
    unit: answer.metric.unit,
    columns: statistics.map((key) => ({ key, label: labels[key] })),
    rows: (answer.series[0]?.points ?? []).map((point) => ({
      key: point.start,
      label: periodLabel(point.start, answer.interval, answer.timezone),
      partial: point.partial,
      cells: Object.fromEntries(
        statistics.map((key) => [
          key,
          { value: point[key] ?? null, drillDown: drillDownOf(point.records) },
        ]),
      ),
    })),
  };
}

/** A metric over the whole range broken down by one dimension: a row per value, its total. */
export function breakdownTable(
  answer: KpiAnswer,
  dimension: string,
  column: { key: string; label: string },
  labelOf: (value: string | null) => string,
): KpiTable {
  return {
    unit: answer.metric.unit,
    columns: [column],
    rows: answer.series
      .map((series) => ({ series, value: series.by[dimension] ?? null }))
      .sort((a, b) => (a.value ?? '\uffff').localeCompare(b.value ?? '\uffff'))
      .map(({ series, value }) => ({
        key: value ?? '',
        label: labelOf(value),
        partial: false,
        cells: {
          [column.key]: { value: series.total.value, drillDown: totalDrillDown(answer, series.by) },
        },
      })),
  };
}

/** A figure rounded for showing: counts whole, durations and percentages to one decimal. */
export function roundFigure(value: number, unit: MetricUnit): number {
  return unit === 'count' ? Math.round(value) : Math.round(value * 10) / 10;
}

/** The rows a chart draws: the row's label and each column's figure. */
export function chartData(table: KpiTable): Record<string, string | number | null>[] {
  return table.rows.map((row) => ({
    label: row.label,
    ...Object.fromEntries(
      table.columns.map(({ key }) => [
        key,
        row.cells[key]?.value === null || row.cells[key]?.value === undefined
          ? null
          : roundFigure(row.cells[key].value, table.unit),
      ]),
    ),
  }));
}

/** The table as CSV rows: the row label first, then each column's figure as the API gave it. */
export function tableCsv(
  table: KpiTable,
  rowHeader: string,
): { header: string[]; rows: (string | number | null)[][] } {
  return {
    header: [rowHeader, ...table.columns.map(({ label }) => label)],
    rows: table.rows.map((row) => [
      row.label,
      ...table.columns.map(({ key }) => row.cells[key]?.value ?? null),
    ]),
  };
}

export interface ColumnSummary {
  label: string;
  measured: number;
  highest?: { row: string; value: number };
  lowest?: { row: string; value: number };
  latest?: { row: string; value: number };
}

/** For a chart's text alternative: per column, its highest, lowest and latest figure. */
export function summarise(table: KpiTable): ColumnSummary[] {
  return table.columns.map(({ key, label }) => {
    const measured = table.rows.flatMap((row) => {
      const value = row.cells[key]?.value;
      return value === null || value === undefined
        ? []
        : [{ row: row.label, value: roundFigure(value, table.unit) }];
    });
    if (measured.length === 0) return { label, measured: 0 };
    return {
      label,
      measured: measured.length,
      highest: measured.reduce((best, each) => (each.value > best.value ? each : best)),
      lowest: measured.reduce((best, each) => (each.value < best.value ? each : best)),
      latest: measured.at(-1),
    };
  });
}
