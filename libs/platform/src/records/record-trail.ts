import { type DataSource, type EntityManager } from 'typeorm';
import { StatementParameters, insertRowsSql } from '@itsm/persistence';
import { type FieldChange } from '@itsm/domain';
import { HistoryEntryEntity } from './history-entry.entity';
import { JournalEntryEntity, type JournalKind } from './journal-entry.entity';

/** The journal and field history every record-keeping service stores, in its own schema. */
export const RECORD_TRAIL_ENTITIES = [JournalEntryEntity, HistoryEntryEntity];

/** Appends one history entry per changed field of a record. */
export async function appendHistory(
  manager: EntityManager,
  recordId: string,
  changes: readonly FieldChange[],
  actor: string,
  at: Date,
): Promise<void> {
  const parameters = new StatementParameters();
  const insert = historyInsertSql(manager.connection, parameters, recordId, changes, actor, at);
  if (insert) await manager.query(insert, parameters.values);
}

/**
 * {@link appendHistory}'s statement, to be one part of a larger one (a data-modifying
 * CTE); null when nothing changed. The entries get their ids in the order of `changes`.
 */
export function historyInsertSql(
  connection: DataSource,
  parameters: StatementParameters,
  recordId: string,
  changes: readonly FieldChange[],
  actor: string,
  at: Date,
): string | null {
  if (changes.length === 0) return null;
  const entries = changes.map((change): Omit<HistoryEntryEntity, 'id'> => ({
    recordId,
    field: change.field,
    oldValue: change.oldValue ?? null,
    newValue: change.newValue ?? null,
    actor,
    at,
  }));
  return insertRowsSql(connection.getMetadata(HistoryEntryEntity), entries, parameters);
}

/** One page of a record's history, oldest first (limit + 1 rows: the extra one says another page exists). */
export async function historyPage(
  manager: EntityManager,
  recordId: string,
  afterId: string | undefined,
  limit: number,
): Promise<HistoryEntryEntity[]> {
  const query = manager
    .getRepository(HistoryEntryEntity)
    .createQueryBuilder('h')
    .where('h.recordId = :recordId', { recordId });
  if (afterId) query.andWhere('h.id > :afterId', { afterId });
  return query
    .orderBy('h.id')
    .limit(limit + 1)
    .getMany();
}

export async function appendJournalEntry(
  manager: EntityManager,
  entry: JournalEntryEntity,
): Promise<void> {
  const parameters = new StatementParameters();
  const insert = journalInsertSql(manager.connection, parameters, [entry]);
  if (insert) await manager.query(insert, parameters.values);
}

/** Journal entries' insert, to be one part of a larger statement; null when there are none. */
export function journalInsertSql(
  connection: DataSource,
  parameters: StatementParameters,
  entries: readonly JournalEntryEntity[],
): string | null {
  if (entries.length === 0) return null;
  return insertRowsSql(connection.getMetadata(JournalEntryEntity), entries, parameters);
}

/** One page of a record's journal of the given kinds, oldest first (limit + 1 rows). */
export async function journalPage(
  manager: EntityManager,
  recordId: string,
  kinds: readonly JournalKind[],
  after: { at: string; id: string } | undefined,
  limit: number,
): Promise<JournalEntryEntity[]> {
  const query = manager
    .getRepository(JournalEntryEntity)
    .createQueryBuilder('j')
    .where('j.recordId = :recordId', { recordId })
    .andWhere('j.kind IN (:...kinds)', { kinds });
  if (after) query.andWhere('(j.at, j.id) > (:at, :id)', after);
  return query
    .orderBy('j.at')
    .addOrderBy('j.id')
    .limit(limit + 1)
    .getMany();
}
