/**
 * The date and time as `Date.prototype.toLocaleString()` shows them in the browser's
 * language, from one formatter: `toLocaleString` builds a new `Intl.DateTimeFormat` on every
 * call, which a list of fifty rows pays fifty times.
 */
const DATE_TIME = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** An ISO 8601 instant (or a Date) in the browser's language and time zone. */
export function formatDateTime(value: string | Date): string {
  return DATE_TIME.format(typeof value === 'string' ? new Date(value) : value);
}
