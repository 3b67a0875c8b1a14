import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { INCIDENT_CONFIG, type IncidentConfig } from '../../config/incident.config';
import { SYSTEM_ACTOR } from '../../reactions/application/reactions.service';
import { RecordWriter } from '../../records/application/record-writer';
import { applyTransition } from '../../records/domain/state-machine';
import { RecordsRepository } from '../../records/persistence/records.repository';

const BATCH = 100;

/**
 * Closes resolved incidents and fulfilled requests once `AUTO_CLOSE_AFTER` has passed.
 * Every replica sweeps; rows are claimed with SKIP LOCKED, so each record closes once.
 */
@Injectable()
export class AutoCloser implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(AutoCloser.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: RecordsRepository,
    private readonly writer: RecordWriter,
    @Inject(INCIDENT_CONFIG) private readonly config: IncidentConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      this.sweeping ??= this.sweep()
        .then(
          () => undefined,
          (error: unknown) => this.logger.error({ err: error }, 'auto-close sweep failed'),
        )
        .finally(() => (this.sweeping = undefined));
    }, this.config.autoCloseIntervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Closes what is due, a batch per transaction, until nothing is; returns how many closed. */
  async sweep(): Promise<number> {
    let closed = 0;
    for (;;) {
      const batch = await this.dataSource.transaction(async (manager) => {
        const now = new Date();
        const due = await this.records.claimDueForClosing(
          manager,
          new Date(now.getTime() - this.config.autoCloseAfterMs),
          BATCH,
        );
        for (const record of due) {
          const next = applyTransition(record, { to: 'closed' }, now);
          await this.writer.commit(manager, record, next, SYSTEM_ACTOR, now, [
            {
              kind: 'work_note',
              text: 'Closed automatically after the resolution period.',
              author: SYSTEM_ACTOR,
            },
          ]);
        }
        return due.length;
      });
      closed += batch;
      if (batch < BATCH) return closed;
    }
  }
}
