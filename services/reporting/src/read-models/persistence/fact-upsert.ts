import { type EntityManager } from 'typeorm';
import { type FactColumn, type FactRow, type FactTableShape } from '../domain/fact-table';

const SCHEMA = 'reporting';

export function quoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function factTable(table: string): string {
  return `${quoted(SCHEMA)}.${quoted(table)}`;
}

/** The expression a column takes when a fact meets the stored row (`t`), as mergeFacts computes it. */
function mergedExpression(shape: FactTableShape, column: FactColumn, newer: string): string {
  const stored = `t.${quoted(column.name)}`;
  const incoming = `EXCLUDED.${quoted(column.name)}`;
  switch (column.merge.kind) {
    case 'snapshot':
      return `CASE WHEN ${newer} THEN ${incoming} ELSE ${stored} END`;
    case 'least':
      return `LEAST(${stored}, ${incoming})`;
    case 'greatest':
      return `GREATEST(${stored}, ${incoming})`;
    case 'union':
      return `ARRAY(SELECT DISTINCT v FROM unnest(${stored} || ${incoming}) AS v ORDER BY v)`;
    case 'cardinality': {
      const counted = column.merge.of;
      const of = shape.columns.find((candidate) => candidate.name === counted);
      if (!of) throw new Error(`${shape.table}.${column.name} counts an unknown column`);
      return `cardinality(${mergedExpression(shape, of, newer)})`;
    }
  }
}

/** Would merging the incoming fact change this column? Cheaper than comparing the merged row. */
function changes(column: FactColumn): string | null {
  const stored = `t.${quoted(column.name)}`;
  const incoming = `EXCLUDED.${quoted(column.name)}`;
  switch (column.merge.kind) {
    case 'least':
      return `${incoming} < ${stored} OR (${stored} IS NULL AND ${incoming} IS NOT NULL)`;
    case 'greatest':
      return `${incoming} > ${stored} OR (${stored} IS NULL AND ${incoming} IS NOT NULL)`;
    case 'union':
      return `NOT (${incoming} <@ ${stored})`;
    default:
      // Snapshot columns change only with a newer fact; a count only with its list.
      return null;
  }
}

/**
 * One statement for a whole batch: the facts (one per record, folded beforehand) come in
 * as one JSON parameter, and each merges into its stored row by the table's rules. A fact
 * that changes nothing (a duplicate, an older version) writes nothing.
 */
export function upsertStatement(shape: FactTableShape, table: string): string {
  const names = shape.columns.map((column) => quoted(column.name));
  const recordset = shape.columns.map((column) => `${quoted(column.name)} ${column.type}`);
  const tuple = (prefix: string) =>
    `(${shape.precedence.map((name) => `${prefix}.${quoted(name)}`).join(', ')})`;
  const newer = `${tuple('EXCLUDED')} > ${tuple('t')}`;
  const merged = shape.columns.filter((column) => column.name !== shape.key);
  const assignments = merged.map(
    (column) => `${quoted(column.name)} = ${mergedExpression(shape, column, newer)}`,
  );
  const changed = [
    newer,
    ...merged.flatMap((column) => changes(column) ?? []).map((condition) => `(${condition})`),
  ];
  return `INSERT INTO ${factTable(table)} AS t (${names.join(', ')})
SELECT ${names.join(', ')} FROM jsonb_to_recordset($1::jsonb) AS fact(${recordset.join(', ')})
ON CONFLICT (${quoted(shape.key)}) DO UPDATE SET
  ${assignments.join(',\n  ')}
WHERE ${changed.join('\n   OR ')}`;
}

const statements = new Map<string, string>();

export async function upsertFacts(
  manager: EntityManager,
  shape: FactTableShape,
  table: string,
  facts: readonly FactRow[],
): Promise<void> {
  if (facts.length === 0) return;
  const cacheKey = `${shape.table}:${table}`;
  let statement = statements.get(cacheKey);
  if (!statement) {
    statement = upsertStatement(shape, table);
    statements.set(cacheKey, statement);
  }
  await manager.query(statement, [JSON.stringify(facts)]);
}
