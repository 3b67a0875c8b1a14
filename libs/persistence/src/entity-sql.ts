import { type EntityMetadata, type ObjectLiteral } from 'typeorm';
import { type ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import { qualifiedTable, quoteIdentifier } from './sql-identifiers';

/**
 * A statement's parameters, each named by the placeholder it gets, so that parts of one
 * statement written in different places (a record's insert, its history, its outbox
 * events) number theirs without knowing about each other.
 */
export class StatementParameters {
  readonly values: unknown[] = [];

  /** The placeholder (`$n`) that stands for `value`. */
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** The alias of the row being inserted in {@link insertRowsSql}'s computed column expressions. */
export const NEW_ROW = 'new_row';

/**
 * `INSERT` of entities as their table's rows, in the order given, without TypeORM's
 * per-statement work: the columns come from the entity's metadata and the values travel
 * as one JSON parameter that PostgreSQL turns into rows (`jsonb_populate_recordset`), so
 * the statement can be one part of a larger one (a data-modifying CTE). Generated columns
 * are left to the database; `computed` gives SQL for the columns the entity never writes
 * (`insert: false`), in terms of the row aliased {@link NEW_ROW}.
 */
export function insertRowsSql<T extends ObjectLiteral>(
  metadata: EntityMetadata,
  rows: readonly T[],
  parameters: StatementParameters,
  computed: Readonly<Record<string, string>> = {},
): string {
  const columns = flatColumns(metadata).filter((column) => column.isInsert && !column.isGenerated);
  const values = rows.map((row) => {
    const value: Record<string, unknown> = {};
    for (const column of columns) value[column.databaseName] = column.getEntityValue(row) ?? null;
    return value;
  });
  const table = qualifiedTable(metadata);
  const names = [...columns.map((column) => column.databaseName), ...Object.keys(computed)];
  const expressions = [
    ...columns.map((column) => `${NEW_ROW}.${quoteIdentifier(column.databaseName)}`),
    ...Object.values(computed),
  ];
  return `INSERT INTO ${table} (${names.map(quoteIdentifier).join(', ')})
     SELECT ${expressions.join(', ')}
       FROM jsonb_populate_recordset(NULL::${table}, ${parameters.add(JSON.stringify(values))}::jsonb)
            WITH ORDINALITY AS ${NEW_ROW}
      ORDER BY ${NEW_ROW}.ordinality`;
}

/**
 * `UPDATE` of one entity's row to the values of `row` (every column it writes, the primary
 * key excepted), the same way {@link insertRowsSql} inserts: one JSON parameter, statement
 * text independent of the values, usable as a data-modifying CTE. `computed` as there.
 */
export function updateRowSql<T extends ObjectLiteral>(
  metadata: EntityMetadata,
  row: T,
  parameters: StatementParameters,
  computed: Readonly<Record<string, string>> = {},
): string {
  const columns = flatColumns(metadata).filter((column) => column.isUpdate && !column.isPrimary);
  const value: Record<string, unknown> = {};
  // The key too, so that computed expressions can use it.
  for (const column of [...metadata.primaryColumns, ...columns])
    value[column.databaseName] = column.getEntityValue(row) ?? null;
  const table = qualifiedTable(metadata);
  const names = [...columns.map((column) => column.databaseName), ...Object.keys(computed)];
  const expressions = [
    ...columns.map((column) => `${NEW_ROW}.${quoteIdentifier(column.databaseName)}`),
    ...Object.values(computed),
  ];
  const key = metadata.primaryColumns.map(
    (column) =>
      `${quoteIdentifier(column.databaseName)} = ${parameters.add(column.getEntityValue(row))}`,
  );
  return `UPDATE ${table} SET (${names.map(quoteIdentifier).join(', ')}) =
       (SELECT ${expressions.join(', ')}
          FROM jsonb_populate_record(NULL::${table}, ${parameters.add(JSON.stringify(value))}::jsonb) AS ${NEW_ROW})
     WHERE ${key.join(' AND ')}`;
}

/**
 * The select list that reads an entity's row aliased `alias` under its property names, so
 * that `manager.query` answers objects of the entity's shape without TypeORM's mapping:
 * node-postgres already gives dates, numbers and arrays their JavaScript types.
 */
export function selectColumnsSql(metadata: EntityMetadata, alias: string): string {
  return flatColumns(metadata)
    .filter((column) => column.isSelect)
    .map(
      (column) =>
        `${quoteIdentifier(alias)}.${quoteIdentifier(column.databaseName)} AS ${quoteIdentifier(column.propertyName)}`,
    )
    .join(', ');
}

/** The columns of an entity stored as its own properties; embedded and relation columns are not supported. */
function flatColumns(metadata: EntityMetadata): ColumnMetadata[] {
  const nested = metadata.columns.find(
    (column) => column.embeddedMetadata || column.relationMetadata || column.transformer,
  );
  if (nested) {
    throw new Error(
      `${metadata.name}.${nested.propertyPath} is embedded, a relation or transformed; write its SQL by hand`,
    );
  }
  return metadata.columns;
}
