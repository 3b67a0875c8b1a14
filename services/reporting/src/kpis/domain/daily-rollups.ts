import { DateTime } from 'luxon';
import { type KpiRequest } from './kpi-request';
import { type Dimension, type MetricKind, type RecordSet } from './metric-definitions';

/**
 * Which KPI queries the daily rollups answer (docs/adr/0022), and the arithmetic of their
 * duration histograms. Everything else is computed from the fact rows.
 */

/** The fact table each rolled-up record set is read from; a changed row marks its days there. */
export const ROLLED_UP_SETS: Readonly<Partial<Record<RecordSet, string>>> = {
  incidents: 'service_record_facts',
  requests: 'service_record_facts',
  sla_timers: 'sla_timer_facts',
  problems: 'problem_facts',
  changes: 'change_facts',
};

export const ROLLED_UP_KINDS: ReadonlySet<MetricKind> = new Set([
  'count',
  'duration',
  'ratio',
  'stock',
]);

/**
 * Breakdowns kept out of the rollups: the CI class is read from the CMDB's facts at query
 * time (a class change would re-file every record of the CI), so its rows are not the
 * record set's own.
 */
export const LIVE_ONLY_DIMENSIONS: ReadonlySet<Dimension> = new Set(['ci_class']);

/**
 * Durations are filed in buckets 10 % wide (bucket b holds [1.1^b, 1.1^(b+1)) seconds, -1
 * what is under a second): a percentile read from the middle of buckets is within 5 %.
 */
export const HISTOGRAM_GROWTH = 1.1;

export interface RollupContext {
  /** The zone the rollups' days are in (REPORTING_TIME_ZONE). */
  timeZone: string;
  /** Whether the caller's record-level rule lets them count every record of the set. */
  seesEveryRecord: boolean;
  now: Date;
}

/** The local days a rollup query reads: `[firstDay, endDay)`, as ISO dates. */
export interface RollupDays {
  firstDay: string;
  endDay: string;
}

/**
 * The days to read when the rollups can answer the request exactly as the fact rows
 * would (bar the percentiles of merged days, which are estimates), or null.
 */
export function rollupDaysFor(request: KpiRequest, context: RollupContext): RollupDays | null {
  const { metric } = request;
  if (!ROLLED_UP_SETS[metric.counts] || !ROLLED_UP_KINDS.has(metric.kind)) return null;
  if (!context.seesEveryRecord || request.timeZone !== context.timeZone) return null;
  if (Object.keys(request.filters).length > 0 || request.by.length > 1) return null;
  if (request.by.some((dimension) => LIVE_ONLY_DIMENSIONS.has(dimension))) return null;
  const from = DateTime.fromJSDate(request.from, { zone: context.timeZone });
  const to = DateTime.fromJSDate(request.to, { zone: context.timeZone });
  // A range that starts inside a day would need part of that day's rows.
  if (!from.equals(from.startOf('day'))) return null;
  let end: DateTime;
  if (to.equals(to.startOf('day'))) end = to;
  // Up to now: today's rollup holds what happened so far, nothing after it.
  else if (request.to.getTime() >= context.now.getTime()) end = to.startOf('day').plus({ days: 1 });
  else return null;
  return { firstDay: from.toISODate()!, endDay: end.toISODate()! };
}
