import { randomUUID } from 'node:crypto';
import { ServiceProcess, eventually, queryTestDatabase } from '@itsm/testing';

/**
 * The retention sweeper as the running service wires it: the platform's own tables (inbox,
 * idempotency keys) and the cmdb's finished import jobs, each by its own setting.
 */
describe('retention in the cmdb service', () => {
  let cmdb: ServiceProcess;
  const marker = randomUUID();

  beforeAll(async () => {
    cmdb = await ServiceProcess.start('cmdb', {
      RETENTION_INTERVAL_MS: '200',
      INBOX_RETENTION_DAYS: '7',
      IDEMPOTENCY_KEY_RETENTION_HOURS: '24',
      CMDB_IMPORT_JOB_RETENTION_DAYS: '30',
    });
  });

  afterAll(async () => {
    await cmdb?.stop();
    await queryTestDatabase(`DELETE FROM cmdb.import_jobs WHERE requested_by = $1`, [marker]);
    await queryTestDatabase(`DELETE FROM cmdb.inbox WHERE consumer_group = $1`, [marker]);
    await queryTestDatabase(`DELETE FROM cmdb.idempotency_keys WHERE caller = $1`, [marker]);
  });

  const importJob = (label: string, finishedAgo: string | null) =>
    queryTestDatabase(
      `INSERT INTO cmdb.import_jobs (id, source, state, requested_by, total_items, total_relationships, created_at, finished_at)
       VALUES (gen_random_uuid(), $2, CASE WHEN $3::interval IS NULL THEN 'running' ELSE 'completed' END,
               $1, 0, 0, now() - interval '200 days', now() - $3::interval)`,
      [marker, label, finishedAgo],
    );

  it('removes old inbox rows, idempotency keys and finished import jobs, and keeps the rest', async () => {
    await queryTestDatabase(
      `INSERT INTO cmdb.inbox (consumer_group, event_id, event_type, topic, processed_at)
       VALUES ($1, 'old', 't', 'topic', now() - interval '8 days'),
              ($1, 'recent', 't', 'topic', now() - interval '6 days')`,
      [marker],
    );
    await queryTestDatabase(
      `INSERT INTO cmdb.idempotency_keys (caller, idempotency_key, request_hash, created_at)
       VALUES ($1, 'old', 'h', now() - interval '25 hours'), ($1, 'recent', 'h', now() - interval '23 hours')`,
      [marker],
    );
    await importJob('finished-long-ago', '31 days');
    await importJob('finished-lately', '29 days');
    await importJob('still-running', null);

    const left = async () => ({
      inbox: (
        await queryTestDatabase<{ event_id: string }>(
          `SELECT event_id FROM cmdb.inbox WHERE consumer_group = $1`,
          [marker],
        )
      ).map((row) => row.event_id),
      keys: (
        await queryTestDatabase<{ idempotency_key: string }>(
          `SELECT idempotency_key FROM cmdb.idempotency_keys WHERE caller = $1`,
          [marker],
        )
      ).map((row) => row.idempotency_key),
      jobs: (
        await queryTestDatabase<{ source: string }>(
          `SELECT source FROM cmdb.import_jobs WHERE requested_by = $1 ORDER BY source`,
          [marker],
        )
      ).map((row) => row.source),
    });
    await eventually(
      async () => {
        const rows = await left();
        return rows.inbox.length === 1 && rows.keys.length === 1 && rows.jobs.length === 2
          ? rows
          : undefined;
      },
      { timeoutMs: 15_000, description: 'the old rows removed' },
    );
    expect(await left()).toEqual({
      inbox: ['recent'],
      keys: ['recent'],
      jobs: ['finished-lately', 'still-running'],
    });

    const metrics = await (await fetch(`${cmdb.metricsUrl}/metrics`)).text();
    expect(metrics).toMatch(/itsm_retention_deleted_rows_total\{rule="import_jobs"\} [1-9]/);
  });
});
