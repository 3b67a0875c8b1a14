import { type EntityManager } from 'typeorm';
import { type QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
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
  if (changes.length === 0) return;
  await manager.insert(
    HistoryEntryEntity,
    changes.map((change): QueryDeepPartialEntity<HistoryEntryEntity> => ({
      recordId,
      field: change.field,
      oldValue: jsonValue(change.oldValue) as QueryDeepPartialEntity<unknown>,
      newValue: jsonValue(change.newValue) as QueryDeepPartialEntity<unknown>,
      actor,
      at,
    })),
  );
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
  await manager.insert(JournalEntryEntity, entry);
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

function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}
