import { Injectable } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { metricsRegistry } from '@itsm/observability';
import { SlaTimersRepository, type TimerBacklog } from '../persistence/sla-timers.repository';

const DUE_SOON = 'itsm_sla_timers_due_soon';
const LATE = 'itsm_sla_timers_late';
const OLDEST_LATE = 'itsm_sla_timers_late_oldest_seconds';
/** What "due soon" means for the gauge: within the hour. */
export const DUE_SOON_WINDOW_MS = 60 * 60 * 1000;

/**
 * The timers due soon and those the scheduler is late with, read from PostgreSQL when
 * Prometheus scrapes: the same figures on every replica, so alert on `max`, not `sum`.
 */
@Injectable()
export class TimerBacklogMetrics {
  constructor(timers: SlaTimersRepository) {
    // One reading per scrape serves the three gauges.
    let reading: Promise<TimerBacklog> | undefined;
    const read = () => {
      reading ??= timers
        .backlog(new Date(), DUE_SOON_WINDOW_MS)
        .finally(() => setImmediate(() => (reading = undefined)));
      return reading;
    };
    for (const name of [DUE_SOON, LATE, OLDEST_LATE]) metricsRegistry.removeSingleMetric(name);
    new Gauge({
      name: DUE_SOON,
      help: 'Running SLA timers due within the next hour and not breached yet.',
      registers: [metricsRegistry],
      async collect() {
        this.set((await read()).dueSoon);
      },
    });
    new Gauge({
      name: LATE,
      help: 'SLA timers whose warning or breach instant has passed and that the scheduler has not fired yet.',
      registers: [metricsRegistry],
      async collect() {
        this.set((await read()).late);
      },
    });
    new Gauge({
      name: OLDEST_LATE,
      help: 'How long ago the oldest warning or breach instant the scheduler has not fired yet was; 0 when none is late.',
      registers: [metricsRegistry],
      async collect() {
        this.set((await read()).oldestLateMs / 1000);
      },
    });
  }
}
