/** The reporting service's KPI answers (docs/reporting.md, "KPIs"); only the fields the console uses. */

export type MetricUnit = 'count' | 'hours' | 'days' | 'percent';
export type MetricKind = 'count' | 'duration' | 'ratio' | 'stock' | 'ageing' | 'stock_age';
export type Interval = 'day' | 'week' | 'month';

/** `GET /api/v1/reports/metrics`: one metric of the registry. */
export interface MetricDefinition {
  id: string;
  name: string;
  formula: string;
  unit: MetricUnit;
  kind: MetricKind;
  counts: string;
  permission: string;
  numerator?: string;
  higherIsBetter: boolean;
  dimensions: string[];
  clauses: string[];
}

export interface MetricRegistry {
  items: MetricDefinition[];
  dimensions: Record<string, string>;
}

export interface Figure {
  value: number | null;
  count: number;
  mean?: number | null;
  p50?: number | null;
  p90?: number | null;
  numerator?: number;
  denominator?: number;
  buckets?: Record<string, number>;
  estimated?: boolean;
}

export interface KpiPoint extends Figure {
  start: string;
  end: string;
  partial: boolean;
  observedAt?: string;
  /** The records behind the figure: `/api/v1/reports/kpis/{metric}/records?...`. */
  records: string;
}

export interface KpiSeries {
  by: Record<string, string | null>;
  total: Figure;
  points: KpiPoint[];
}

/** `GET /api/v1/reports/kpis/{metric}`. */
export interface KpiAnswer {
  metric: MetricDefinition;
  from: string;
  to: string;
  interval: Interval;
  timezone: string;
  by: string[];
  filters: Record<string, string | null>;
  generatedAt: string;
  computedFrom: string;
  series: KpiSeries[];
}

/** `GET /api/v1/reports/kpis/{metric}/records`: one record behind a figure. */
export interface KpiRecord {
  id: string;
  number: string;
  at: string;
  seconds: number | null;
  counted: boolean | null;
  dimensions: Record<string, string | null>;
  path: string;
}

export interface KpiRecordsPage {
  metric: MetricDefinition;
  items: KpiRecord[];
  nextCursor: string | null;
}
