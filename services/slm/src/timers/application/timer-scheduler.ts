import { setTimeout as sleep } from 'node:timers/promises';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CalendarsRepository } from '../../calendars/persistence/calendars.repository';
import { SLM_CONFIG, type SlmConfig } from '../../config/slm.config';
import { fireDue, type TimerChange } from '../domain/sla-timer';
import { SlaTimersRepository } from '../persistence/sla-timers.repository';
import { TimerEventsPublisher } from './timer-events.publisher';
import { firingLateness, timerFirings } from './timer-metrics';

/**
 * Fires warnings and breaches when they come due. Each round claims the due timers with
 * `FOR UPDATE SKIP LOCKED`, updates them and appends their events in one transaction, so
 * with several replicas (or after a crash mid-round) every event is emitted exactly once.
 * Between rounds it sleeps until the earliest next fire instant, at most
 * `SLA_SCHEDULER_MAX_SLEEP_MS` so that timers another process creates are seen in time.
 */
@Injectable()
export class TimerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TimerScheduler.name);
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SLM_CONFIG) private readonly config: SlmConfig,
    private readonly timers: SlaTimersRepository,
    private readonly calendars: CalendarsRepository,
    private readonly publisher: TimerEventsPublisher,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.SLA_SCHEDULER_ENABLED) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
  }

  /** One round: fires what is due now, in batches. */
  private async fireDueTimers(): Promise<void> {
    for (;;) {
      const { claimed, changes } = await this.fireBatch();
      this.observeFired(changes);
      if (claimed < this.config.SLA_SCHEDULER_BATCH_SIZE || this.stopping.signal.aborted) return;
    }
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.fireDueTimers();
        await this.sleepUntilNextFire();
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.logger.error(`timer round failed: ${(error as Error).message}`);
        await this.pause(this.config.SLA_SCHEDULER_MAX_SLEEP_MS);
      }
    }
  }

  private async fireBatch(): Promise<{ claimed: number; changes: TimerChange[] }> {
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const due = await this.timers.claimDue(manager, now, this.config.SLA_SCHEDULER_BATCH_SIZE);
      if (due.length === 0) return { claimed: 0, changes: [] };
      const calendars = await this.calendars.loadForArithmetic(
        due.map((timer) => timer.calendarId),
        manager,
      );
      const changes: TimerChange[] = [];
      for (const timer of due) {
        const calendar = calendars.get(timer.calendarId);
        if (!calendar)
          throw new Error(`calendar ${timer.calendarId} of timer ${timer.id} is missing`);
        changes.push(...fireDue(timer, calendar, now.getTime(), now.getTime()));
        timer.updatedAt = now;
      }
      await this.timers.recordFirings(manager, due);
      await this.publisher.publish(manager, changes);
      return { claimed: due.length, changes };
    });
  }

  /** Counted once committed, with the lateness as of the commit. */
  private observeFired(changes: readonly TimerChange[]): void {
    const committedAt = Date.now();
    for (const { happening, snapshot, at } of changes) {
      const instant = happening.kind === 'breached' ? Date.parse(snapshot.dueAt ?? '') : at;
      timerFirings.inc({ kind: happening.kind });
      firingLateness.observe({ kind: happening.kind }, (committedAt - instant) / 1000);
    }
  }

  private async sleepUntilNextFire(): Promise<void> {
    const earliest = await this.timers.earliestFire();
    const untilEarliest = earliest ? earliest.getTime() - Date.now() : Infinity;
    // A few milliseconds at least: a due timer locked by an event being applied is not spun on.
    await this.pause(Math.max(5, Math.min(untilEarliest, this.config.SLA_SCHEDULER_MAX_SLEEP_MS)));
  }

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
