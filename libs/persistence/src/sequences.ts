import { type EntityManager } from 'typeorm';
import { quotedServiceSchema } from './sql-identifiers';

/** The next value of a sequence in the service's schema: monotonic and never reused, even after a rollback. */
export async function nextSequenceValue(manager: EntityManager, sequence: string): Promise<number> {
  const schema = quotedServiceSchema(manager.connection);
  const [row] = await manager.query<{ value: number }[]>(
    `SELECT nextval($1::regclass)::int AS value`,
    [`${schema}.${sequence}`],
  );
  if (!row) throw new Error(`the ${sequence} sequence returned nothing`);
  return row.value;
}
