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
  const { table, inserted } = shapeOf(metadata);
  const values = rows.map((row) => rowValue(inserted.columns, row));
  return `INSERT INTO ${table} (${inserted.names}${computedNames(computed)})
     SELECT ${inserted.expressions}${computedExpressions(computed)}
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
  const { table, updated, key } = shapeOf(metadata);
  // The key travels too, so that computed expressions can use it.
  const value = rowValue([...key, ...updated.columns], row);
  const keyCondition = key
    .map((column) => `${column.quoted} = ${parameters.add(row[column.property])}`)
    .join(' AND ');
  return `UPDATE ${table} SET (${updated.names}${computedNames(computed)}) =
       (SELECT ${updated.expressions}${computedExpressions(computed)}
          FROM jsonb_populate_record(NULL::${table}, ${parameters.add(JSON.stringify(value))}::jsonb) AS ${NEW_ROW})
     WHERE ${keyCondition}`;
}

/**
 * The select list that reads an entity's row aliased `alias` under its property names, so
 * that `manager.query` answers objects of the entity's shape without TypeORM's mapping:
 * node-postgres already gives dates, numbers and arrays their JavaScript types.
 */
export function selectColumnsSql(metadata: EntityMetadata, alias: string): string {
  const { selected, selectLists } = shapeOf(metadata);
  let list = selectLists.get(alias);
  if (list === undefined) {
    list = selected
      .map(
        (column) =>
          `${quoteIdentifier(alias)}.${column.quoted} AS ${quoteIdentifier(column.property)}`,
      )
      .join(', ');
    selectLists.set(alias, list);
  }
  return list;
}

interface Column {
  name: string;
  quoted: string;
  property: string;
}

interface ColumnList {
  columns: Column[];
  /** The quoted names, comma-separated. */
  names: string;
  /** The columns of {@link NEW_ROW}, comma-separated. */
  expressions: string;
}

/** What the statements need of an entity's metadata, worked out once per entity: these run per request. */
interface EntityShape {
  table: string;
  inserted: ColumnList;
  updated: ColumnList;
  key: Column[];
  selected: Column[];
  /** {@link selectColumnsSql}'s answer per alias. */
  selectLists: Map<string, string>;
}

const shapes = new WeakMap<EntityMetadata, EntityShape>();

function shapeOf(metadata: EntityMetadata): EntityShape {
  let shape = shapes.get(metadata);
  if (!shape) {
    shape = describe(metadata);
    shapes.set(metadata, shape);
  }
  return shape;
}

function describe(metadata: EntityMetadata): EntityShape {
  const nested = metadata.columns.find(
    (column) => column.embeddedMetadata || column.relationMetadata || column.transformer,
  );
  if (nested) {
    throw new Error(
      `${metadata.name}.${nested.propertyPath} is embedded, a relation or transformed; write its SQL by hand`,
    );
  }
  const column = (source: ColumnMetadata): Column => ({
    name: source.databaseName,
    quoted: quoteIdentifier(source.databaseName),
    property: source.propertyName,
  });
  const list = (columns: Column[]): ColumnList => ({
    columns,
    names: columns.map((each) => each.quoted).join(', '),
    expressions: columns.map((each) => `${NEW_ROW}.${each.quoted}`).join(', '),
  });
  return {
    table: qualifiedTable(metadata),
    inserted: list(
      metadata.columns.filter((each) => each.isInsert && !each.isGenerated).map(column),
    ),
    updated: list(metadata.columns.filter((each) => each.isUpdate && !each.isPrimary).map(column)),
    key: metadata.primaryColumns.map(column),
    selected: metadata.columns.filter((each) => each.isSelect).map(column),
    selectLists: new Map(),
  };
}

/** The row as `jsonb_populate_record` reads it: by column name, a missing value as null. */
function rowValue(columns: readonly Column[], row: ObjectLiteral): Record<string, unknown> {
  const value: Record<string, unknown> = {};
  for (const column of columns) value[column.name] = row[column.property] ?? null;
  return value;
}

function computedNames(computed: Readonly<Record<string, string>>): string {
  return Object.keys(computed)
    .map((name) => `, ${quoteIdentifier(name)}`)
    .join('');
}

function computedExpressions(computed: Readonly<Record<string, string>>): string {
  return Object.values(computed)
    .map((expression) => `, ${expression}`)
    .join('');
}
