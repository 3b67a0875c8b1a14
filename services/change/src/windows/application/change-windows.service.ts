import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Caller } from '@itsm/auth';
import { type ChangeWindowKind } from '@itsm/contracts';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  ValidationProblem,
  decodeCursor,
  historyView,
  pageOf,
  type HistoryEntryView,
  type Page,
} from '@itsm/platform';
import { FreezeHolds } from '../../freezes/application/freeze-holds';
import { DataSource, type EntityManager } from 'typeorm';
import { scheduledWindows, type ScheduledWindow } from '../../conflicts/domain/schedule';
import {
  applyWindowChanges,
  defineWindow,
  enforceFreeze,
  liftFreeze,
  retireWindow,
  type ChangeWindow,
  type ChangeWindowChanges,
  type NewChangeWindow,
} from '../domain/change-window';
import { MAX_OCCURRENCE_RANGE_DAYS, occurrencesBetween } from '../domain/occurrences';
import {
  ChangeWindowsRepository,
  type ChangeWindowFilter,
  type WindowPosition,
} from '../persistence/change-windows.repository';
import { ChangeWindowWriter } from './change-window-writer';
import {
  toOccurrenceView,
  toSnapshot,
  type ChangeWindowView,
  type OccurrenceView,
} from './change-window-view';
import { answeringWindowErrors } from './domain-problems';

export interface TimeRange {
  from: Date;
  to: Date;
}

export interface ChangeWindowListRequest {
  kinds?: ChangeWindowKind[];
  active?: boolean;
  inForce?: boolean;
  /** Only windows with an occurrence overlapping it; each item then lists those occurrences. */
  range?: TimeRange;
  cursor?: string;
  limit: number;
}

/** Rows read per query while filtering a page by occurrence: windows are few, a page rarely needs two. */
const SCAN_BATCH = 200;

const DAY_MS = 86_400_000;

/**
 * A range as the API takes it: `to` after `from`, at most {@link MAX_OCCURRENCE_RANGE_DAYS}
 * days (the bound on one expansion of occurrences).
 */
export function rangeOf(from: Date, to: Date): TimeRange {
  if (to.getTime() <= from.getTime())
    throw new ValidationProblem([{ field: 'to', message: 'must be after from' }]);
  if (to.getTime() - from.getTime() > MAX_OCCURRENCE_RANGE_DAYS * DAY_MS)
    throw new ValidationProblem([
      { field: 'to', message: `must be at most ${MAX_OCCURRENCE_RANGE_DAYS} days after from` },
    ]);
  return { from, to };
}

/** An optional range: both ends or neither. */
export function optionalRange(from: Date | undefined, to: Date | undefined): TimeRange | undefined {
  if (from === undefined && to === undefined) return undefined;
  if (from === undefined || to === undefined)
    throw new ValidationProblem([
      {
        field: from === undefined ? 'from' : 'to',
        message: 'is required with the other end of the range',
      },
    ]);
  return rangeOf(from, to);
}

/**
 * The use cases on change windows: define, read, list (by kind, activity and range, with
 * occurrences), change, put a freeze in force and lift it, retire; and the schedule the
 * conflict detection of changes reads.
 */
@Injectable()
export class ChangeWindowsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly windows: ChangeWindowsRepository,
    private readonly writer: ChangeWindowWriter,
    private readonly holds: FreezeHolds,
  ) {}

  async create(
    input: Omit<NewChangeWindow, 'createdBy'>,
    caller: Caller,
  ): Promise<ChangeWindowView> {
    return answeringWindowErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const window = defineWindow(
          { ...input, createdBy: caller.username },
          randomUUID(),
          new Date(),
        );
        await this.writer.create(manager, window);
        return toSnapshot(window);
      }),
    );
  }

  async get(id: string): Promise<ChangeWindowView> {
    return toSnapshot(await this.existing(id));
  }

  async change(
    id: string,
    changes: ChangeWindowChanges,
    expectedVersion: number,
    caller: Caller,
  ): Promise<ChangeWindowView> {
    return this.modify(id, expectedVersion, (manager, current, now) =>
      this.writer.commit(
        manager,
        current,
        applyWindowChanges(current, changes),
        'updated',
        caller.username,
        now,
      ),
    );
  }

  async enforce(
    id: string,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<ChangeWindowView> {
    return this.modify(id, expectedVersion, async (manager, current, now) => {
      const enforced = await this.writer.commit(
        manager,
        current,
        enforceFreeze(current, caller.username, now),
        'enforced',
        caller.username,
        now,
      );
      await this.holds.hold(manager, enforced, caller.username, now);
      return enforced;
    });
  }

  async lift(
    id: string,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<ChangeWindowView> {
    return this.modify(id, expectedVersion, async (manager, current, now) => {
      const lifted = await this.writer.commit(
        manager,
        current,
        liftFreeze(current, caller.username, now),
        'lifted',
        caller.username,
        now,
      );
      await this.holds.release(manager, lifted, caller.username, now);
      return lifted;
    });
  }

  async retire(id: string, expectedVersion: number, caller: Caller): Promise<ChangeWindowView> {
    return this.modify(id, expectedVersion, (manager, current, now) =>
      this.writer.commit(
        manager,
        current,
        retireWindow(current, caller.username, now),
        'retired',
        caller.username,
        now,
      ),
    );
  }

  /** Every field set or changed, oldest first: who, when, old and new value. */
  async history(
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<HistoryEntryView>> {
    await this.existing(id);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'integer' }).id : undefined;
    const rows = await this.windows.listHistory(id, after, page.limit);
    return pageOf(rows, page.limit, historyView, (row) => ({ id: row.id }));
  }

  /** A window's occurrences overlapping the range, oldest first. */
  async occurrences(id: string, range: TimeRange): Promise<{ items: OccurrenceView[] }> {
    const window = await this.existing(id);
    return answeringWindowErrors(async () => ({
      items: occurrencesBetween(window, range.from, range.to).map(toOccurrenceView),
    }));
  }

  /**
   * A page of windows by first start. With a range, only windows with an occurrence in it,
   * each with those occurrences: which is known only by expanding them, so rows are read
   * in batches until the page is full.
   */
  async list(request: ChangeWindowListRequest): Promise<Page<ChangeWindowView>> {
    const { range, limit } = request;
    const filter: ChangeWindowFilter = {
      kinds: request.kinds,
      active: request.active,
      inForce: request.inForce,
      mayOverlap: range,
    };
    let after: WindowPosition | undefined = request.cursor
      ? decodeCursor(request.cursor, { start: 'instant', id: 'uuid' })
      : undefined;
    const found: ChangeWindowView[] = [];
    const batch = Math.max(limit + 1, SCAN_BATCH);
    for (;;) {
      const rows = await this.windows.list(filter, after, range ? batch : limit + 1);
      for (const row of rows) {
        const view = range ? withOccurrences(row, range) : toSnapshot(row);
        if (view) found.push(view);
        if (found.length > limit) break;
      }
      const last = rows.at(-1);
      if (found.length > limit || !range || !last || rows.length < batch) break;
      after = { start: last.start.toISOString(), id: last.id };
    }
    return pageOf(
      found,
      limit,
      (view) => view,
      (view) => ({ start: view.start, id: view.id }),
    );
  }

  /**
   * The windows in effect over [from, to) with their occurrences there, freezes in force
   * included: what conflict detection and the next-free-slot search of changes read.
   */
  async scheduleBetween(from: Date, to: Date): Promise<ScheduledWindow[]> {
    return answeringWindowErrors(async () =>
      scheduledWindows(await this.windows.inEffectBetween(from, to), from, to),
    );
  }

  private async modify(
    id: string,
    expectedVersion: number | undefined,
    work: (manager: EntityManager, current: ChangeWindow, now: Date) => Promise<ChangeWindow>,
  ): Promise<ChangeWindowView> {
    return answeringWindowErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.windows.findForUpdate(manager, id);
        if (!current) throw new NotFoundProblem('Change window', id);
        if (expectedVersion !== undefined && current.version !== expectedVersion)
          throw new PreconditionFailedProblem(current.version);
        return toSnapshot(await work(manager, current, new Date()));
      }),
    );
  }

  private async existing(id: string): Promise<ChangeWindow> {
    const window = await this.windows.findById(id);
    if (!window) throw new NotFoundProblem('Change window', id);
    return window;
  }
}

/** The window with its occurrences in the range, or undefined when it has none there. */
function withOccurrences(window: ChangeWindow, range: TimeRange): ChangeWindowView | undefined {
  const occurrences = occurrencesBetween(window, range.from, range.to);
  if (occurrences.length === 0) return undefined;
  return { ...toSnapshot(window), occurrences: occurrences.map(toOccurrenceView) };
}
