import { type KpiRequest } from './kpi-request';
import { AGE_BUCKETS, type AgeBucket, type Dimension, type MetricKind } from './metric-definitions';
import { observedAt, type Period } from './periods';

/** What the read model answered for one group of rows (a period, or the whole range, and one breakdown). */
export interface MeasuredRow {
  /** The period's start; null for rows before the range (a stock's opening balance) or for totals. */
  periodStart: Date | null;
  /** The breakdown values, in the order of the request's `by`. */
  keys: (string | null)[];
  count: number;
  /** Durations in seconds. */
  mean?: number | null;
  p50?: number | null;
  p90?: number | null;
  numerator?: number;
  /** Stocks: rows opened minus rows ended. */
  delta?: number;
  /** Ageing: rows per age bucket. */
  buckets?: Partial<Record<AgeBucket, number>>;
  /** p50 and p90 were read from merged histograms (within 5 %), not from the durations. */
  estimated?: boolean;
}

export interface Figure {
  /** The headline: a count, a mean duration or a percentage; null when nothing was measured. */
  value: number | null;
  count: number;
  mean?: number | null;
  p50?: number | null;
  p90?: number | null;
  numerator?: number;
  denominator?: number;
  buckets?: Record<AgeBucket, number>;
  /** Durations: p50 and p90 are estimates within 5 % (docs/reporting.md). */
  estimated?: boolean;
}

export interface KpiPoint extends Figure {
  start: string;
  end: string;
  partial: boolean;
  /** Stocks: the instant the figure was read at. */
  observedAt?: string;
}

export interface KpiSeries {
  by: Partial<Record<Dimension, string | null>>;
  total: Figure;
  points: KpiPoint[];
}

const STOCK_KINDS: ReadonlySet<MetricKind> = new Set(['stock', 'ageing', 'stock_age']);

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

function durationIn(unit: string, seconds: number | null | undefined): number | null {
  if (seconds === null || seconds === undefined) return null;
  return round(seconds / (unit === 'days' ? 86_400 : 3_600));
}

function keyOf(keys: (string | null)[]): string {
  return JSON.stringify(keys);
}

/** A group of rows as the figure the metric's kind gives. */
export function figureOf(request: KpiRequest, row: MeasuredRow | undefined): Figure {
  const { kind, unit } = request.metric;
  const count = row?.count ?? 0;
  switch (kind) {
    case 'count':
    case 'stock':
      return { value: count, count };
    case 'ratio': {
      const numerator = row?.numerator ?? 0;
      return {
        value: count === 0 ? null : round((100 * numerator) / count),
        count,
        numerator,
        denominator: count,
      };
    }
    case 'ageing': {
      const buckets = Object.fromEntries(
        AGE_BUCKETS.map(({ id }) => [id, row?.buckets?.[id] ?? 0]),
      ) as Record<AgeBucket, number>;
      return { value: count, count, buckets };
    }
    case 'duration':
    case 'stock_age': {
      const mean = durationIn(unit, row?.mean);
      return {
        value: mean,
        count,
        mean,
        p50: durationIn(unit, row?.p50),
        p90: durationIn(unit, row?.p90),
        ...(row?.estimated ? { estimated: true } : {}),
      };
    }
  }
}

/**
 * The time series of each breakdown: every period present (an empty one counts zero, or
 * has no value when nothing was measured), and a total over the whole range computed from
 * the records, never summed from the periods.
 */
export function seriesOf(
  request: KpiRequest,
  periods: Period[],
  rows: MeasuredRow[],
  totals: MeasuredRow[],
  now: Date,
): KpiSeries[] {
  const byKey = new Map<string, (string | null)[]>();
  for (const row of [...totals, ...rows]) byKey.set(keyOf(row.keys), row.keys);
  if (request.by.length === 0) byKey.set(keyOf([]), []);
  const rowsByKey = new Map<string, MeasuredRow[]>();
  for (const row of rows) {
    const key = keyOf(row.keys);
    rowsByKey.set(key, [...(rowsByKey.get(key) ?? []), row]);
  }
  const totalsByKey = new Map(totals.map((row) => [keyOf(row.keys), row]));
  return [...byKey.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, keys]) => {
      const points = pointsOf(request, periods, rowsByKey.get(key) ?? [], now);
      return {
        by: Object.fromEntries(request.by.map((dimension, index) => [dimension, keys[index]])),
        // A stock's figure over a range is the one at its end.
        total: STOCK_KINDS.has(request.metric.kind)
          ? (points.at(-1) ?? figureOf(request, undefined))
          : figureOf(request, totalsByKey.get(key)),
        points,
      };
    })
    .map((series) => ({ ...series, total: figureOnly(series.total) }));
}

function figureOnly(point: Figure & Partial<KpiPoint>): Figure {
  const { start: _start, end: _end, partial: _partial, observedAt: _at, ...figure } = point;
  return figure;
}

function pointsOf(
  request: KpiRequest,
  periods: Period[],
  rows: MeasuredRow[],
  now: Date,
): KpiPoint[] {
  const rowOfPeriod = new Map(
    rows.filter((row) => row.periodStart !== null).map((row) => [row.periodStart!.getTime(), row]),
  );
  const isStock = STOCK_KINDS.has(request.metric.kind);
  // A stock is the opening balance plus every period's openings less its endings, so far.
  let balance = rows
    .filter((row) => row.periodStart === null)
    .reduce((sum, row) => sum + (row.delta ?? 0), 0);
  return periods.map((period) => {
    const row = rowOfPeriod.get(period.start.getTime());
    let figure: Figure;
    if (request.metric.kind === 'stock') {
      balance += row?.delta ?? 0;
      figure = figureOf(request, { periodStart: period.start, keys: [], count: balance });
    } else {
      figure = figureOf(request, row);
    }
    return {
      start: period.start.toISOString(),
      end: period.end.toISOString(),
      partial: period.partial,
      ...(isStock ? { observedAt: observedAt(period, request, now).toISOString() } : {}),
      ...figure,
    };
  });
}
