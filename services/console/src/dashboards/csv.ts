/**
 * CSV as the platform's own exports write it (docs/api-conventions.md, "CSV export"):
 * RFC 4180, a header row then one row per line, CRLF line ends; a cell holding a comma, a
 * quote or a line break is quoted with its quotes doubled; null is an empty cell. A text
 * cell that starts like a spreadsheet formula (`=`, `+`, `-`, `@`, a tab or a carriage
 * return) is prefixed with `'`, so that opening the file never runs what someone typed into
 * a title; numbers and booleans are written as they are.
 */
export type CsvCell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** The header row and the rows, as one CSV text (every row ends with CRLF). */
export function toCsv(header: readonly string[], rows: readonly (readonly CsvCell[])[]): string {
  return [header, ...rows].map((row) => `${row.map(csvCell).join(',')}\r\n`).join('');
}

/** A file name of letters, digits, dots and dashes only: `incidents-opened-2026-12-05.csv`. */
export function csvFileName(name: string, at: Date): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${base || 'export'}-${at.toISOString().slice(0, 10)}.csv`;
}
