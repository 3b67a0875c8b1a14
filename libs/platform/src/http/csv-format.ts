/**
 * How a list's items become CSV cells: the column map a list declares and the rules every
 * export shares (flattening, dates, formula-injection guard). Plain TypeScript, so the
 * rules are tested without a server.
 */

/** One CSV column: its header and how an item's cell is read. */
export interface CsvColumn<Item> {
  header: string;
  value: (item: Item) => unknown;
}

/**
 * The columns of a list's export, in the order they appear: a property of the item (the
 * header is its name) or a computed column.
 */
export type CsvColumns<Item> = readonly ((keyof Item & string) | CsvColumn<Item>)[];

/** Separates the values of an array in one cell (`ciIds`, `tags`). */
export const CSV_LIST_SEPARATOR = ';';

/**
 * What a spreadsheet reads as the start of a formula (or, for tab and carriage return, a
 * way to hide one): such a text cell is prefixed with `'`, as OWASP advises for CSV
 * injection, so that opening an export never runs what a caller typed into a title.
 */
const FORMULA_TRIGGER = /^[=+\-@\t\r]/;

export function guardFormula(text: string): string {
  return FORMULA_TRIGGER.test(text) ? `'${text}` : text;
}

function plain(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value);
}

/**
 * One cell: null is empty, a date its ISO 8601 UTC instant, an array its values joined
 * with `;`, an object its JSON; text that a spreadsheet would run as a formula is guarded.
 * Numbers and booleans are written as they are (a negative number is no formula).
 */
export function csvCell(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  const text = Array.isArray(value) ? value.map(plain).join(CSV_LIST_SEPARATOR) : plain(value);
  return guardFormula(text);
}

/** The header row of a column map. */
export function csvHeaders<Item>(columns: CsvColumns<Item>): string[] {
  return columns.map((column) => (typeof column === 'string' ? column : column.header));
}

/** An item's row under a column map, each cell formatted by {@link csvCell}. */
export function csvRow<Item>(item: Item, columns: CsvColumns<Item>): string[] {
  return columns.map((column) =>
    csvCell(typeof column === 'string' ? item[column as keyof Item] : column.value(item)),
  );
}
