const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checked before a lookup: PostgreSQL refuses a malformed uuid with an error that aborts the transaction. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
