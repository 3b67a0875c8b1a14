/**
 * The change calendar's placement, in the browser's time zone: the days a month or week
 * view shows and where each change or window falls on them. Pure: days are local
 * midnights built with `new Date(y, m, d)`, so a day across a daylight saving switch is
 * 23 or 25 hours long and positions within it are fractions of its real length.
 */

export type CalendarView = 'month' | 'week';

/** Anything with a half-open interval `[start, end)`, in epoch milliseconds. */
export interface CalendarEvent {
  id: string;
  start: number;
  end: number;
}

/** One event's part within one day. */
export interface DaySegment<E extends CalendarEvent = CalendarEvent> {
  event: E;
  /** Began on an earlier day. */
  continuesFromBefore: boolean;
  /** Goes on into a later day. */
  continuesAfter: boolean;
  /** Where within the day it starts and how long it is, as fractions of the day (0 to 1). */
  top: number;
  height: number;
  /** Side-by-side placement among the day's segments that overlap it: column `lane` of `lanes`. */
  lane: number;
  lanes: number;
}

export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** The Monday (ISO 8601 weeks) on or before the date, at midnight. */
export function startOfWeek(date: Date): Date {
  const day = startOfDay(date);
  return addDays(day, -((day.getDay() + 6) % 7));
}

/** The seven days of the date's week, Monday first. */
export function weekDays(date: Date): Date[] {
  const monday = startOfWeek(date);
  return Array.from({ length: 7 }, (_, index) => addDays(monday, index));
}

/** The weeks (Monday to Sunday) that cover the date's month, whole. */
export function monthWeeks(date: Date): Date[][] {
  const first = new Date(date.getFullYear(), date.getMonth(), 1);
  const last = new Date(date.getFullYear(), date.getMonth() + 1, 0);
  const weeks: Date[][] = [];
  for (let monday = startOfWeek(first); monday <= last; monday = addDays(monday, 7))
    weeks.push(weekDays(monday));
  return weeks;
}

/** The days a view shows, in order. */
export function visibleDays(view: CalendarView, anchor: Date): Date[] {
  return view === 'week' ? weekDays(anchor) : monthWeeks(anchor).flat();
}

/** `[from, to)` of what a view shows, to ask the schedule for. */
export function visibleRange(view: CalendarView, anchor: Date): { from: Date; to: Date } {
  const days = visibleDays(view, anchor);
  return { from: days[0], to: addDays(days[days.length - 1], 1) };
}

/** The next or previous month or week. */
export function shiftAnchor(view: CalendarView, anchor: Date, step: 1 | -1): Date {
  return view === 'week'
    ? addDays(startOfWeek(anchor), 7 * step)
    : new Date(anchor.getFullYear(), anchor.getMonth() + step, 1);
}

const two = (value: number) => String(value).padStart(2, '0');

/** `2026-03-09`: a day in the address. */
export function toDayParam(date: Date): string {
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())}`;
}

/** The day a `2026-03-09` names, at local midnight; undefined for anything else. */
export function fromDayParam(text: string | null): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]) - 1, Number(match[3])];
  const date = new Date(year, month, day);
  return date.getMonth() === month && date.getDate() === day ? date : undefined;
}

/** Lanes for overlapping segments of one day: each takes the first free column. */
function assignLanes<E extends CalendarEvent>(
  segments: Omit<DaySegment<E>, 'lane' | 'lanes'>[],
): DaySegment<E>[] {
  const sorted = [...segments].sort(
    (a, b) => a.top - b.top || b.height - a.height || a.event.id.localeCompare(b.event.id),
  );
  const placed: DaySegment<E>[] = [];
  // A cluster: segments linked by overlap; they share one number of lanes.
  let cluster: DaySegment<E>[] = [];
  let clusterEnd = -1;
  const close = () => {
    const lanes = Math.max(1, ...cluster.map((segment) => segment.lane + 1));
    for (const segment of cluster) segment.lanes = lanes;
    cluster = [];
  };
  for (const segment of sorted) {
    if (cluster.length > 0 && segment.top >= clusterEnd) close();
    const laneEnds: number[] = [];
    for (const other of cluster)
      laneEnds[other.lane] = Math.max(laneEnds[other.lane] ?? -1, other.top + other.height);
    let lane = 0;
    while (laneEnds[lane] !== undefined && laneEnds[lane] > segment.top) lane += 1;
    const withLane: DaySegment<E> = { ...segment, lane, lanes: 1 };
    cluster.push(withLane);
    placed.push(withLane);
    clusterEnd = Math.max(clusterEnd, segment.top + segment.height);
  }
  if (cluster.length > 0) close();
  return placed;
}

/**
 * Each day's segments of the events overlapping it (half-open: an event ending at
 * midnight is not on the next day), in order of start, with their lanes.
 */
export function placeOnDays<E extends CalendarEvent>(
  events: readonly E[],
  days: readonly Date[],
): DaySegment<E>[][] {
  return days.map((day) => {
    const dayStart = day.getTime();
    const dayEnd = addDays(day, 1).getTime();
    const length = dayEnd - dayStart;
    const segments = events
      .filter((event) => event.start < dayEnd && event.end > dayStart)
      .map((event) => {
        const start = Math.max(event.start, dayStart);
        const end = Math.min(event.end, dayEnd);
        return {
          event,
          continuesFromBefore: event.start < dayStart,
          continuesAfter: event.end > dayEnd,
          top: (start - dayStart) / length,
          height: (end - start) / length,
        };
      });
    return assignLanes(segments);
  });
}
