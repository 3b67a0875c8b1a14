import { type EntityManager } from 'typeorm';
import { foldFacts, type FactRow } from '../domain/fact-table';
import { project, type ProjectedEvent, type ProjectionDefinition } from '../domain/projection';
import { upsertFacts } from './fact-upsert';

export interface AppliedCounts {
  applied: number;
  skipped: number;
}

/**
 * Applies a batch of events to a projection's table (its live table, or the table a
 * rebuild fills): one upsert for the whole batch.
 */
export async function applyEvents(
  manager: EntityManager,
  projection: ProjectionDefinition,
  events: readonly ProjectedEvent[],
  table: string = projection.shape.table,
): Promise<AppliedCounts> {
  const facts: FactRow[] = [];
  let applied = 0;
  let skipped = 0;
  for (const event of events) {
    const projected = project(projection, event);
    if (projected.outcome === 'skipped') skipped += 1;
    if (projected.outcome !== 'applied') continue;
    applied += 1;
    if (projected.fact) facts.push(projected.fact);
  }
  await upsertFacts(manager, projection.shape, table, foldFacts(projection.shape, facts));
  return { applied, skipped };
}

/** The two advisory lock namespaces: writers of a projection's table, and its rebuild. */
export const WRITER_LOCK_CLASS = 18_001;
export const REBUILD_LOCK_CLASS = 18_002;

/**
 * Taken by every transaction that writes a projection live, before it appends the event
 * to the archive: the swap of a rebuild takes it exclusively, so that while it holds it
 * no event of the projection is half-way between the archive and the table.
 */
export async function lockProjectionForWriting(
  manager: EntityManager,
  projection: ProjectionDefinition,
): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock_shared($1, $2)', [
    WRITER_LOCK_CLASS,
    projection.lockId,
  ]);
}

export async function lockProjectionExclusively(
  manager: EntityManager,
  projection: ProjectionDefinition,
): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [
    WRITER_LOCK_CLASS,
    projection.lockId,
  ]);
}
