import { randomUUID } from 'node:crypto';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { InboxRecord, MESSAGING_ENTITIES, createMessagingTables } from '@itsm/messaging';
import { dropScratchSchema, scratchSchema } from '@itsm/testing';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity';
import { createIdempotencyTable } from '../idempotency/idempotency-table.migration';
import { SECONDS_PER_DAY, SECONDS_PER_HOUR, type RetentionRule } from './retention-rule';
import { RetentionSweeper } from './retention-sweeper';

/** A table whose time column stays null while its row is live, as an import job's `finished_at`. */
@Entity({ name: 'jobs' })
class JobRow {
  @PrimaryColumn({ type: 'int' })
  id!: number;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}

describe('the retention sweeper', () => {
  const schema = `retention_${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  const rules: RetentionRule[] = [
    {
      name: 'inbox',
      entity: InboxRecord,
      timeColumn: 'processed_at',
      keepForSeconds: 30 * SECONDS_PER_DAY,
    },
    {
      name: 'idempotency_keys',
      entity: IdempotencyRecord,
      timeColumn: 'created_at',
      keepForSeconds: 48 * SECONDS_PER_HOUR,
    },
    {
      name: 'jobs',
      entity: JobRow,
      timeColumn: 'finished_at',
      keepForSeconds: 90 * SECONDS_PER_DAY,
    },
  ];
  const sweeper = (batchSize: number) =>
    new RetentionSweeper(dataSource, rules, { intervalMs: 0, batchSize });

  beforeAll(async () => {
    dataSource = await scratchSchema(
      schema,
      [...MESSAGING_ENTITIES, IdempotencyRecord, JobRow],
      async (runner) => {
        await createMessagingTables(runner);
        await createIdempotencyTable(runner);
      },
    );
    await dataSource.query(
      `CREATE TABLE "${schema}".jobs (id int PRIMARY KEY, finished_at timestamptz)`,
    );
  });

  afterAll(async () => {
    await dropScratchSchema(dataSource);
  });

  /** `count` inbox rows processed `ageSql` ago (e.g. `31 days`). */
  const inboxRows = (count: number, age: string) =>
    dataSource.query(
      `INSERT INTO "${schema}".inbox (consumer_group, event_id, event_type, topic, processed_at)
       SELECT 'group', gen_random_uuid()::text, 'itsm.test.v1', 'topic', now() - $2::interval
         FROM generate_series(1, $1)`,
      [count, age],
    );
  const idempotencyKeys = (count: number, age: string) =>
    dataSource.query(
      `INSERT INTO "${schema}".idempotency_keys (caller, idempotency_key, request_hash, created_at)
       SELECT 'agent', gen_random_uuid()::text, 'hash', now() - $2::interval FROM generate_series(1, $1)`,
      [count, age],
    );
  const count = async (table: string, where = 'true'): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${schema}".${table} WHERE ${where}`,
    );
    return row?.n ?? 0;
  };
  const clear = () =>
    dataSource.query(`TRUNCATE "${schema}".inbox, "${schema}".idempotency_keys, "${schema}".jobs`);

  beforeEach(clear);

  it('removes each table’s rows older than its period, in batches, and keeps the younger ones', async () => {
    await inboxRows(2500, '31 days');
    await inboxRows(40, '29 days');
    await idempotencyKeys(30, '49 hours');
    await idempotencyKeys(20, '47 hours');

    const removed = await sweeper(1000).sweep();

    expect(removed).toEqual({ inbox: 2500, idempotency_keys: 30, jobs: 0 });
    expect(await count('inbox')).toBe(40);
    expect(await count('idempotency_keys')).toBe(20);
  });

  it('keeps a row whose time is not set yet, however old the others are', async () => {
    await dataSource.query(
      `INSERT INTO "${schema}".jobs (id, finished_at)
       VALUES (1, now() - interval '100 days'), (2, NULL), (3, now() - interval '10 days')`,
    );

    expect((await sweeper(1000).sweep()).jobs).toBe(1);

    expect(
      (await dataSource.query<{ id: number }[]>(`SELECT id FROM "${schema}".jobs ORDER BY id`)).map(
        ({ id }) => id,
      ),
    ).toEqual([2, 3]);
  });

  it('removes each row once when several replicas sweep at the same time', async () => {
    await inboxRows(6000, '40 days');

    const rounds = await Promise.all([
      sweeper(500).sweep(),
      sweeper(500).sweep(),
      sweeper(500).sweep(),
    ]);

    expect(rounds.reduce((sum, round) => sum + round.inbox, 0)).toBe(6000);
    expect(await count('inbox')).toBe(0);
  });
});
