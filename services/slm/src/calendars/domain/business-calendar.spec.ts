import fc from 'fast-check';
import { DateTime } from 'luxon';
import {
  WEEKDAYS,
  addWorkingTime,
  minutesOfDay,
  workingTimeBetween,
  type BusinessCalendar,
  type WorkingInterval,
} from './business-calendar';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Zones with daylight saving in both hemispheres, a half-hour offset, and a half-hour DST shift. */
const ZONES = [
  'Europe/Berlin',
  'America/New_York',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/St_Johns',
  'UTC',
];

/** Instants next to daylight-saving changes of those zones, where mistakes hide. */
const DST_CHANGES = [
  '2026-03-29T01:00:00Z', // Berlin springs forward
  '2026-10-25T01:00:00Z', // Berlin falls back
  '2026-03-08T07:00:00Z', // New York springs forward
  '2026-11-01T06:00:00Z', // New York falls back
  '2026-04-04T16:00:00Z', // Sydney falls back
  '2026-10-03T16:00:00Z', // Sydney springs forward
  '2026-04-04T15:00:00Z', // Lord Howe falls back half an hour
  '2026-03-08T05:30:00Z', // St John's springs forward
].map((iso) => Date.parse(iso));

/** Brute force: is the minute starting at `instant` worked? Read straight from the wall clock. */
function isWorkingMinute(calendar: BusinessCalendar, instant: number): boolean {
  const local = DateTime.fromMillis(instant, { zone: calendar.timeZone });
  if (calendar.holidays.includes(local.toISODate() ?? '')) return false;
  const minute = local.hour * 60 + local.minute;
  return (calendar.workingHours[WEEKDAYS[local.weekday - 1]] ?? []).some(
    ({ start, end }) => minute >= (minutesOfDay(start) ?? 0) && minute < (minutesOfDay(end) ?? 0),
  );
}

function bruteForceBetween(calendar: BusinessCalendar, from: number, to: number): number {
  let worked = 0;
  for (let minute = from; minute < to; minute += MINUTE)
    if (isWorkingMinute(calendar, minute)) worked += MINUTE;
  return worked;
}

/** Undefined when that much working time does not come within `reach`. */
function bruteForceAdd(
  calendar: BusinessCalendar,
  from: number,
  duration: number,
  reach: number,
): number | undefined {
  let remaining = duration;
  for (let minute = from; minute <= from + reach; minute += MINUTE) {
    if (remaining === 0) return minute;
    if (isWorkingMinute(calendar, minute)) remaining -= MINUTE;
  }
  return undefined;
}

const time = (minutes: number) =>
  minutes === 1440
    ? '24:00'
    : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

const interval: fc.Arbitrary<WorkingInterval> = fc
  .tuple(fc.integer({ min: 0, max: 1440 }), fc.integer({ min: 0, max: 1440 }))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ start: time(Math.min(a, b)), end: time(Math.max(a, b)) }));

/** A start instant on a whole minute, near a DST change or anywhere in 2026. */
const startInstant = fc.oneof(
  fc
    .tuple(fc.constantFrom(...DST_CHANGES), fc.integer({ min: -2 * 24 * 60, max: 24 * 60 }))
    .map(([change, minutes]) => change + minutes * MINUTE),
  fc
    .integer({ min: 0, max: 365 * 24 * 60 })
    .map((minutes) => Date.parse('2026-01-01T00:00:00Z') + minutes * MINUTE),
);

function calendarNear(start: number): fc.Arbitrary<BusinessCalendar> {
  return fc.record({
    timeZone: fc.constantFrom(...ZONES),
    workingHours: fc.record(
      Object.fromEntries(
        WEEKDAYS.map((day) => [day, fc.array(interval, { maxLength: 3 })]),
      ) as Record<(typeof WEEKDAYS)[number], fc.Arbitrary<WorkingInterval[]>>,
      { requiredKeys: [] },
    ),
    holidays: fc
      .array(fc.integer({ min: -1, max: 4 }), { maxLength: 3 })
      .map((days) =>
        days.map((offset) => new Date(start + offset * DAY).toISOString().slice(0, 10)),
      ),
  });
}

const calendarAndStart = startInstant.chain((start) =>
  fc.tuple(fc.constant(start), calendarNear(start)),
);

describe('working-time arithmetic against a minute-by-minute oracle', () => {
  it('measures working time between two instants as the wall clock says', () => {
    fc.assert(
      fc.property(
        calendarAndStart,
        fc.integer({ min: 0, max: 36 * 60 }),
        ([from, calendar], minutes) => {
          const to = from + minutes * MINUTE;
          expect(workingTimeBetween(calendar, from, to)).toBe(
            bruteForceBetween(calendar, from, to),
          );
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('adds working time to reach the instant at which that much has been worked', () => {
    fc.assert(
      fc.property(
        calendarAndStart,
        fc.integer({ min: 0, max: 8 * 60 }),
        ([from, calendar], minutes) => {
          const duration = minutes * MINUTE;
          const expected = bruteForceAdd(calendar, from, duration, 2 * DAY);
          // Calendars with too little working time nearby are left to the next property.
          fc.pre(expected !== undefined);
          expect(addWorkingTime(calendar, from, duration)).toBe(expected);
        },
      ),
      { numRuns: 800 },
    );
  });

  it('adding and measuring agree for instants off the minute and long durations', () => {
    fc.assert(
      fc.property(
        calendarAndStart.filter(([, calendar]) =>
          WEEKDAYS.some((day) => (calendar.workingHours[day] ?? []).length > 0),
        ),
        fc.integer({ min: 0, max: 59_999 }),
        fc.integer({ min: 0, max: 40 * HOUR }),
        ([start, calendar], jitter, duration) => {
          const from = start + jitter;
          const due = addWorkingTime(calendar, from, duration);
          expect(workingTimeBetween(calendar, from, due)).toBe(duration);
          if (duration > 0) expect(workingTimeBetween(calendar, from, due - 1)).toBe(duration - 1);
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('working-time arithmetic, worked examples', () => {
  const officeHours = (timeZone: string, holidays: string[] = []): BusinessCalendar => ({
    timeZone,
    workingHours: Object.fromEntries(
      WEEKDAYS.slice(0, 5).map((day) => [day, [{ start: '09:00', end: '17:00' }]]),
    ),
    holidays,
  });
  const allDay: BusinessCalendar = {
    timeZone: 'UTC',
    workingHours: Object.fromEntries(
      WEEKDAYS.map((day) => [day, [{ start: '00:00', end: '24:00' }]]),
    ),
    holidays: [],
  };

  it('counts every millisecond on a 24x7 calendar', () => {
    const from = Date.parse('2026-03-28T22:00:00Z');
    expect(addWorkingTime(allDay, from, 4 * HOUR)).toBe(from + 4 * HOUR);
  });

  it('carries a Friday afternoon target over the weekend into Monday', () => {
    const friday = Date.parse('2026-11-20T15:00:00Z'); // 16:00 in Berlin
    expect(
      new Date(addWorkingTime(officeHours('Europe/Berlin'), friday, 4 * HOUR)).toISOString(),
    ).toBe(
      '2026-11-23T11:00:00.000Z', // Monday 12:00 in Berlin
    );
  });

  it('skips a holiday given as a date in the calendar zone', () => {
    const thursday = Date.parse('2026-12-24T15:00:00Z'); // 16:00 in Berlin
    const due = addWorkingTime(officeHours('Europe/Berlin', ['2026-12-25']), thursday, 2 * HOUR);
    expect(new Date(due).toISOString()).toBe('2026-12-28T09:00:00.000Z'); // Monday 10:00
  });

  it('a night shift spanning midnight counts on both days', () => {
    const nights: BusinessCalendar = {
      timeZone: 'Asia/Kolkata',
      workingHours: Object.fromEntries(
        WEEKDAYS.map((day) => [
          day,
          [
            { start: '00:00', end: '06:00' },
            { start: '22:00', end: '24:00' },
          ],
        ]),
      ),
      holidays: [],
    };
    const evening = Date.parse('2026-06-01T16:30:00Z'); // 22:00 in Kolkata
    expect(workingTimeBetween(nights, evening, evening + 8 * HOUR)).toBe(8 * HOUR);
    expect(workingTimeBetween(nights, evening, evening + 9 * HOUR)).toBe(8 * HOUR);
  });

  it('the night the clocks go back holds a 25-hour day in New York', () => {
    const calendar = { ...allDay, timeZone: 'America/New_York' };
    const midnight = Date.parse('2026-11-01T04:00:00Z');
    const nextMidnight = DateTime.fromMillis(midnight, { zone: 'America/New_York' })
      .plus({ days: 1 })
      .toMillis();
    expect(workingTimeBetween(calendar, midnight, nextMidnight)).toBe(25 * HOUR);
  });
});
