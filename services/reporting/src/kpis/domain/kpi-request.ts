import { DateTime, IANAZone } from 'luxon';
import { RuleViolation } from '@itsm/domain';
import { DIMENSIONS, type Dimension, type MetricDefinition } from './metric-definitions';
import { INTERVALS, type Interval } from './periods';

/** At most this many periods per query: a year by day, with room for a leap year and partial ends. */
export const MAX_PERIODS = 400;
export const MAX_BREAKDOWNS = 2;

export interface KpiRequest {
  metric: MetricDefinition;
  from: Date;
  to: Date;
  interval: Interval;
  timeZone: string;
  by: Dimension[];
  /** Dimension filters; `null` selects records without a value (e.g. no group). */
  filters: Partial<Record<Dimension, string | null>>;
  /** Computed from the fact rows, never from the daily rollups (exact percentiles). */
  exact: boolean;
}

/** The query string as the API receives it, every value a string. */
export interface RawKpiQuery {
  from?: string;
  to?: string;
  interval?: string;
  timezone?: string;
  by?: string;
  exact?: boolean;
  filters: Partial<Record<string, string>>;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A range bound: an instant with its offset, or a calendar date read at midnight in the
 * query's time zone (`2026-01-01` in `Europe/Paris` starts at 23:00 UTC the day before).
 */
function instantOf(field: 'from' | 'to', value: string, timeZone: string): Date {
  const parsed = DATE_ONLY.test(value)
    ? DateTime.fromISO(value, { zone: timeZone })
    : DateTime.fromISO(value, { setZone: true });
  if (!parsed.isValid || (!DATE_ONLY.test(value) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(value)))
    throw new RuleViolation(
      field,
      'must be a date (YYYY-MM-DD, read in `timezone`) or a date-time with its offset (RFC 3339)',
    );
  return parsed.toJSDate();
}

/** Checks and normalises a KPI query; the first fault is answered, naming its field. */
export function kpiRequestOf(metric: MetricDefinition, raw: RawKpiQuery, now: Date): KpiRequest {
  const timeZone = raw.timezone ?? 'UTC';
  if (!IANAZone.isValidZone(timeZone))
    throw new RuleViolation('timezone', 'must be an IANA time zone such as Europe/Paris or UTC');
  const interval = (raw.interval ?? 'day') as Interval;
  if (!INTERVALS.includes(interval))
    throw new RuleViolation('interval', `must be one of ${INTERVALS.join(', ')}`);
  const to = raw.to ? instantOf('to', raw.to, timeZone) : now;
  const from = raw.from
    ? instantOf('from', raw.from, timeZone)
    : DateTime.fromJSDate(to, { zone: timeZone }).minus({ days: 30 }).startOf('day').toJSDate();
  if (from.getTime() >= to.getTime()) throw new RuleViolation('from', 'must be before `to`');
  const span = DateTime.fromJSDate(to).diff(DateTime.fromJSDate(from), `${interval}s`);
  if (span.as(`${interval}s`) > MAX_PERIODS)
    throw new RuleViolation(
      'interval',
      `the range holds more than ${MAX_PERIODS} ${interval}s; choose a longer interval or a shorter range`,
    );
  const by = (raw.by ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
  if (by.length > MAX_BREAKDOWNS)
    throw new RuleViolation('by', `at most ${MAX_BREAKDOWNS} breakdowns`);
  if (new Set(by).size !== by.length) throw new RuleViolation('by', 'names a breakdown twice');
  for (const dimension of by)
    if (!metric.dimensions.includes(dimension as Dimension))
      throw new RuleViolation(
        'by',
        `${metric.id} can be broken down by ${metric.dimensions.join(', ')}; not by ${dimension}`,
      );
  const filters: KpiRequest['filters'] = {};
  for (const [name, value] of Object.entries(raw.filters)) {
    if (value === undefined) continue;
    if (!(name in DIMENSIONS) || !metric.dimensions.includes(name as Dimension))
      throw new RuleViolation(
        name,
        `${metric.id} can be filtered by ${metric.dimensions.join(', ')}; not by ${name}`,
      );
    if (value.length > 200) throw new RuleViolation(name, 'must be at most 200 characters');
    filters[name as Dimension] = value === '' ? null : value;
  }
  return {
    metric,
    from,
    to,
    interval,
    timeZone,
    by: by as Dimension[],
    filters,
    exact: raw.exact ?? false,
  };
}
