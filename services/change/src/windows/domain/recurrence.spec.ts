import {
  RecurrenceRefused,
  normaliseRecurrence,
  recurrenceError,
  withDateTimeUntil,
} from './recurrence';

describe('a change window’s recurrence rule', () => {
  it('is stored without the RRULE: prefix, in upper case', () => {
    expect(normaliseRecurrence(' RRULE:freq=weekly;byday=sa ')).toBe('FREQ=WEEKLY;BYDAY=SA');
  });

  it.each([
    'FREQ=WEEKLY;BYDAY=SA',
    'FREQ=DAILY;INTERVAL=2;COUNT=10',
    'FREQ=WEEKLY;BYDAY=SA;UNTIL=20261231T235959Z',
    'FREQ=WEEKLY;BYDAY=SA;UNTIL=20261231',
    'FREQ=MONTHLY;BYDAY=-1SA',
    'FREQ=MONTHLY;BYDAY=SA;BYSETPOS=-1',
    'FREQ=MONTHLY;BYMONTHDAY=1,15,-1',
    'FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24',
    'FREQ=WEEKLY;WKST=SU;BYDAY=SU,SA',
  ])('takes %s', (rule) => {
    expect(recurrenceError(rule)).toBeUndefined();
  });

  it.each([
    ['', 'must be an RRULE such as FREQ=WEEKLY;BYDAY=SA'],
    ['BYDAY=SA', 'must have a FREQ'],
    ['FREQ=WEEKLY;;BYDAY=SA', 'has a part that is not NAME=VALUE: ""'],
    ['FREQ=FORTNIGHTLY', 'FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY'],
    [
      'FREQ=HOURLY',
      'FREQ a change window recurs at most daily: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY',
    ],
    [
      'FREQ=WEEKLY;BYHOUR=22',
      "must not have BYHOUR: the time of day of every occurrence is the window's start",
    ],
    ['FREQ=WEEKLY;COUNT=0', 'COUNT must be integers from 1 to 1000'],
    ['FREQ=WEEKLY;COUNT=-2', 'COUNT must be integers from 1 to 1000'],
    ['FREQ=WEEKLY;COUNT=1001', 'COUNT must be integers from 1 to 1000'],
    ['FREQ=WEEKLY;INTERVAL=0', 'INTERVAL must be integers from 1 to 1000'],
    [
      'FREQ=WEEKLY;BYDAY=XX',
      'BYDAY must be weekdays MO..SU, each with an optional ordinal such as -1SA',
    ],
    [
      'FREQ=MONTHLY;BYMONTHDAY=40',
      'BYMONTHDAY must be integers from 1 to 31, or -31 to -1 counting from the end',
    ],
    ['FREQ=YEARLY;BYMONTH=13', 'BYMONTH must be integers from 1 to 12'],
    [
      'FREQ=WEEKLY;UNTIL=2026-12-31',
      'UNTIL must be a UTC date-time such as 20261231T235959Z, or a date such as 20261231',
    ],
    [
      'FREQ=WEEKLY;UNTIL=20261231T235959',
      'UNTIL must be a UTC date-time such as 20261231T235959Z, or a date such as 20261231',
    ],
    ['FREQ=WEEKLY;FREQ=DAILY', 'has FREQ twice'],
    ['FREQ=WEEKLY;RDATE=20260101', 'has RDATE, which a change window does not take'],
    ['FREQ=WEEKLY;COUNT=3;UNTIL=20261231', 'must not have both COUNT and UNTIL'],
  ])('refuses "%s": %s', (rule, message) => {
    expect(recurrenceError(rule)).toBe(message);
  });

  it('reads a date-only UNTIL as the end of that day in the window’s zone, in UTC', () => {
    expect(withDateTimeUntil('FREQ=WEEKLY;UNTIL=20261231;BYDAY=SA', 'Europe/Berlin')).toBe(
      'FREQ=WEEKLY;UNTIL=20261231T225959Z;BYDAY=SA',
    );
    expect(withDateTimeUntil('FREQ=WEEKLY;BYDAY=SA;UNTIL=20260704', 'America/New_York')).toBe(
      'FREQ=WEEKLY;BYDAY=SA;UNTIL=20260705T035959Z',
    );
    expect(withDateTimeUntil('FREQ=WEEKLY;UNTIL=20261231T120000Z', 'Europe/Berlin')).toBe(
      'FREQ=WEEKLY;UNTIL=20261231T120000Z',
    );
    expect(() => withDateTimeUntil('FREQ=WEEKLY;UNTIL=20260230', 'UTC')).toThrow(
      new RecurrenceRefused('UNTIL 20260230 is not a date'),
    );
  });
});
