import { type EntityManager } from 'typeorm';
import { type QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { type FieldChange } from '@itsm/domain';
import { ProblemHistoryEntryEntity } from './problem-history-entry.entity';

/** Appends one history entry per changed field of a problem, task or known error. */
export async function appendHistory(
  manager: EntityManager,
  recordId: string,
  changes: readonly FieldChange[],
  actor: string,
  at: Date,
): Promise<void> {
  if (changes.length === 0) return;
  await manager.insert(
    ProblemHistoryEntryEntity,
    changes.map((change): QueryDeepPartialEntity<ProblemHistoryEntryEntity> => ({
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
): Promise<ProblemHistoryEntryEntity[]> {
  const query = manager
    .getRepository(ProblemHistoryEntryEntity)
    .createQueryBuilder('h')
    .where('h.recordId = :recordId', { recordId });
  if (afterId) query.andWhere('h.id > :afterId', { afterId });
  return query
    .orderBy('h.id')
    .limit(limit + 1)
    .getMany();
}

function jsonValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : (value ?? null);
}
