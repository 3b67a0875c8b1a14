import { DateTime } from 'luxon';

export const INTERVALS = ['day', 'week', 'month'] as const;
export type Interval = (typeof INTERVALS)[number];

export interface Period {
  /** Inclusive, as an instant. */
  start: Date;
  /** Exclusive. */
  end: Date;
  /**
   * The period is not whole: it begins before `from`, ends after `to`, or has not ended
   * yet. Its figure covers only the part inside the range (and up to now).
   */
  partial: boolean;
}

/**
 * The periods of a range in a time zone: days, ISO weeks (from Monday) or months as the
 * zone's calendar has them, so that a day is 23 or 25 hours across a DST change. The first
 * period starts at the beginning of the one holding `from`; the last holds the instant
 * just before `to`.
 */
export function periodsOf(
  range: { from: Date; to: Date },
  interval: Interval,
  timeZone: string,
  now: Date,
): Period[] {
  const periods: Period[] = [];
  const unit = interval === 'week' ? 'week' : interval;
  let start = DateTime.fromJSDate(range.from, { zone: timeZone }).startOf(unit);
  while (start.toMillis() < range.to.getTime()) {
    const end = start.plus({ [`${unit}s`]: 1 });
    periods.push({
      start: start.toJSDate(),
      end: end.toJSDate(),
      partial:
        start.toMillis() < range.from.getTime() ||
        end.toMillis() > range.to.getTime() ||
        end.toMillis() > now.getTime(),
    });
    start = end;
  }
  return periods;
}

/** The instant a stock figure of the period is read at: its end, or earlier when the range or now stops first. */
export function observedAt(period: Period, range: { to: Date }, now: Date): Date {
  return new Date(Math.min(period.end.getTime(), range.to.getTime(), now.getTime()));
}
