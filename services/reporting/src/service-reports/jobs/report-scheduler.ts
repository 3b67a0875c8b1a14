import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { PeriodicRounds } from '@itsm/platform';
import { ScheduledReports } from '../application/scheduled-reports.service';
import { REPORT_SCHEDULER_CONFIG, type ReportSchedulerConfig } from './report-scheduler.config';

/**
 * Produces the reports that came due, every `REPORT_SCHEDULER_INTERVAL_MS`, on every
 * replica: {@link ScheduledReports.produceDue} claims each schedule in PostgreSQL, so a
 * period is produced once however many replicas look.
 */
@Injectable()
export class ReportScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReportScheduler.name);
  private readonly rounds: PeriodicRounds;

  constructor(
    scheduled: ScheduledReports,
    @Inject(REPORT_SCHEDULER_CONFIG) private readonly config: ReportSchedulerConfig,
  ) {
    this.rounds = new PeriodicRounds({
      intervalMs: config.intervalMs,
      round: async () => {
        const produced = await scheduled.produceDue(new Date());
        if (produced > 0) this.logger.log(`produced ${produced} scheduled report(s)`);
      },
      onError: (error) => this.logger.error({ err: error }, 'scheduled report round failed'),
    });
  }

  onApplicationBootstrap(): void {
    if (this.config.enabled) this.rounds.start();
  }

  onApplicationShutdown(): Promise<void> {
    return this.rounds.stop();
  }
}
