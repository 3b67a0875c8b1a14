import { quotedServiceSchema } from '@itsm/persistence';
import { type EntityManager } from 'typeorm';

export type NumberSequence =
  'problem_number_seq' | 'problem_task_number_seq' | 'known_error_number_seq';

/** The next value of a number sequence: monotonic and never reused, even after a rollback. */
export async function nextSequenceValue(
  manager: EntityManager,
  sequence: NumberSequence,
): Promise<number> {
  const schema = quotedServiceSchema(manager.connection);
  const [row] = await manager.query<{ value: number }[]>(
    `SELECT nextval($1::regclass)::int AS value`,
    [`${schema}.${sequence}`],
  );
  if (!row) throw new Error(`the ${sequence} sequence returned nothing`);
  return row.value;
}
