import { RRuleTemporal } from 'rrule-temporal';
import { Temporal, type ZonedDateTime } from './temporal';

/**
 * The most occurrences a COUNT may ask for. A weekly window counted beyond this is better
 * written with an UNTIL (or none): the limit keeps expanding a rule cheap.
 */
export const MAX_RECURRENCE_COUNT = 1000;

const FREQUENCIES = ['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY'];
const WEEKDAY = '(MO|TU|WE|TH|FR|SA|SU)';

function integersWithin(min: number, max: number, signed: boolean) {
  return (value: string): string | undefined => {
    for (const item of value.split(',')) {
      const number = /^[+-]?\d{1,4}$/.test(item) ? Number(item) : NaN;
      const magnitude = Math.abs(number);
      const sign = !signed && /^[+-]/.test(item);
      if (!Number.isInteger(number) || magnitude < min || magnitude > max || sign)
        return signed
          ? `must be integers from ${min} to ${max}, or -${max} to -${min} counting from the end`
          : `must be integers from ${min} to ${max}`;
    }
    return undefined;
  };
}

/** What each rule part a change window takes must hold; undefined when it does. */
const PARTS: Record<string, (value: string) => string | undefined> = {
  FREQ: (value) =>
    FREQUENCIES.includes(value)
      ? undefined
      : /^(HOURLY|MINUTELY|SECONDLY)$/.test(value)
        ? 'a change window recurs at most daily: FREQ is DAILY, WEEKLY, MONTHLY or YEARLY'
        : 'must be DAILY, WEEKLY, MONTHLY or YEARLY',
  INTERVAL: integersWithin(1, 1000, false),
  COUNT: integersWithin(1, MAX_RECURRENCE_COUNT, false),
  UNTIL: (value) =>
    /^\d{8}(T\d{6}Z)?$/.test(value)
      ? undefined
      : 'must be a UTC date-time such as 20261231T235959Z, or a date such as 20261231',
  BYDAY: (value) =>
    value
      .split(',')
      .every((day) => new RegExp(`^([+-]?([1-9]|[1-4][0-9]|5[0-3]))?${WEEKDAY}$`).test(day))
      ? undefined
      : 'must be weekdays MO..SU, each with an optional ordinal such as -1SA',
  BYMONTHDAY: integersWithin(1, 31, true),
  BYMONTH: integersWithin(1, 12, false),
  BYYEARDAY: integersWithin(1, 366, true),
  BYWEEKNO: integersWithin(1, 53, true),
  BYSETPOS: integersWithin(1, 366, true),
  WKST: (value) => (new RegExp(`^${WEEKDAY}$`).test(value) ? undefined : 'must be a weekday'),
};

const TIME_OF_DAY_PARTS = ['BYHOUR', 'BYMINUTE', 'BYSECOND'];

/**
 * A recurrence as it is stored: without the `RRULE:` prefix (RFC 5545's property name,
 * which clients copy along), in upper case (every value of a rule is a keyword or number).
 */
export function normaliseRecurrence(text: string): string {
  return text
    .trim()
    .replace(/^RRULE:/i, '')
    .toUpperCase();
}

/**
 * What is wrong with a normalised rule, in a sentence, or undefined. The grammar is checked
 * here because rrule-temporal is lenient: it ignores parts it does not know and takes a
 * negative COUNT. A window's time of day is its start's, so the parts that would add times
 * are refused, which also keeps a window to at most one occurrence a day.
 */
export function recurrenceError(rule: string): string | undefined {
  if (rule === '') return 'must be an RRULE such as FREQ=WEEKLY;BYDAY=SA';
  const seen = new Set<string>();
  for (const part of rule.split(';')) {
    const match = /^([A-Z]+)=(.+)$/.exec(part);
    if (!match) return `has a part that is not NAME=VALUE: "${part}"`;
    const [, name, value] = match as unknown as [string, string, string];
    if (seen.has(name)) return `has ${name} twice`;
    seen.add(name);
    if (TIME_OF_DAY_PARTS.includes(name))
      return `must not have ${name}: the time of day of every occurrence is the window's start`;
    const check = PARTS[name];
    if (!check) return `has ${name}, which a change window does not take`;
    const problem = check(value);
    if (problem) return `${name} ${problem}`;
  }
  if (!seen.has('FREQ')) return 'must have a FREQ';
  if (seen.has('COUNT') && seen.has('UNTIL')) return 'must not have both COUNT and UNTIL';
  return undefined;
}

/**
 * The rule with a date-only UNTIL read as the end of that day in the window's zone, as
 * the UTC date-time RFC 5545 asks for with a date-time DTSTART (rrule-temporal, strict,
 * refuses the date alone).
 *
 * @throws RecurrenceRefused when the UNTIL date does not exist.
 */
export function withDateTimeUntil(rule: string, timeZone: string): string {
  return rule.replace(
    /(^|;)UNTIL=(\d{4})(\d{2})(\d{2})(?=;|$)/,
    (_part, lead: string, year: string, month: string, day: string) => {
      let endOfDay: string;
      try {
        endOfDay = Temporal.PlainDateTime.from(
          { year: +year, month: +month, day: +day, hour: 23, minute: 59, second: 59 },
          { overflow: 'reject' },
        )
          .toZonedDateTime(timeZone, { disambiguation: 'compatible' })
          .toInstant()
          .toString({ smallestUnit: 'second' });
      } catch {
        throw new RecurrenceRefused(`UNTIL ${year}${month}${day} is not a date`);
      }
      return `${lead}UNTIL=${endOfDay.replace(/[-:]/g, '')}`;
    },
  );
}

/** Thrown when rrule-temporal refuses a rule the grammar check let through. */
export class RecurrenceRefused extends Error {}

/** The rule expanded from `start` in its zone: occurrences keep the start's wall-clock time. */
export function ruleFrom(rule: string, start: ZonedDateTime): RRuleTemporal {
  try {
    return new RRuleTemporal({ rruleString: rule, dtstart: start, strict: true });
  } catch (error) {
    throw new RecurrenceRefused(error instanceof Error ? error.message : String(error));
  }
}
