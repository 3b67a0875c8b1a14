import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ServiceProcess, eventually, queryTestDatabase, testEnvironment } from '@itsm/testing';
import { ImportJobEntity } from '../src/imports/persistence/import-job.entity';
import {
  ImportJobsRepository,
  ImportLeaseLost,
  type ClaimedJob,
} from '../src/imports/persistence/import-jobs.repository';
import { emptyReport } from '../src/imports/domain/import-request';
import { cmdbCaller, unique } from './support/cmdb-client';

interface JobRow {
  lease: string | null;
  heartbeat_at: Date | null;
  state: string;
  processed_items: number;
}

const jobRow = async (id: string): Promise<JobRow> => {
  const [row] = await queryTestDatabase<JobRow>(
    `SELECT lease, heartbeat_at, state, processed_items FROM cmdb.import_jobs WHERE id = $1`,
    [id],
  );
  if (!row) throw new Error(`no import job ${id}`);
  return row;
};

/**
 * An import job belongs to one worker at a time: its lease is renewed on a timer while it
 * runs (however long a batch takes), and a worker whose job was taken over cannot commit
 * anything more of it.
 */
describe('import job leases', () => {
  describe('the fence, on the job table', () => {
    let dataSource: DataSource;
    let jobs: ImportJobsRepository;
    const requester = `lease-test-${randomUUID()}`;

    beforeAll(async () => {
      dataSource = new DataSource({
        type: 'postgres',
        url: testEnvironment().databaseUrl,
        schema: 'cmdb',
        entities: [ImportJobEntity],
      });
      await dataSource.initialize();
      jobs = new ImportJobsRepository(dataSource);
    });

    afterAll(async () => {
      await dataSource.query(`DELETE FROM cmdb.import_jobs WHERE requested_by = $1`, [requester]);
      await dataSource.destroy();
    });

    /** A queued job older than any other, so that the next claim takes it. */
    const queuedJob = async (): Promise<string> => {
      const id = randomUUID();
      await dataSource.query(
        `INSERT INTO cmdb.import_jobs (id, source, state, requested_by, request, total_items, total_relationships, created_at)
         VALUES ($1, 'test', 'queued', $2, '{"source":"test","items":[],"relationships":[]}', 0, 0, '2000-01-01')`,
        [id, requester],
      );
      return id;
    };
    const goStale = (id: string) =>
      dataSource.query(
        `UPDATE cmdb.import_jobs SET heartbeat_at = now() - interval '1 hour' WHERE id = $1`,
        [id],
      );
    const claim = async (): Promise<ClaimedJob> => {
      const claimed = await jobs.claimNext(60_000);
      if (!claimed) throw new Error('nothing claimed');
      return claimed;
    };

    it('lets only the latest claim write: the worker it was taken from can neither commit a batch nor finish the job', async () => {
      const id = await queuedJob();
      const first = await claim();
      expect(first.id).toBe(id);
      expect(await jobs.renew(first)).toBe(true);

      await goStale(id);
      const second = await claim();
      expect(second).toMatchObject({ id });
      expect(second.lease).not.toBe(first.lease);

      expect(await jobs.renew(first)).toBe(false);
      let ran = false;
      await expect(
        jobs.inLease(first, { processedItems: 7, processedRelationships: 0 }, async () => {
          ran = true;
        }),
      ).rejects.toBeInstanceOf(ImportLeaseLost);
      expect(ran).toBe(false);
      expect(await jobs.complete(first, emptyReport('test'))).toBe(false);
      expect(await jobRow(id)).toMatchObject({ state: 'running', lease: second.lease });

      await jobs.inLease(second, { processedItems: 5, processedRelationships: 0 }, async () => {});
      expect(await jobs.complete(second, emptyReport('test'))).toBe(true);
      expect(await jobRow(id)).toMatchObject({ state: 'completed', processed_items: 5 });
    });

    it('cannot be taken over while its worker is writing a batch, whose heartbeat goes on meanwhile', async () => {
      const id = await queuedJob();
      const holder = await claim();
      let finishBatch = () => {};
      let batchStarted = () => {};
      const started = new Promise<void>((resolve) => (batchStarted = resolve));
      const batch = jobs.inLease(holder, { processedItems: 1, processedRelationships: 0 }, () => {
        batchStarted();
        return new Promise<void>((resolve) => (finishBatch = resolve));
      });
      await started;

      await goStale(id);
      const takeover = await jobs.claimNext(60_000);
      expect(takeover?.id).not.toBe(id);
      expect(await jobs.renew(holder)).toBe(true);

      finishBatch();
      await batch;
      expect(await jobRow(id)).toMatchObject({ lease: holder.lease, processed_items: 1 });
      expect(await jobs.complete(holder, emptyReport('test'))).toBe(true);
    });
  });

  describe('in the running service', () => {
    let cmdb: ServiceProcess;

    beforeAll(async () => {
      cmdb = await ServiceProcess.start('cmdb', {
        CMDB_IMPORT_SYNC_LIMIT: '5',
        CMDB_IMPORT_BATCH_SIZE: '5',
        CMDB_IMPORT_POLL_INTERVAL_MS: '100',
        CMDB_IMPORT_LEASE_MS: '900',
      });
    });

    afterAll(async () => {
      await cmdb?.stop();
    });

    it('renews the lease on a timer while a batch waits longer than the lease, and the job ends once', async () => {
      // Holding the lock every batch takes first (identification) stalls the job's first batch.
      const blocker = new Client({ connectionString: testEnvironment().databaseUrl });
      await blocker.connect();
      await blocker.query('BEGIN');
      await blocker.query(
        `SELECT pg_advisory_xact_lock(hashtextextended('itsm.cmdb.identification', 0))`,
      );
      let id: string;
      try {
        const items = Array.from({ length: 12 }, (_, index) => ({
          class: 'virtual_server',
          name: unique(`leased${index}`),
          identifiers: { cloudId: unique('leased') },
        }));
        const accepted = await cmdbCaller(cmdb.url)('post', '/api/v1/cmdb/imports', {
          source: 'vcenter',
          items,
          relationships: [],
        });
        expect(accepted.status).toBe(202);
        id = (accepted.body as { id: string }).id;
        const claimed = await eventually(
          async () => {
            const row = await jobRow(id);
            return row.state === 'running' && row.heartbeat_at ? row : undefined;
          },
          { description: 'the job claimed' },
        );

        // Three leases' time with the batch stalled: the heartbeat keeps moving, the lease stays.
        const beats = new Set<number>();
        const until = Date.now() + 2700;
        while (Date.now() < until) {
          const row = await jobRow(id);
          expect(row).toMatchObject({ lease: claimed.lease, processed_items: 0 });
          beats.add(row.heartbeat_at?.getTime() ?? 0);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(beats.size).toBeGreaterThanOrEqual(4);
        expect(Date.now() - Math.max(...beats)).toBeLessThan(900);
      } finally {
        await blocker.query('COMMIT');
        await blocker.end();
      }

      const done = await eventually(
        async () => {
          const row = await jobRow(id);
          return row.state === 'completed' || row.state === 'failed' ? row : undefined;
        },
        { description: 'the import job to end', timeoutMs: 30_000 },
      );
      expect(done).toMatchObject({ state: 'completed', processed_items: 12 });
    });
  });
});
