/**
 * The shape of a fact table and how two facts about the same record merge. The same rules
 * are applied twice: here, to fold the events of one batch about one record into a single
 * row (PostgreSQL refuses to update a row twice in one statement), and in SQL, to merge that
 * row into the stored one (persistence/fact-upsert.ts). Every rule is commutative and
 * idempotent, so late and duplicate events give the same row whatever the order.
 */
export type ColumnType =
  'uuid' | 'text' | 'int' | 'bigint' | 'bool' | 'timestamptz' | 'uuid[]' | 'int[]';

/**
 * - `snapshot`: taken from the fact that wins by the table's precedence (the newest version).
 * - `least` / `greatest`: the smallest / largest non-null value ever seen (ACC).
 * - `union`: every value ever seen, sorted, without duplicates (ACC).
 * - `cardinality`: the number of elements of another (`union`) column, kept for queries.
 */
export type MergeRule =
  | { kind: 'snapshot' }
  | { kind: 'least' }
  | { kind: 'greatest' }
  | { kind: 'union' }
  | { kind: 'cardinality'; of: string };

export interface FactColumn {
  name: string;
  type: ColumnType;
  merge: MergeRule;
}

export interface FactTableShape {
  table: string;
  key: string;
  columns: readonly FactColumn[];
  /**
   * The columns whose tuple orders two facts about one record: the greater wins the
   * `snapshot` columns (a tie keeps the stored one: equal precedence means equal snapshot).
   */
  precedence: readonly string[];
}

export type FactValue = string | number | boolean | null | readonly string[] | readonly number[];
export type FactRow = Readonly<Record<string, FactValue>>;

export const snapshot: MergeRule = { kind: 'snapshot' };
export const least: MergeRule = { kind: 'least' };
export const greatest: MergeRule = { kind: 'greatest' };
export const union: MergeRule = { kind: 'union' };

/** A column list written as `name: type merge?` pairs, for the projection definitions. */
export function columns(
  spec: Record<string, ColumnType | [ColumnType, MergeRule]>,
): readonly FactColumn[] {
  return Object.entries(spec).map(([name, value]) =>
    Array.isArray(value)
      ? { name, type: value[0], merge: value[1] }
      : { name, type: value, merge: snapshot },
  );
}

/** Timestamps are kept as ISO 8601 UTC strings, so that comparing them as strings orders them. */
function compare(a: FactValue, b: FactValue): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}

function precedes(shape: FactTableShape, stored: FactRow, incoming: FactRow): boolean {
  for (const name of shape.precedence) {
    const order = compare(incoming[name] ?? null, stored[name] ?? null);
    if (order !== 0) return order > 0;
  }
  return false;
}

function unionOf(a: FactValue, b: FactValue): FactValue {
  const values = [...((a as unknown[] | null) ?? []), ...((b as unknown[] | null) ?? [])];
  const numeric = values.every((value) => typeof value === 'number');
  const distinct = [...new Set(values)] as (string | number)[];
  return numeric
    ? (distinct as number[]).sort((x, y) => x - y)
    : (distinct as string[]).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
}

function extremeOf(a: FactValue, b: FactValue, pick: 'least' | 'greatest'): FactValue {
  if (a === null || a === undefined) return b ?? null;
  if (b === null || b === undefined) return a;
  const order = compare(a, b);
  return pick === 'least' ? (order <= 0 ? a : b) : order >= 0 ? a : b;
}

/** The one row two facts about the same record make (the SQL upsert computes the same). */
export function mergeFacts(shape: FactTableShape, stored: FactRow, incoming: FactRow): FactRow {
  const newer = precedes(shape, stored, incoming);
  const merged: Record<string, FactValue> = {};
  for (const column of shape.columns) {
    const a = stored[column.name] ?? null;
    const b = incoming[column.name] ?? null;
    switch (column.merge.kind) {
      case 'snapshot':
        merged[column.name] = newer ? b : a;
        break;
      case 'least':
      case 'greatest':
        merged[column.name] = extremeOf(a, b, column.merge.kind);
        break;
      case 'union':
        merged[column.name] = unionOf(a, b);
        break;
      case 'cardinality':
        break;
    }
  }
  for (const column of shape.columns) {
    if (column.merge.kind === 'cardinality')
      merged[column.name] = ((merged[column.merge.of] as unknown[] | null) ?? []).length;
  }
  return merged;
}

/** One row per record: the facts of a batch folded with {@link mergeFacts}. */
export function foldFacts(shape: FactTableShape, rows: readonly FactRow[]): FactRow[] {
  const byKey = new Map<string, FactRow>();
  for (const row of rows) {
    const key = String(row[shape.key]);
    const known = byKey.get(key);
    byKey.set(key, known ? mergeFacts(shape, known, row) : mergeFacts(shape, row, row));
  }
  return [...byKey.values()];
}
