import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Counter } from 'prom-client';
import { DataSource } from 'typeorm';
import { metricsRegistry } from '@itsm/observability';
import { qualifiedTable } from '@itsm/persistence';
import { PeriodicRounds } from '../jobs/periodic-rounds';
import { type RetentionRule } from './retention-rule';

export const RETENTION_RULES = Symbol('RETENTION_RULES');
export const RETENTION_SETTINGS = Symbol('RETENTION_SETTINGS');

export interface RetentionSettings {
  /** Between rounds; 0 turns the sweeper off. */
  intervalMs: number;
  /** Rows deleted per statement (and transaction). */
  batchSize: number;
}

const deletedRows = new Counter({
  name: 'itsm_retention_deleted_rows_total',
  help: 'Rows the retention sweeper removed once older than their configured age, by rule.',
  labelNames: ['rule'],
  registers: [metricsRegistry],
});

/**
 * Removes, every RETENTION_INTERVAL_MS, the rows each rule says are old enough, in
 * batches of RETENTION_BATCH_SIZE, each its own short transaction so that nothing waits
 * long on it. Every replica sweeps; a batch locks the rows it takes with `SKIP LOCKED`, so
 * replicas sweeping at once take different rows and each row is removed once.
 */
@Injectable()
export class RetentionSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RetentionSweeper.name);
  private readonly rounds: PeriodicRounds;
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RETENTION_RULES) private readonly rules: readonly RetentionRule[],
    @Inject(RETENTION_SETTINGS) private readonly settings: RetentionSettings,
  ) {
    this.rounds = new PeriodicRounds({
      intervalMs: settings.intervalMs,
      round: () => this.sweep().then(() => undefined),
      onError: (error) => this.logger.error({ err: error }, 'retention round failed'),
    });
  }

  onApplicationBootstrap(): void {
    if (this.settings.intervalMs > 0) this.rounds.start();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.rounds.stop();
  }

  /** One round: every rule until it finds fewer old rows than a batch. Returns the rows removed per rule. */
  async sweep(): Promise<Record<string, number>> {
    const removed: Record<string, number> = {};
    for (const rule of this.rules) {
      removed[rule.name] = 0;
      for (;;) {
        if (this.stopping) return removed;
        const batch = await this.deleteBatch(rule);
        removed[rule.name] += batch;
        deletedRows.inc({ rule: rule.name }, batch);
        if (batch < this.settings.batchSize) break;
      }
      if (removed[rule.name] > 0)
        this.logger.log(`retention: removed ${removed[rule.name]} ${rule.name} row(s)`);
    }
    return removed;
  }

  private async deleteBatch(rule: RetentionRule): Promise<number> {
    const table = qualifiedTable(this.dataSource.getMetadata(rule.entity));
    const column = `"${rule.timeColumn}"`;
    const [deleted] = await this.dataSource.query<{ n: number }[]>(
      `WITH deleted AS (
         DELETE FROM ${table} WHERE ctid = ANY(ARRAY(
           SELECT ctid FROM ${table}
            WHERE ${column} < now() - make_interval(secs => $1)
            LIMIT $2 FOR UPDATE SKIP LOCKED))
         RETURNING 1)
       SELECT count(*)::int AS n FROM deleted`,
      [rule.keepForSeconds, this.settings.batchSize],
    );
    return deleted?.n ?? 0;
  }
}
