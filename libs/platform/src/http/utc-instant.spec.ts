import { toUtcInstant } from './utc-instant';

describe('a date-time read as an instant in UTC', () => {
  // What the fuzzer sent the event archive: PostgreSQL refused the offset, with a 500.
  it('moves any offset ISO 8601 allows to UTC', () => {
    expect(toUtcInstant('0284-05-08T09:30:44-18:39')).toBe('0284-05-09T04:09:44.000Z');
    expect(toUtcInstant('2026-01-01T10:00:00+01:00')).toBe('2026-01-01T09:00:00.000Z');
    expect(toUtcInstant('2026-01-01T10:00:00Z')).toBe('2026-01-01T10:00:00.000Z');
  });

  it('leaves what is not a date-time for the validators to refuse', () => {
    expect(toUtcInstant('yesterday')).toBe('yesterday');
    expect(toUtcInstant(42)).toBe(42);
    expect(toUtcInstant(undefined)).toBeUndefined();
  });
});
