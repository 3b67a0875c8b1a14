import { Transform } from 'class-transformer';
import { isISO8601 } from 'class-validator';

/**
 * An ISO 8601 date-time as the same instant in UTC, when it is one; anything else is left
 * for the validators to refuse. ISO 8601 allows offsets PostgreSQL refuses (beyond
 * ±15:59: "time zone displacement out of range", a 500), so no offset reaches a query.
 */
export function toUtcInstant(value: unknown): unknown {
  if (typeof value !== 'string' || !isISO8601(value, { strict: true })) return value;
  const time = Date.parse(value);
  return Number.isFinite(time) ? new Date(time).toISOString() : value;
}

/** {@link toUtcInstant} on a DTO property. */
export function UtcInstant(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => toUtcInstant(value));
}
