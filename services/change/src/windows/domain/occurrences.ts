import { type Interval } from './interval';
import { ruleFrom } from './recurrence';
import { zoned, type Duration, type ZonedDateTime } from './temporal';

/** When a window happens: its first occurrence, and how it repeats in which zone. */
export interface WindowTiming {
  start: Date;
  end: Date;
  recurrence: string | null;
  timeZone: string | null;
}

/**
 * The widest range occurrences are expanded over in one call: a year's schedule with room
 * for a next-free-slot search. With at most one occurrence a day (see recurrence.ts) that
 * bounds one expansion to about 400 occurrences.
 */
export const MAX_OCCURRENCE_RANGE_DAYS = 400;
const DAY_MS = 86_400_000;
const MAX_OCCURRENCE_RANGE_MS = MAX_OCCURRENCE_RANGE_DAYS * DAY_MS;

/** A safety net under the range limit: more than this from one expansion is a bug, not a schedule. */
export const MAX_OCCURRENCES = 1000;

export class OccurrenceRangeTooLarge extends Error {
  constructor() {
    super(`occurrences are expanded over at most ${MAX_OCCURRENCE_RANGE_DAYS} days at a time`);
  }
}

/**
 * The wall-clock length of the first occurrence (Saturday 22:00 to Sunday 04:00 is 6 hours
 * of clock, whatever DST does that night): every later occurrence ends that much clock
 * time after it starts, so that it keeps its local end time too.
 */
function wallClockLength(window: WindowTiming, timeZone: string): Duration {
  return zoned(window.start, timeZone)
    .toPlainDateTime()
    .until(zoned(window.end, timeZone).toPlainDateTime(), { largestUnit: 'day' });
}

function occurrenceFrom(
  start: ZonedDateTime,
  window: WindowTiming,
  length: Duration,
  timeZone: string,
): Interval {
  const startMs = start.epochMilliseconds;
  // The first occurrence is exactly what was given, even where its end's clock time is ambiguous.
  if (startMs === window.start.getTime()) return { start: window.start, end: window.end };
  // A clock time that does not exist (spring forward) moves later, one that occurs twice
  // (fall back) takes the first: RFC 5545's and Temporal's `compatible` reading.
  const endMs = start
    .toPlainDateTime()
    .add(length)
    .toZonedDateTime(timeZone, { disambiguation: 'compatible' }).epochMilliseconds;
  const exactLength = window.end.getTime() - window.start.getTime();
  return {
    start: new Date(startMs),
    end: new Date(endMs > startMs ? endMs : startMs + exactLength),
  };
}

/**
 * The window's occurrences that overlap [from, to), as UTC intervals, oldest first. A
 * recurring window's occurrences start at its start's local time in its zone (an
 * occurrence whose local start does not exist that day, in a spring-forward gap, is left
 * out, as RFC 5545 says), and last its first occurrence's wall-clock length.
 *
 * @throws OccurrenceRangeTooLarge when [from, to) is longer than {@link MAX_OCCURRENCE_RANGE_DAYS}.
 */
export function occurrencesBetween(window: WindowTiming, from: Date, to: Date): Interval[] {
  if (to.getTime() - from.getTime() > MAX_OCCURRENCE_RANGE_MS) throw new OccurrenceRangeTooLarge();
  if (from.getTime() >= to.getTime()) return [];
  if (!window.recurrence || !window.timeZone) {
    const single = { start: window.start, end: window.end };
    return single.start < to && single.end > from ? [single] : [];
  }
  const timeZone = window.timeZone;
  const length = wallClockLength(window, timeZone);
  const rule = ruleFrom(window.recurrence, zoned(window.start, timeZone));
  // An occurrence that started before `from` may still run into it: look back by its
  // length, and a day more for what DST adds to a wall-clock length.
  const exactLength = window.end.getTime() - window.start.getTime();
  const lookBack = Math.max(window.start.getTime(), from.getTime() - exactLength - DAY_MS);
  const starts = rule.between(new Date(lookBack), to, true);
  const occurrences: Interval[] = [];
  for (const start of starts) {
    const occurrence = occurrenceFrom(start, window, length, timeZone);
    if (occurrence.start < to && occurrence.end > from) occurrences.push(occurrence);
    if (occurrences.length > MAX_OCCURRENCES) throw new OccurrenceRangeTooLarge();
  }
  return occurrences;
}

/**
 * When the window's last occurrence ends: its end for a single one, the end of the last
 * occurrence of a rule with COUNT or UNTIL, or null for a rule that never ends. Kept with
 * the window so that a query can skip the windows that are over.
 */
export function lastOccurrenceEnd(window: WindowTiming): Date | null {
  if (!window.recurrence || !window.timeZone) return window.end;
  const timeZone = window.timeZone;
  const rule = ruleFrom(window.recurrence, zoned(window.start, timeZone));
  const { count, until } = rule.options();
  if (count === undefined && until === undefined) return null;
  const last =
    until !== undefined
      ? rule.previous(new Date(until.epochMilliseconds), true)
      : (rule.all().at(-1) ?? null);
  if (!last) return window.end;
  return occurrenceFrom(last, window, wallClockLength(window, timeZone), timeZone).end;
}

/**
 * Whether the rule's first occurrence is the window's start. RFC 5545 leaves a recurrence
 * set whose DTSTART the rule does not select undefined; a window must start on one.
 */
export function startsOnAnOccurrence(window: WindowTiming): boolean {
  if (!window.recurrence || !window.timeZone) return true;
  const rule = ruleFrom(window.recurrence, zoned(window.start, window.timeZone));
  const first = rule.next(window.start, true);
  return first !== null && first.epochMilliseconds === window.start.getTime();
}

/** The local wall-clock time of an instant in a zone, e.g. `2026-03-28 22:00 (Europe/Berlin)`. */
export function localTime(instant: Date, timeZone: string): string {
  const local = zoned(instant, timeZone).toPlainDateTime();
  return `${local.toPlainDate().toString()} ${local.toPlainTime().toString({ smallestUnit: 'minute' })} (${timeZone})`;
}
