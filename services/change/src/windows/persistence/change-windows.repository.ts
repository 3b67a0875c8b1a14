import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ChangeWindowKind } from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { qualifiedTable } from '@itsm/persistence';
import { appendHistory, historyPage, type HistoryEntryEntity } from '@itsm/platform';
import { type ChangeWindow } from '../domain/change-window';
import { ChangeWindowEntity } from './change-window.entity';

export interface ChangeWindowFilter {
  kinds?: readonly ChangeWindowKind[];
  active?: boolean;
  inForce?: boolean;
  /** Windows that may have an occurrence overlapping [from, to): the caller expands them to be sure. */
  mayOverlap?: { from: Date; to: Date };
}

/** The position of the last window of a page: the list is ordered by first start, then id. */
export interface WindowPosition {
  start: string;
  id: string;
}

/** Named queries on change windows and their history; writes take the caller's transaction. */
@Injectable()
export class ChangeWindowsRepository {
  private inEffectCopy: { stamp: string; windows: ChangeWindow[] } | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, window: ChangeWindow): Promise<void> {
    await manager.insert(ChangeWindowEntity, window);
  }

  async save(manager: EntityManager, window: ChangeWindow): Promise<void> {
    await manager.update(ChangeWindowEntity, { id: window.id }, window);
  }

  async findById(id: string): Promise<ChangeWindow | null> {
    return this.dataSource.getRepository(ChangeWindowEntity).findOneBy({ id });
  }

  /** Locks the row for the rest of the caller's transaction, so that concurrent changes queue. */
  async findForUpdate(manager: EntityManager, id: string): Promise<ChangeWindow | null> {
    return manager
      .getRepository(ChangeWindowEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** One entry per field set or changed, in the record history changes share. */
  async appendHistory(
    manager: EntityManager,
    windowId: string,
    changes: readonly FieldChange[],
    actor: string,
    at: Date,
  ): Promise<void> {
    await appendHistory(manager, windowId, changes, actor, at);
  }

  async listHistory(
    windowId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<HistoryEntryEntity[]> {
    return historyPage(this.dataSource.manager, windowId, afterId, limit);
  }

  /** Up to `limit` windows after `after`, by first start then id. */
  async list(
    filter: ChangeWindowFilter,
    after: WindowPosition | undefined,
    limit: number,
  ): Promise<ChangeWindow[]> {
    const query = this.dataSource.getRepository(ChangeWindowEntity).createQueryBuilder('w');
    query.where('TRUE');
    if (filter.kinds?.length) query.andWhere('w.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.active !== undefined)
      query.andWhere('w.active = :active', { active: filter.active });
    if (filter.inForce !== undefined)
      query.andWhere('w.inForce = :inForce', { inForce: filter.inForce });
    if (filter.mayOverlap) {
      query
        .andWhere('w.start < :to', { to: filter.mayOverlap.to })
        .andWhere('(w.lastEnd IS NULL OR w.lastEnd > :from)', { from: filter.mayOverlap.from });
    }
    if (after)
      query.andWhere('(w.start, w.id) > (:afterStart, :afterId)', {
        afterStart: after.start,
        afterId: after.id,
      });
    return query.orderBy('w.start').addOrderBy('w.id').limit(limit).getMany();
  }

  /**
   * The windows in effect (active, not retired) that may matter for [from, to): those
   * that may have an occurrence in it, and every freeze in force, which holds until lifted.
   * Ordered by first start, then id.
   */
  async inEffectBetween(from: Date, to: Date): Promise<ChangeWindow[]> {
    return (await this.inEffect()).filter(
      (window) =>
        window.inForce || (window.start < to && (window.lastEnd === null || window.lastEnd > from)),
    );
  }

  /**
   * Every window in effect, from memory while the table is as it was when they were read.
   * Every conflict check and schedule reads them, and a deployment's recurring windows are
   * all in effect all the time: reading and hydrating a few hundred rows per request cost
   * more than the rest of a conflict check's queries. Windows are never deleted and every
   * write adds a row or raises a version, so the row count and the sum of versions change
   * with every committed write: one aggregate over a small table tells whether the copy is
   * still the table's (each replica asks for itself).
   */
  private async inEffect(): Promise<ChangeWindow[]> {
    const [state] = await this.dataSource.query<{ stamp: string }[]>(
      `SELECT count(*) || ':' || coalesce(sum(version), 0) AS stamp FROM ${this.table()}`,
    );
    const stamp = state?.stamp ?? '';
    if (this.inEffectCopy?.stamp === stamp) return this.inEffectCopy.windows;
    const windows = await this.dataSource
      .getRepository(ChangeWindowEntity)
      .createQueryBuilder('w')
      .where('w.active AND w.retiredAt IS NULL')
      .orderBy('w.start')
      .addOrderBy('w.id')
      .getMany();
    // Read after the stamp: a write in between makes the next stamp differ, and a new read.
    this.inEffectCopy = { stamp, windows };
    return windows;
  }

  private table(): string {
    return qualifiedTable(this.dataSource.getMetadata(ChangeWindowEntity));
  }
}
