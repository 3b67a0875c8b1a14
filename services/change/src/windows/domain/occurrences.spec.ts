import {
  MAX_OCCURRENCE_RANGE_DAYS,
  OccurrenceRangeTooLarge,
  lastOccurrenceEnd,
  occurrencesBetween,
  startsOnAnOccurrence,
  type WindowTiming,
} from './occurrences';
import { zoned } from './temporal';

const at = (iso: string) => new Date(iso);

/** Occurrences as UTC ISO pairs, the way the assertions below read them. */
function expand(window: WindowTiming, from: string, to: string): string[][] {
  return occurrencesBetween(window, at(from), at(to)).map(({ start, end }) => [
    start.toISOString(),
    end.toISOString(),
  ]);
}

/** Occurrences as local wall-clock times in the window's zone. */
function local(window: WindowTiming, from: string, to: string): string[] {
  const zone = window.timeZone ?? 'UTC';
  const clock = (instant: Date) => zoned(instant, zone).toPlainDateTime().toString();
  return occurrencesBetween(window, at(from), at(to)).map(
    ({ start, end }) => `${clock(start)}..${clock(end)}`,
  );
}

/** Saturday 22:00 to Sunday 02:00 in Berlin, every week, from the Saturday before the March switch. */
const berlinSaturdayNight: WindowTiming = {
  start: at('2026-03-21T22:00:00+01:00'),
  end: at('2026-03-22T02:00:00+01:00'),
  recurrence: 'FREQ=WEEKLY;BYDAY=SA',
  timeZone: 'Europe/Berlin',
};

describe('the occurrences of a change window', () => {
  it('is the window itself when it does not recur, if it overlaps the range', () => {
    const once: WindowTiming = {
      start: at('2026-05-01T08:00:00Z'),
      end: at('2026-05-01T10:00:00Z'),
      recurrence: null,
      timeZone: null,
    };
    expect(expand(once, '2026-05-01T09:00:00Z', '2026-05-02T00:00:00Z')).toEqual([
      ['2026-05-01T08:00:00.000Z', '2026-05-01T10:00:00.000Z'],
    ]);
    expect(expand(once, '2026-05-01T10:00:00Z', '2026-05-02T00:00:00Z')).toEqual([]);
    expect(expand(once, '2026-04-30T00:00:00Z', '2026-05-01T08:00:00Z')).toEqual([]);
    expect(lastOccurrenceEnd(once)).toEqual(once.end);
  });

  it('keeps 22:00 local in Berlin across the March switch to summer time', () => {
    expect(expand(berlinSaturdayNight, '2026-03-20T00:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
      ['2026-03-21T21:00:00.000Z', '2026-03-22T01:00:00.000Z'],
      // The switch night: 02:00 does not exist on 29 March, the window ends when it would
      // have been (03:00 CEST, 01:00 UTC).
      ['2026-03-28T21:00:00.000Z', '2026-03-29T01:00:00.000Z'],
      ['2026-04-04T20:00:00.000Z', '2026-04-05T00:00:00.000Z'],
    ]);
    expect(local(berlinSaturdayNight, '2026-03-20T00:00:00Z', '2026-04-06T00:00:00Z')).toEqual([
      '2026-03-21T22:00:00..2026-03-22T02:00:00',
      '2026-03-28T22:00:00..2026-03-29T03:00:00',
      '2026-04-04T22:00:00..2026-04-05T02:00:00',
    ]);
  });

  it('keeps 22:00 local in Berlin across the October switch back to standard time', () => {
    expect(expand(berlinSaturdayNight, '2026-10-17T00:00:00Z', '2026-11-02T00:00:00Z')).toEqual([
      ['2026-10-17T20:00:00.000Z', '2026-10-18T00:00:00.000Z'],
      // 02:00 happens twice on 25 October: the window ends at the first (CEST).
      ['2026-10-24T20:00:00.000Z', '2026-10-25T00:00:00.000Z'],
      ['2026-10-31T21:00:00.000Z', '2026-11-01T01:00:00.000Z'],
    ]);
  });

  it('keeps the local end of a window across midnight, so the switch night is an hour shorter or longer', () => {
    const untilFour: WindowTiming = {
      ...berlinSaturdayNight,
      end: at('2026-03-22T04:00:00+01:00'),
    };
    expect(local(untilFour, '2026-03-27T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      '2026-03-28T22:00:00..2026-03-29T04:00:00',
    ]);
    expect(expand(untilFour, '2026-03-27T00:00:00Z', '2026-03-30T00:00:00Z')).toEqual([
      ['2026-03-28T21:00:00.000Z', '2026-03-29T02:00:00.000Z'],
    ]);
    expect(expand(untilFour, '2026-10-23T00:00:00Z', '2026-10-26T00:00:00Z')).toEqual([
      ['2026-10-24T20:00:00.000Z', '2026-10-25T03:00:00.000Z'],
    ]);
  });

  it('keeps 23:00 local in New York across its March and November switches', () => {
    const newYork: WindowTiming = {
      start: at('2026-02-28T23:00:00-05:00'),
      end: at('2026-03-01T03:00:00-05:00'),
      recurrence: 'FREQ=WEEKLY;BYDAY=SA',
      timeZone: 'America/New_York',
    };
    expect(expand(newYork, '2026-03-07T00:00:00Z', '2026-03-16T00:00:00Z')).toEqual([
      // 8 March, 02:00 EST -> 03:00 EDT: four clock hours are three real ones.
      ['2026-03-08T04:00:00.000Z', '2026-03-08T07:00:00.000Z'],
      ['2026-03-15T03:00:00.000Z', '2026-03-15T07:00:00.000Z'],
    ]);
    expect(expand(newYork, '2026-10-30T00:00:00Z', '2026-11-09T00:00:00Z')).toEqual([
      // 1 November, 02:00 EDT -> 01:00 EST: four clock hours are five real ones.
      ['2026-11-01T03:00:00.000Z', '2026-11-01T08:00:00.000Z'],
      ['2026-11-08T04:00:00.000Z', '2026-11-08T08:00:00.000Z'],
    ]);
  });

  it('includes an occurrence that started before the range and runs into it', () => {
    expect(expand(berlinSaturdayNight, '2026-04-04T23:00:00Z', '2026-04-05T12:00:00Z')).toEqual([
      ['2026-04-04T20:00:00.000Z', '2026-04-05T00:00:00.000Z'],
    ]);
    expect(expand(berlinSaturdayNight, '2026-04-05T00:00:00Z', '2026-04-05T12:00:00Z')).toEqual([]);
  });

  it('has nothing before the first occurrence', () => {
    expect(expand(berlinSaturdayNight, '2026-01-01T00:00:00Z', '2026-03-21T00:00:00Z')).toEqual([]);
  });

  it('ends with UNTIL, and knows when its last occurrence ends', () => {
    const untilApril = {
      ...berlinSaturdayNight,
      recurrence: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20260411T235959Z',
    };
    expect(
      local(untilApril, '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z').map((o) => o.slice(0, 10)),
    ).toEqual(['2026-03-21', '2026-03-28', '2026-04-04', '2026-04-11']);
    expect(lastOccurrenceEnd(untilApril)).toEqual(at('2026-04-12T00:00:00Z'));
  });

  it('ends after COUNT occurrences', () => {
    const three = { ...berlinSaturdayNight, recurrence: 'FREQ=WEEKLY;BYDAY=SA;COUNT=3' };
    expect(expand(three, '2026-03-01T00:00:00Z', '2026-06-01T00:00:00Z')).toHaveLength(3);
    expect(lastOccurrenceEnd(three)).toEqual(at('2026-04-05T00:00:00Z'));
    expect(lastOccurrenceEnd(berlinSaturdayNight)).toBeNull();
  });

  it('recurs on each day BYDAY names, at the start’s time', () => {
    const tuesdaysAndThursdays: WindowTiming = {
      start: at('2026-06-02T06:00:00+02:00'),
      end: at('2026-06-02T07:30:00+02:00'),
      recurrence: 'FREQ=WEEKLY;BYDAY=TU,TH',
      timeZone: 'Europe/Berlin',
    };
    expect(local(tuesdaysAndThursdays, '2026-06-01T00:00:00Z', '2026-06-12T00:00:00Z')).toEqual([
      '2026-06-02T06:00:00..2026-06-02T07:30:00',
      '2026-06-04T06:00:00..2026-06-04T07:30:00',
      '2026-06-09T06:00:00..2026-06-09T07:30:00',
      '2026-06-11T06:00:00..2026-06-11T07:30:00',
    ]);
  });

  it('takes the last Saturday of each month', () => {
    const lastSaturday: WindowTiming = {
      start: at('2026-01-31T20:00:00+01:00'),
      end: at('2026-02-01T04:00:00+01:00'),
      recurrence: 'FREQ=MONTHLY;BYDAY=-1SA',
      timeZone: 'Europe/Berlin',
    };
    expect(
      local(lastSaturday, '2026-01-01T00:00:00Z', '2026-05-01T00:00:00Z').map((o) =>
        o.slice(0, 10),
      ),
    ).toEqual(['2026-01-31', '2026-02-28', '2026-03-28', '2026-04-25']);
  });

  it('leaves out an occurrence whose local start does not exist that day (RFC 5545)', () => {
    const daily: WindowTiming = {
      start: at('2026-03-27T02:30:00+01:00'),
      end: at('2026-03-27T03:00:00+01:00'),
      recurrence: 'FREQ=DAILY',
      timeZone: 'Europe/Berlin',
    };
    expect(
      local(daily, '2026-03-27T00:00:00Z', '2026-03-31T00:00:00Z').map((o) => o.slice(0, 10)),
    ).toEqual(['2026-03-27', '2026-03-28', '2026-03-30']);
  });

  it('is expanded over a bounded range only', () => {
    const from = at('2026-01-01T00:00:00Z');
    const tooFar = new Date(from.getTime() + (MAX_OCCURRENCE_RANGE_DAYS + 1) * 86_400_000);
    expect(() => occurrencesBetween(berlinSaturdayNight, from, tooFar)).toThrow(
      OccurrenceRangeTooLarge,
    );
    expect(
      occurrencesBetween(
        berlinSaturdayNight,
        from,
        new Date(from.getTime() + MAX_OCCURRENCE_RANGE_DAYS * 86_400_000),
      ).length,
    ).toBeGreaterThan(40);
    expect(occurrencesBetween(berlinSaturdayNight, tooFar, from)).toEqual([]);
  });

  it('knows whether the rule selects the window’s start', () => {
    expect(startsOnAnOccurrence(berlinSaturdayNight)).toBe(true);
    expect(
      startsOnAnOccurrence({ ...berlinSaturdayNight, recurrence: 'FREQ=WEEKLY;BYDAY=SU' }),
    ).toBe(false);
  });
});
