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
import { Topics } from '@itsm/contracts';
import { ConsumerGroupWatermarks, type ConsumerGroupWatermark } from '@itsm/messaging';
import { CalendarsRepository } from '../../calendars/persistence/calendars.repository';
import { SLM_CONFIG, type SlmConfig } from '../../config/slm.config';
import { fireDue, type TimerChange } from '../domain/sla-timer';
import { SlaTimersRepository } from '../persistence/sla-timers.repository';
import { TimerEventsPublisher } from './timer-events.publisher';
import { eventWatermarkLag, firingLateness, timerFirings } from './timer-metrics';

/** How soon a round that waits for the record events looks again. */
const EVENT_WAIT_RECHECK_MS = 50;

/**
 * Fires warnings and breaches when they come due. Each round claims the due timers with
 * `FOR UPDATE SKIP LOCKED`, updates them and appends their events in one transaction, so
 * with several replicas (or after a crash mid-round) every event is emitted exactly once.
 * Between rounds it sleeps until the earliest next fire instant, at most
 * `SLA_SCHEDULER_MAX_SLEEP_MS` so that timers another process creates are seen in time.
 *
 * A timer fires only once the service's consumer group has applied every incident and
 * request event that was on Kafka at its instant (the group's watermark): an event
 * resolving the record just before the due time, still waiting in a lagging consumer
 * (after a restart, say), then meets the timer instead of being overtaken by a breach.
 * After `SLA_SCHEDULER_MAX_EVENT_WAIT_MS` it fires regardless.
 */
@Injectable()
export class TimerScheduler implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TimerScheduler.name);
  private readonly stopping = new AbortController();
  private loop: Promise<void> | undefined;
  private readonly recordEvents: ConsumerGroupWatermark;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(SLM_CONFIG) private readonly config: SlmConfig,
    private readonly timers: SlaTimersRepository,
    private readonly calendars: CalendarsRepository,
    private readonly publisher: TimerEventsPublisher,
    watermarks: ConsumerGroupWatermarks,
  ) {
    this.recordEvents = watermarks.of([Topics.incidentEvents]);
  }

  onApplicationBootstrap(): void {
    if (this.config.SLA_SCHEDULER_ENABLED) this.loop = this.run();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.loop;
    await this.recordEvents.close();
  }

  private async run(): Promise<void> {
    while (!this.stopping.signal.aborted) {
      try {
        await this.pause(await this.round());
      } catch (error) {
        if (this.stopping.signal.aborted) return;
        this.logger.error(`timer round failed: ${(error as Error).message}`);
        await this.pause(this.config.SLA_SCHEDULER_MAX_SLEEP_MS);
      }
    }
  }

  /** Fires what may fire now, in batches; returns how long to sleep before the next round. */
  private async round(): Promise<number> {
    const now = Date.now();
    const earliest = (await this.timers.earliestFire())?.getTime() ?? Infinity;
    if (earliest > now) return Math.min(earliest - now, this.config.SLA_SCHEDULER_MAX_SLEEP_MS);
    const cutoff = await this.firingCutoff(now);
    if (earliest > cutoff) return EVENT_WAIT_RECHECK_MS;
    for (;;) {
      const { claimed, changes } = await this.fireBatch(cutoff);
      this.observeFired(changes);
      if (claimed < this.config.SLA_SCHEDULER_BATCH_SIZE || this.stopping.signal.aborted) break;
    }
    // A few milliseconds at least: a due timer locked by an event being applied is not spun on.
    return 5;
  }

  /** The instant up to which timers may fire: now, once the record events up to now are applied. */
  private async firingCutoff(now: number): Promise<number> {
    const maxWait = this.config.SLA_SCHEDULER_MAX_EVENT_WAIT_MS;
    const applied = maxWait === 0 ? now : await this.recordEvents.refresh();
    eventWatermarkLag.set(Math.max(0, now - applied) / 1000);
    return Math.min(now, Math.max(applied, now - maxWait));
  }

  private async fireBatch(cutoff: number): Promise<{ claimed: number; changes: TimerChange[] }> {
    return this.dataSource.transaction(async (manager) => {
      const now = new Date();
      const due = await this.timers.claimDue(
        manager,
        new Date(cutoff),
        this.config.SLA_SCHEDULER_BATCH_SIZE,
      );
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
        changes.push(...fireDue(timer, calendar, cutoff, now.getTime()));
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

  private async pause(ms: number): Promise<void> {
    await sleep(ms, undefined, { signal: this.stopping.signal }).catch(() => undefined);
  }
}
