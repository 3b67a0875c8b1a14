import { IANAZone } from 'luxon';

export const WEEKDAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** Working hours on one day, as wall-clock times in the calendar's zone: `09:00`–`17:30`; `24:00` ends at midnight. */
export interface WorkingInterval {
  start: string;
  end: string;
}

export interface BusinessCalendar {
  /** An IANA time zone such as `Europe/Berlin`. */
  timeZone: string;
  /** Per weekday, the intervals worked; a day without an entry is not worked. */
  workingHours: Partial<Record<Weekday, readonly WorkingInterval[]>>;
  /** Days not worked at all, as `YYYY-MM-DD` dates in the calendar's zone. */
  holidays: readonly string[];
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** Offsets of real zones change at most twice a year; probing every 6 hours cannot miss a change. */
const OFFSET_PROBE_MS = 6 * 3_600_000;
/** No calendar accepted by the API needs more than this to find its next working minute. */
const SEARCH_HORIZON_MS = 50 * 366 * DAY_MS;

const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$|^24:00$/;

/** `HH:mm` → minutes since midnight, or undefined when it is not such a time. */
export function minutesOfDay(time: string): number | undefined {
  if (!TIME_OF_DAY.test(time)) return undefined;
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/**
 * A calendar prepared for arithmetic: per ISO weekday (1 = Monday), the day's working
 * intervals in milliseconds after local midnight, sorted and merged.
 */
interface PreparedCalendar {
  zone: IANAZone;
  days: [number, number][][];
  holidays: Set<string>;
}

const prepared = new WeakMap<BusinessCalendar, PreparedCalendar>();

function prepare(calendar: BusinessCalendar): PreparedCalendar {
  const cached = prepared.get(calendar);
  if (cached) return cached;
  const zone = IANAZone.create(calendar.timeZone);
  if (!zone.isValid) throw new Error(`unknown time zone ${calendar.timeZone}`);
  const days = WEEKDAYS.map((weekday) => {
    const intervals = (calendar.workingHours[weekday] ?? [])
      .map(({ start, end }): [number, number] => [
        (minutesOfDay(start) ?? 0) * MINUTE_MS,
        (minutesOfDay(end) ?? 0) * MINUTE_MS,
      ])
      .filter(([start, end]) => end > start)
      .sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const interval of intervals) {
      const last = merged.at(-1);
      if (last && interval[0] <= last[1]) last[1] = Math.max(last[1], interval[1]);
      else merged.push([...interval]);
    }
    return merged;
  });
  const result = { zone, days, holidays: new Set(calendar.holidays) };
  prepared.set(calendar, result);
  return result;
}

/**
 * A stretch of time during which the zone's UTC offset does not change, so an instant
 * and its wall-clock reading differ by a constant (`offsetMs`).
 */
interface ConstantOffsetSpan {
  from: number;
  to: number;
  offsetMs: number;
}

function offsetMsAt(zone: IANAZone, instant: number): number {
  return zone.offset(instant) * MINUTE_MS;
}

/** The first instant after `from` (and before `limit`) at which the zone's offset changes, or `limit`. */
function nextOffsetChange(zone: IANAZone, from: number, limit: number): number {
  const offset = offsetMsAt(zone, from);
  let probe = from;
  while (probe < limit) {
    const next = Math.min(probe + OFFSET_PROBE_MS, limit);
    if (offsetMsAt(zone, next) !== offset) {
      let low = probe;
      let high = next;
      while (high - low > 1) {
        const middle = Math.floor((low + high) / 2);
        if (offsetMsAt(zone, middle) === offset) low = middle;
        else high = middle;
      }
      return high;
    }
    probe = next;
  }
  return limit;
}

/** The working stretches of `[from, to)`, in order, as instants. */
function* workingStretches(
  calendar: PreparedCalendar,
  from: number,
  to: number,
): Generator<[number, number]> {
  let spanStart = from;
  while (spanStart < to) {
    const spanEnd = nextOffsetChange(calendar.zone, spanStart, Math.min(to, spanStart + DAY_MS));
    const span: ConstantOffsetSpan = {
      from: spanStart,
      to: spanEnd,
      offsetMs: offsetMsAt(calendar.zone, spanStart),
    };
    yield* stretchesInSpan(calendar, span);
    spanStart = spanEnd;
  }
}

/**
 * Within a span of constant offset, wall-clock time is the instant shifted by the offset:
 * intersect the span's wall-clock range with each local day's working intervals.
 */
function* stretchesInSpan(
  calendar: PreparedCalendar,
  span: ConstantOffsetSpan,
): Generator<[number, number]> {
  const localFrom = span.from + span.offsetMs;
  const localTo = span.to + span.offsetMs;
  for (
    let localMidnight = Math.floor(localFrom / DAY_MS) * DAY_MS;
    localMidnight < localTo;
    localMidnight += DAY_MS
  ) {
    const day = new Date(localMidnight);
    if (calendar.holidays.has(day.toISOString().slice(0, 10))) continue;
    const isoWeekday = ((day.getUTCDay() + 6) % 7) + 1;
    for (const [start, end] of calendar.days[isoWeekday - 1]) {
      const stretchFrom = Math.max(localFrom, localMidnight + start);
      const stretchTo = Math.min(localTo, localMidnight + end);
      if (stretchTo > stretchFrom) yield [stretchFrom - span.offsetMs, stretchTo - span.offsetMs];
    }
  }
}

/** Working time between two instants (epoch milliseconds); 0 when `to` is not after `from`. */
export function workingTimeBetween(calendar: BusinessCalendar, from: number, to: number): number {
  let total = 0;
  for (const [start, end] of workingStretches(prepare(calendar), from, to)) total += end - start;
  return total;
}

/**
 * The instant at which `durationMs` of working time has passed since `from`. Adding
 * nothing answers `from` itself; a duration that ends exactly where a working stretch
 * ends answers that end, not the start of the next stretch.
 */
export function addWorkingTime(
  calendar: BusinessCalendar,
  from: number,
  durationMs: number,
): number {
  if (durationMs <= 0) return from;
  let remaining = durationMs;
  const ready = prepare(calendar);
  for (let windowStart = from; windowStart < from + SEARCH_HORIZON_MS; windowStart += 30 * DAY_MS) {
    for (const [start, end] of workingStretches(ready, windowStart, windowStart + 30 * DAY_MS)) {
      if (end - start >= remaining) return start + remaining;
      remaining -= end - start;
    }
  }
  throw new Error('the calendar has no working time within fifty years');
}
