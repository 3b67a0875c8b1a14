import { type MeasuredRow } from '../domain/kpi-series';

/** A row of a KPI statement (`period_start`, `key0`…, `count`, statistics) as the series reads it. */
export function measuredRowOf(row: Record<string, unknown>, keyCount: number): MeasuredRow {
  const number = (value: unknown) => (value === null || value === undefined ? null : Number(value));
  return {
    periodStart: (row.period_start as Date | null) ?? null,
    keys: Array.from(
      { length: keyCount },
      (_, index) => (row[`key${index}`] as string | null) ?? null,
    ),
    count: Number(row.count),
    mean: number(row.mean),
    p50: number(row.p50),
    p90: number(row.p90),
    numerator:
      row.numerator === undefined || row.numerator === null ? undefined : Number(row.numerator),
  };
}
