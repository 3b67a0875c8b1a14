import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { qualifiedTable } from '@itsm/persistence';
import { RECORD_ACCESS_POLICY } from '@itsm/platform';
import { type SlaTimer } from '../domain/sla-timer';
import { SlaTimerEntity } from './sla-timer.entity';
import { visibleTimers } from './timer-visibility';

export interface TimerFilters {
  recordId?: string;
  slaId?: string;
  recordType?: string;
  states?: readonly string[];
  dueBefore?: Date;
}

/** The orders a timer list comes in: by start, or soonest due first. */
export const TIMER_SORTS = ['startedAt', 'dueAt'] as const;
export type TimerSort = (typeof TIMER_SORTS)[number];
/** The last timer of a page: its instant in the list's order, and its id. */
export interface TimerListPosition {
  at: string;
  id: string;
}

const SORT_COLUMNS: Record<TimerSort, string> = {
  startedAt: 'timer.started_at',
  dueAt: 'timer.due_at',
};

export interface TimerBacklog {
  /** Running timers due within the window asked for, not breached yet. */
  dueSoon: number;
  /** Timers whose next warning or breach instant has passed, not fired yet. */
  late: number;
  /** How long ago the oldest of those instants was; 0 when none is late. */
  oldestLateMs: number;
}

interface RawTimerBacklog {
  dueSoon: number;
  late: number;
  oldestLate: Date | string | null;
}

@Injectable()
export class SlaTimersRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /** The timers of records this caller may see, by the same condition for reads and lists. */
  private visibleTo(reader: Caller) {
    const visible = visibleTimers(this.dataSource.manager, reader, this.policy, 'timer');
    return this.dataSource
      .getRepository(SlaTimerEntity)
      .createQueryBuilder('timer')
      .where(visible.sql, visible.parameters);
  }

  async findVisibleById(id: string, reader: Caller): Promise<SlaTimerEntity | null> {
    return this.visibleTo(reader).andWhere('timer.id = :id', { id }).getOne();
  }

  /** A record's timers, locked: the scheduler skips them until the record's event is applied. */
  async findByRecordForUpdate(manager: EntityManager, recordId: string): Promise<SlaTimerEntity[]> {
    return manager
      .getRepository(SlaTimerEntity)
      .createQueryBuilder('timer')
      .setLock('pessimistic_write')
      .where('timer.record_id = :recordId', { recordId })
      .orderBy('timer.started_at', 'ASC')
      .addOrderBy('timer.id', 'ASC')
      .getMany();
  }

  /**
   * Timers whose next warning or breach has come, locked for the caller's transaction.
   * `SKIP LOCKED` lets several schedulers share the work: a row one of them holds is
   * invisible to the others until it commits, by which time it has moved on.
   */
  async claimDue(manager: EntityManager, now: Date, limit: number): Promise<SlaTimerEntity[]> {
    return manager
      .getRepository(SlaTimerEntity)
      .createQueryBuilder('timer')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where('timer.next_fire_at <= :now', { now })
      .orderBy('timer.next_fire_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  /** The earliest next fire instant of all timers (an index-only look-up). */
  async earliestFire(): Promise<Date | null> {
    const rows = await this.dataSource.manager.query<{ earliest: Date | null }[]>(
      `SELECT min(next_fire_at) AS earliest FROM ${this.table()} WHERE next_fire_at IS NOT NULL`,
    );
    return rows[0]?.earliest ?? null;
  }

  /**
   * What the timer engine has ahead and behind at `now`, for its gauges: running timers due
   * within `soonMs` and not yet breached, and timers whose warning or breach instant has
   * passed without the scheduler firing it, with the oldest such instant. Index range scans
   * on `next_fire_at` (a running timer's next fire instant is at or before its due time).
   */
  async backlog(now: Date, soonMs: number): Promise<TimerBacklog> {
    const soon = new Date(now.getTime() + soonMs);
    const [row] = await this.dataSource.manager.query<RawTimerBacklog[]>(
      `SELECT
         (SELECT count(*)::int FROM ${this.table()}
           WHERE next_fire_at <= $2 AND state = 'running' AND due_at > $1 AND due_at <= $2) AS "dueSoon",
         (SELECT count(*)::int FROM ${this.table()} WHERE next_fire_at <= $1) AS late,
         (SELECT min(next_fire_at) FROM ${this.table()} WHERE next_fire_at <= $1) AS "oldestLate"`,
      [now, soon],
    );
    return {
      dueSoon: row?.dueSoon ?? 0,
      late: row?.late ?? 0,
      oldestLateMs: row?.oldestLate ? now.getTime() - new Date(row.oldestLate).getTime() : 0,
    };
  }

  async list(
    reader: Caller,
    filters: TimerFilters,
    page: { sort: TimerSort; limit: number; after?: TimerListPosition },
  ) {
    const builder = this.visibleTo(reader);
    const column = SORT_COLUMNS[page.sort];
    if (filters.recordId) builder.andWhere('timer.record_id = :recordId', filters);
    if (filters.slaId) builder.andWhere('timer.sla_id = :slaId', filters);
    if (filters.recordType) builder.andWhere('timer.record_type = :recordType', filters);
    if (filters.states?.length) builder.andWhere('timer.state IN (:...states)', filters);
    if (filters.dueBefore) builder.andWhere('timer.due_at < :dueBefore', filters);
    // Only counting timers have a due time; a list in due order is of those.
    if (page.sort === 'dueAt') builder.andWhere('timer.due_at IS NOT NULL');
    if (page.after) builder.andWhere(`(${column}, timer.id) > (:at, :id)`, page.after);
    return builder.orderBy(column, 'ASC').addOrderBy('timer.id', 'ASC').limit(page.limit).getMany();
  }

  async insert(manager: EntityManager, timers: SlaTimerEntity[]): Promise<void> {
    if (timers.length > 0) await manager.insert(SlaTimerEntity, timers);
  }

  /** Writes what the engine changed on timers it holds locked. */
  async update(manager: EntityManager, timers: readonly SlaTimer[]): Promise<void> {
    for (const { id, ...fields } of timers) {
      await manager.update(SlaTimerEntity, { id }, fields);
    }
  }

  /** Writes what firing changes (state, warnings, due and next fire instants) for a batch, in one statement. */
  async recordFirings(manager: EntityManager, timers: readonly SlaTimer[]): Promise<void> {
    if (timers.length === 0) return;
    const column = <T>(pick: (timer: SlaTimer) => T) => timers.map(pick);
    await manager.query(
      `UPDATE ${this.table()} AS timer
          SET state = fired.state, warnings_fired = fired.warnings_fired, due_at = fired.due_at,
              next_fire_at = fired.next_fire_at, breached_at = fired.breached_at, updated_at = fired.updated_at
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::timestamptz[])
              AS fired (id, state, warnings_fired, due_at, next_fire_at, breached_at, updated_at)
        WHERE timer.id = fired.id`,
      [
        column((timer) => timer.id),
        column((timer) => timer.state),
        column((timer) => timer.warningsFired),
        column((timer) => timer.dueAt),
        column((timer) => timer.nextFireAt),
        column((timer) => timer.breachedAt),
        column((timer) => timer.updatedAt),
      ],
    );
  }

  private table(): string {
    return qualifiedTable(this.dataSource.getMetadata(SlaTimerEntity));
  }
}
