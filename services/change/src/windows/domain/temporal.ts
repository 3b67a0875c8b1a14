import { type Temporal as TemporalApi } from 'temporal-spec';

/**
 * Node 26 has Temporal built in, but TypeScript 5.9 ships no types for it: the types come
 * from `temporal-spec` (what rrule-temporal's own declarations use), the values from the
 * runtime. Missing at run time is a deployment error worth failing loudly on.
 */
function builtInTemporal(): typeof TemporalApi {
  const temporal = (globalThis as { Temporal?: typeof TemporalApi }).Temporal;
  if (!temporal) throw new Error('Temporal is not available: change windows need Node.js 26+');
  return temporal;
}

export const Temporal = builtInTemporal();

export type ZonedDateTime = TemporalApi.ZonedDateTime;
export type PlainDateTime = TemporalApi.PlainDateTime;
export type Duration = TemporalApi.Duration;

/** The instant as a date-time in a zone. */
export function zoned(instant: Date, timeZone: string): ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
}

/**
 * The zone's canonical IANA name (`europe/berlin` is `Europe/Berlin`), or undefined for
 * anything else: an unknown name, or a bare UTC offset, which has no daylight saving time
 * and so cannot keep a local wall-clock time across a switch.
 */
export function canonicalTimeZone(timeZone: string): string | undefined {
  if (/^[+\-\u2212]/.test(timeZone.trim())) return undefined;
  try {
    return Temporal.Now.zonedDateTimeISO(timeZone.trim()).timeZoneId;
  } catch {
    return undefined;
  }
}
