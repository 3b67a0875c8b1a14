import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type FieldChange } from '@itsm/domain';
import { appendHistory, historyPage, type HistoryEntryEntity } from '@itsm/platform';
import { type CabMeeting } from '../domain/cab-meeting';
import { CabDecisionEntity } from './cab-decision.entity';
import { CabMeetingEntity } from './cab-meeting.entity';

/** The position of the last meeting of a page: the list is ordered by name, then id. */
export interface CabMeetingPosition {
  name: string;
  id: string;
}

/** Named queries on CAB meetings, their history and minutes; writes take the caller's transaction. */
@Injectable()
export class CabMeetingsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, meeting: CabMeeting): Promise<void> {
    await manager.insert(CabMeetingEntity, meeting);
  }

  async save(manager: EntityManager, meeting: CabMeeting): Promise<void> {
    await manager.update(CabMeetingEntity, { id: meeting.id }, meeting);
  }

  async findById(id: string): Promise<CabMeeting | null> {
    return this.dataSource.getRepository(CabMeetingEntity).findOneBy({ id });
  }

  /** Locks the row for the rest of the caller's transaction, so that concurrent changes queue. */
  async findForUpdate(manager: EntityManager, id: string): Promise<CabMeeting | null> {
    return manager
      .getRepository(CabMeetingEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Up to `limit` meetings after `after`, by name then id. */
  async list(
    active: boolean | undefined,
    after: CabMeetingPosition | undefined,
    limit: number,
  ): Promise<CabMeeting[]> {
    const query = this.dataSource.getRepository(CabMeetingEntity).createQueryBuilder('m');
    query.where('TRUE');
    if (active !== undefined) query.andWhere('m.active = :active', { active });
    if (after) query.andWhere('(m.name, m.id) > (:name, :id)', after);
    return query.orderBy('m.name', 'ASC').addOrderBy('m.id', 'ASC').limit(limit).getMany();
  }

  async appendHistory(
    manager: EntityManager,
    meetingId: string,
    changes: readonly FieldChange[],
    actor: string,
    at: Date,
  ): Promise<void> {
    await appendHistory(manager, meetingId, changes, actor, at);
  }

  async listHistory(
    meetingId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<HistoryEntryEntity[]> {
    return historyPage(this.dataSource.manager, meetingId, afterId, limit);
  }

  /** The decisions one meeting recorded, in the order it took them. */
  async decisionsOf(meetingId: string, meetingStart: Date): Promise<CabDecisionEntity[]> {
    return this.dataSource.getRepository(CabDecisionEntity).find({
      where: { meetingId, meetingStart },
      order: { recordedAt: 'ASC', changeNumber: 'ASC' },
    });
  }

  async findDecision(
    manager: EntityManager,
    meetingId: string,
    meetingStart: Date,
    changeId: string,
  ): Promise<CabDecisionEntity | null> {
    return manager
      .getRepository(CabDecisionEntity)
      .findOneBy({ meetingId, meetingStart, changeId });
  }

  async insertDecision(manager: EntityManager, decision: CabDecisionEntity): Promise<void> {
    await manager.insert(CabDecisionEntity, decision);
  }
}
