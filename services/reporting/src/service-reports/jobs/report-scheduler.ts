import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
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
  private timer: NodeJS.Timeout | undefined;
  private round: Promise<void> | undefined;

  constructor(
    private readonly scheduled: ScheduledReports,
    @Inject(REPORT_SCHEDULER_CONFIG) private readonly config: ReportSchedulerConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.enabled) return;
    this.timer = setInterval(() => {
      // A round still running (many schedules, a slow database) is not overlapped.
      this.round ??= this.scheduled
        .produceDue(new Date())
        .then(
          (produced) => {
            if (produced > 0) this.logger.log(`produced ${produced} scheduled report(s)`);
          },
          (error: unknown) => this.logger.error({ err: error }, 'scheduled report round failed'),
        )
        .finally(() => (this.round = undefined));
    }, this.config.intervalMs);
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.round;
  }
}
