import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type QueryRunner } from 'typeorm';
import { NotFoundProblem, ProblemException } from '@itsm/platform';
import { projectionNamed } from '../domain/projection-catalog';
import { FactTableSwaps } from './fact-table-swaps';
import { typePatterns, type ProjectionDefinition } from '../domain/projection';
import { factTable, quoted } from '../persistence/fact-upsert';
import { ProjectionStateRepository } from '../persistence/projection-state.repository';
import {
  REBUILD_LOCK_CLASS,
  applyEvents,
  lockProjectionExclusively,
  type AppliedCounts,
} from '../persistence/projection-writer';
import { READ_MODELS_CONFIG, type ReadModelsConfig } from '../read-models.config';

const ARCHIVE = '"reporting"."event_archive"';
/** Below this many archived events left, the rest is replayed inside the swap, under its lock. */
const CATCH_UP_UNDER_LOCK = 1000;

const SWAP_LOCK_TIMEOUT = '5s';
const SWAP_ATTEMPTS = 20;
const SWAP_RETRY_DELAY_MS = 1000;

function isLockTimeout(error: unknown): boolean {
  return (error as { driverError?: { code?: string } }).driverError?.code === '55P03';
}

export const rebuildTableOf = (table: string) => `${table}__rebuild`;

interface RebuildIndex {
  name: string;
  temporaryName: string;
  create: string;
  primary: boolean;
}

interface ArchivedRow {
  position: string;
  type: string;
  time: Date;
  data: unknown;
}

/**
 * Rebuilds a projection from the event archive into a new table and swaps it in without
 * a gap (docs/adr/0015). Runs in the background of the service process; one rebuild per
 * projection at a time across every replica, by a session advisory lock that a crash
 * releases.
 */
@Injectable()
export class ProjectionRebuilder implements BeforeApplicationShutdown {
  private readonly logger = new Logger(ProjectionRebuilder.name);
  private readonly running = new Set<Promise<void>>();
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly state: ProjectionStateRepository,
    private readonly swaps: FactTableSwaps,
    @Inject(READ_MODELS_CONFIG) private readonly config: ReadModelsConfig,
  ) {}

  /** Starts a rebuild and returns once it is recorded as started; refuses a second one. */
  async start(name: string): Promise<void> {
    const projection = projectionNamed(name);
    if (!projection) throw new NotFoundProblem('Projection', name);
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      const [{ locked }] = await runner.manager.query<{ locked: boolean }[]>(
        'SELECT pg_try_advisory_lock($1, $2) AS locked',
        [REBUILD_LOCK_CLASS, projection.lockId],
      );
      if (!locked)
        throw new ProblemException(
          409,
          'rebuild-in-progress',
          'A rebuild of this projection is already running',
          `The projection ${name} is being rebuilt; its progress is at /api/v1/reports/projections/${name}.`,
        );
      await this.state.rebuildProgressed(
        runner.manager,
        name,
        {
          startedAt: new Date().toISOString(),
          targetSequence: null,
          processedSequence: '0',
          processed: 0,
          total: null,
          finishedAt: null,
          error: null,
        },
        'rebuilding',
      );
    } catch (error) {
      await runner.release();
      throw error;
    }
    const work = this.run(runner, projection).finally(() => this.running.delete(work));
    this.running.add(work);
  }

  /** Before the database connections close: the rebuild records that it was interrupted. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running]);
  }

  private async run(runner: QueryRunner, projection: ProjectionDefinition): Promise<void> {
    const { name } = projection;
    const live = projection.shape.table;
    const rebuild = rebuildTableOf(live);
    try {
      const indexes = await this.createRebuildTable(runner, live, rebuild);
      const counts: AppliedCounts = { applied: 0, skipped: 0 };
      const target = await this.safeEnd(runner, projection);
      await this.state.rebuildProgressed(runner.manager, name, {
        targetSequence: target,
        total: await this.countUpTo(runner, projection, target),
      });
      let done = await this.replay(runner, projection, rebuild, '0', target, counts, true);
      for (const index of indexes) if (!index.primary) await runner.query(index.create);
      // Catching up without the lock while live traffic adds events, until little is left.
      for (;;) {
        const end = await this.safeEnd(runner, projection);
        if (BigInt(end) - BigInt(done) <= CATCH_UP_UNDER_LOCK) break;
        await this.state.rebuildProgressed(runner.manager, name, {
          targetSequence: end,
          total: await this.countUpTo(runner, projection, end),
        });
        done = await this.replay(runner, projection, rebuild, done, end, counts, true);
      }
      for (let attempt = 1; ; attempt += 1) {
        const before = { ...counts };
        try {
          done = await this.swap(runner, projection, indexes, done, counts);
          break;
        } catch (error) {
          // Rolled back: what the swap replayed is to be replayed again.
          Object.assign(counts, before);
          if (!isLockTimeout(error) || attempt >= SWAP_ATTEMPTS) throw error;
          this.logger.warn(`swapping ${name} waited too long for its table (attempt ${attempt})`);
          await sleep(SWAP_RETRY_DELAY_MS);
        }
      }
      this.logger.log(`rebuilt ${name}: ${counts.applied} events applied up to sequence ${done}`);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.error(`rebuilding ${name} failed: ${message}`);
      await this.state
        .rebuildProgressed(
          runner.manager,
          name,
          { finishedAt: new Date().toISOString(), error: message },
          'live',
        )
        .catch(() => undefined);
    } finally {
      await runner
        .query('SELECT pg_advisory_unlock($1, $2)', [REBUILD_LOCK_CLASS, projection.lockId])
        .catch(() => undefined);
      await runner.release();
    }
  }

  /**
   * Applies what the archive got since the last replay and puts the new table in the live
   * one's place, in one transaction under the writers' lock taken exclusively. A reader
   * holding the live table (a long report) is waited for only so long: the swap is retried.
   */
  private async swap(
    runner: QueryRunner,
    projection: ProjectionDefinition,
    indexes: readonly RebuildIndex[],
    after: string,
    counts: AppliedCounts,
  ): Promise<string> {
    const live = projection.shape.table;
    const rebuild = rebuildTableOf(live);
    await runner.startTransaction();
    try {
      await runner.query(`SET LOCAL lock_timeout = '${SWAP_LOCK_TIMEOUT}'`);
      await lockProjectionExclusively(runner.manager, projection);
      const [{ end }] = await runner.manager.query<{ end: string }[]>(
        `SELECT COALESCE(max(sequence), 0)::text AS end FROM ${ARCHIVE}`,
      );
      const done = await this.replay(runner, projection, rebuild, after, end, counts, false);
      // The rebuild ran without the live table's triggers; they move to it with the name.
      const triggers = await runner.manager.query<{ definition: string }[]>(
        `SELECT pg_get_triggerdef(oid) AS definition FROM pg_trigger
          WHERE tgrelid = $1::regclass AND NOT tgisinternal ORDER BY tgname`,
        [`reporting.${quoted(live)}`],
      );
      await runner.query(`ALTER TABLE ${factTable(live)} RENAME TO ${quoted(`${live}__old`)}`);
      await runner.query(`ALTER TABLE ${factTable(rebuild)} RENAME TO ${quoted(live)}`);
      await runner.query(`DROP TABLE ${factTable(`${live}__old`)}`);
      for (const index of indexes)
        await runner.query(
          `ALTER INDEX "reporting".${quoted(index.temporaryName)} RENAME TO ${quoted(index.name)}`,
        );
      for (const { definition } of triggers) await runner.query(definition);
      await this.swaps.swapped(runner.manager, live);
      await this.state.swapped(runner.manager, projection, end, counts, {
        targetSequence: end,
        processedSequence: done,
        processed: counts.applied + counts.skipped,
        total: counts.applied + counts.skipped,
        finishedAt: new Date().toISOString(),
      });
      await runner.commitTransaction();
      return done;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  /**
   * An empty copy of the live table with its primary key; its other indexes are returned to
   * be built after the bulk of the replay (cheaper than maintaining them row by row), under
   * temporary names that the swap gives back. A table left by an interrupted rebuild goes.
   */
  private async createRebuildTable(
    runner: QueryRunner,
    live: string,
    rebuild: string,
  ): Promise<RebuildIndex[]> {
    await runner.query(`DROP TABLE IF EXISTS ${factTable(rebuild)}`);
    await runner.query(
      `CREATE TABLE ${factTable(rebuild)} (LIKE ${factTable(live)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`,
    );
    const existing = await runner.manager.query<
      { name: string; definition: string; primary: boolean }[]
    >(
      `SELECT index.relname AS name, pg_get_indexdef(index.oid) AS definition,
              info.indisprimary AS primary
         FROM pg_index AS info
         JOIN pg_class AS index ON index.oid = info.indexrelid
        WHERE info.indrelid = $1::regclass
        ORDER BY info.indisprimary DESC, index.relname`,
      [`reporting.${quoted(live)}`],
    );
    const indexes = existing.map((index) => {
      const temporaryName = `${index.name}__rebuild`.slice(0, 63);
      const create = index.definition.replace(
        /^CREATE (UNIQUE )?INDEX \S+ ON \S+ /,
        (_match, unique: string | undefined) =>
          `CREATE ${unique ?? ''}INDEX ${quoted(temporaryName)} ON ${factTable(rebuild)} `,
      );
      return { name: index.name, temporaryName, create, primary: index.primary };
    });
    const primary = indexes.find((index) => index.primary);
    if (!primary) throw new Error(`${live} has no primary key`);
    await runner.query(primary.create);
    await runner.query(
      `ALTER TABLE ${factTable(rebuild)} ADD CONSTRAINT ${quoted(primary.temporaryName)} PRIMARY KEY USING INDEX ${quoted(primary.temporaryName)}`,
    );
    return indexes;
  }

  /**
   * The archive sequence up to which every event of the projection is committed: read
   * while holding the writers' lock exclusively, when no writer is between its archive
   * append and its commit (a writer takes the lock before it appends).
   */
  private async safeEnd(runner: QueryRunner, projection: ProjectionDefinition): Promise<string> {
    await runner.startTransaction();
    try {
      await lockProjectionExclusively(runner.manager, projection);
      const [{ end }] = await runner.manager.query<{ end: string }[]>(
        `SELECT COALESCE(max(sequence), 0)::text AS end FROM ${ARCHIVE}`,
      );
      await runner.commitTransaction();
      return end;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  /** The archived events of the projection's families up to a sequence: the work a rebuild has. */
  private async countUpTo(
    runner: QueryRunner,
    projection: ProjectionDefinition,
    sequence: string,
  ): Promise<number> {
    const [{ total }] = await runner.manager.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM ${ARCHIVE}
        WHERE sequence <= $1 AND type LIKE ANY($2::text[])`,
      [sequence, typePatterns(projection)],
    );
    return total;
  }

  /** Applies the archived events of the projection in (after, upTo], batch by batch, in sequence order. */
  private async replay(
    runner: QueryRunner,
    projection: ProjectionDefinition,
    table: string,
    after: string,
    upTo: string,
    counts: AppliedCounts,
    reportProgress: boolean,
  ): Promise<string> {
    let done = after;
    for (;;) {
      if (this.stopping) throw new Error('interrupted: the service is shutting down');
      const rows = await runner.manager.query<ArchivedRow[]>(
        // Named apart from the column: ORDER BY would sort the text, not the number.
        `SELECT sequence::text AS position, type, time, event->'data' AS data FROM ${ARCHIVE}
          WHERE sequence > $1 AND sequence <= $2 AND type LIKE ANY($3::text[])
          ORDER BY sequence LIMIT $4`,
        [done, upTo, typePatterns(projection), this.config.REPORTING_REBUILD_BATCH_SIZE],
      );
      if (rows.length === 0) return upTo;
      const batch = await applyEvents(
        runner.manager,
        projection,
        rows.map((row) => ({ type: row.type, time: row.time.toISOString(), data: row.data })),
        table,
      );
      counts.applied += batch.applied;
      counts.skipped += batch.skipped;
      done = rows[rows.length - 1]?.position ?? done;
      if (reportProgress) {
        await this.state.rebuildProgressed(runner.manager, projection.name, {
          processedSequence: done,
          processed: counts.applied + counts.skipped,
        });
        if (this.config.REPORTING_REBUILD_PAUSE_MS > 0)
          await sleep(this.config.REPORTING_REBUILD_PAUSE_MS);
      }
    }
  }
}
