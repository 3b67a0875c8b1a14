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

/** The instants in 2026 at which `zone`'s UTC offset changes, to the minute (from luxon's zone data). */
function offsetChanges(zone: string): number[] {
  const offsetAt = (instant: number) => DateTime.fromMillis(instant, { zone }).offset;
  const changes: number[] = [];
  const end = Date.parse('2027-01-01T00:00:00Z');
  for (let hour = Date.parse('2026-01-01T00:00:00Z'); hour < end; hour += HOUR) {
    if (offsetAt(hour) === offsetAt(hour + HOUR)) continue;
    // The first minute of the new offset within the hour.
    let before = hour;
    let after = hour + HOUR;
    while (after - before > MINUTE) {
      const middle = before + Math.floor((after - before) / MINUTE / 2) * MINUTE;
      if (offsetAt(middle) === offsetAt(before)) before = middle;
      else after = middle;
    }
    changes.push(after);
  }
  return changes;
}

/** Each zone with daylight saving, with its offset changes of 2026. */
const ZONE_CHANGES = ZONES.map((zone) => ({ zone, changes: offsetChanges(zone) })).filter(
  ({ changes }) => changes.length > 0,
);

/**
 * A zone, one of its own offset changes, a start instant up to a day and a half before it,
 * and a calendar in that zone whose working hours on the change's local day straddle the
 * wall-clock time of the change (other days random): the skipped or repeated stretch lies
 * inside, at the edge of or just outside working time.
 */
const aroundOwnOffsetChange = fc
  .constantFrom(...ZONE_CHANGES)
  .chain(({ zone, changes }) =>
    fc.tuple(
      fc.constant(zone),
      fc.constantFrom(...changes),
      fc.integer({ min: 0, max: 36 * 60 }),
      fc.integer({ min: 0, max: 240 }),
      fc.integer({ min: 1, max: 240 }),
    ),
  )
  .chain(([zone, change, minutesBefore, reachBefore, reachAfter]) => {
    // The wall clock just before the change, one minute on: e.g. 02:00 when Berlin springs forward.
    const lastOld = DateTime.fromMillis(change - MINUTE, { zone });
    const clock = Math.min(lastOld.hour * 60 + lastOld.minute + 1, 1439);
    const straddling = {
      start: time(Math.max(0, clock - reachBefore)),
      end: time(Math.min(1440, clock + reachAfter)),
    };
    const day = WEEKDAYS[lastOld.weekday - 1];
    const start = change - minutesBefore * MINUTE;
    return fc.tuple(
      fc.constant(start),
      calendarNear(start).map((calendar): BusinessCalendar => ({
        ...calendar,
        timeZone: zone,
        workingHours: { ...calendar.workingHours, [day]: [straddling] },
      })),
    );
  });

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

  it('around the zone’s own offset changes: measuring and adding as the wall clock says', () => {
    fc.assert(
      fc.property(
        aroundOwnOffsetChange,
        fc.integer({ min: 0, max: 48 * 60 }),
        ([from, calendar], minutes) => {
          const to = from + minutes * MINUTE;
          expect(workingTimeBetween(calendar, from, to)).toBe(
            bruteForceBetween(calendar, from, to),
          );
        },
      ),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(
        aroundOwnOffsetChange,
        fc.integer({ min: 0, max: 8 * 60 }),
        ([from, calendar], minutes) => {
          const duration = minutes * MINUTE;
          const expected = bruteForceAdd(calendar, from, duration, 3 * DAY);
          fc.pre(expected !== undefined);
          expect(addWorkingTime(calendar, from, duration)).toBe(expected);
        },
      ),
      { numRuns: 400 },
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

  /** A calendar working `start`–`end` on Sundays only, in `timeZone`. */
  const sundays = (timeZone: string, start: string, end: string): BusinessCalendar => ({
    timeZone,
    workingHours: { sunday: [{ start, end }] },
    holidays: [],
  });
  const week = (from: string) => [Date.parse(from), Date.parse(from) + 7 * DAY] as const;

  it('the night the clocks go forward in Berlin: 01:00–04:00 holds two hours, 02:00–03:00 none', () => {
    // 2026-03-29, 02:00 CET becomes 03:00 CEST.
    const [from, to] = week('2026-03-26T00:00:00Z');
    expect(workingTimeBetween(sundays('Europe/Berlin', '01:00', '04:00'), from, to)).toBe(2 * HOUR);
    expect(workingTimeBetween(sundays('Europe/Berlin', '02:00', '03:00'), from, to)).toBe(0);
    const dayOfChange = { ...allDay, timeZone: 'Europe/Berlin' };
    expect(
      workingTimeBetween(
        dayOfChange,
        Date.parse('2026-03-28T23:00:00Z'), // Sunday 00:00 CET
        Date.parse('2026-03-29T22:00:00Z'), // Monday 00:00 CEST
      ),
    ).toBe(23 * HOUR);
    // From 01:30 CET, an hour of work ends at 03:30 CEST: the wall clock skipped 02:00–03:00.
    const due = addWorkingTime(
      sundays('Europe/Berlin', '01:00', '04:00'),
      Date.parse('2026-03-29T00:30:00Z'),
      HOUR,
    );
    expect(DateTime.fromMillis(due, { zone: 'Europe/Berlin' }).toISO()).toBe(
      '2026-03-29T03:30:00.000+02:00',
    );
  });

  it('Sydney, in the southern hemisphere: the April night repeats 02:00–03:00, the October night skips it', () => {
    // 2026-04-05, 03:00 AEDT becomes 02:00 AEST; 2026-10-04, 02:00 AEST becomes 03:00 AEDT.
    const april = week('2026-04-02T00:00:00Z');
    const october = week('2026-10-01T00:00:00Z');
    const nights = sundays('Australia/Sydney', '00:00', '06:00');
    expect(workingTimeBetween(nights, ...april)).toBe(7 * HOUR);
    expect(workingTimeBetween(nights, ...october)).toBe(5 * HOUR);
    const theHour = sundays('Australia/Sydney', '02:00', '03:00');
    expect(workingTimeBetween(theHour, ...april)).toBe(2 * HOUR);
    expect(workingTimeBetween(theHour, ...october)).toBe(0);
    // Four hours of work from Sunday 00:00 end at 05:00 in October (the clock skipped an
    // hour) and at the second 03:00 in April (it went back one).
    const fromMidnight = (iso: string) =>
      DateTime.fromMillis(addWorkingTime(nights, Date.parse(iso), 4 * HOUR), {
        zone: 'Australia/Sydney',
      }).toISO();
    expect(fromMidnight('2026-10-03T14:00:00Z')).toBe('2026-10-04T05:00:00.000+11:00');
    expect(fromMidnight('2026-04-04T13:00:00Z')).toBe('2026-04-05T03:00:00.000+10:00');
  });
});
