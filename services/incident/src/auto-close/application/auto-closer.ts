import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PeriodicRounds } from '@itsm/platform';
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
  private readonly rounds: PeriodicRounds;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: RecordsRepository,
    private readonly writer: RecordWriter,
    @Inject(INCIDENT_CONFIG) private readonly config: IncidentConfig,
  ) {
    this.rounds = new PeriodicRounds({
      intervalMs: config.autoCloseIntervalMs,
      round: () => this.sweep().then(() => undefined),
      onError: (error) => this.logger.error({ err: error }, 'auto-close sweep failed'),
    });
  }

  onApplicationBootstrap(): void {
    this.rounds.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.rounds.stop();
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
