import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ProducedReportEntity } from './produced-report.entity';
import { ReportScheduleEntity } from './report-schedule.entity';

/** A produced report without its bytes: what a listing shows. */
export type ProducedReportSummary = Omit<ProducedReportEntity, 'content' | 'figures'>;

const SUMMARY_COLUMNS: (keyof ProducedReportSummary)[] = [
  'id',
  'scheduleId',
  'serviceId',
  'period',
  'timeZone',
  'version',
  'format',
  'mediaType',
  'sha256',
  'archiveSequence',
  'generatedAt',
  'generatedBy',
  'reason',
  'differences',
  'recipients',
];

/** Report schedules and the reports they produced. */
@Injectable()
export class ReportSchedulesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async list(page: { limit: number; afterId?: string }): Promise<ReportScheduleEntity[]> {
    const query = this.dataSource
      .getRepository(ReportScheduleEntity)
      .createQueryBuilder('schedule')
      .orderBy('schedule.id', 'ASC')
      .limit(page.limit);
    if (page.afterId) query.where('schedule.id > :afterId', { afterId: page.afterId });
    return query.getMany();
  }

  async enabled(): Promise<ReportScheduleEntity[]> {
    return this.dataSource.getRepository(ReportScheduleEntity).findBy({ enabled: true });
  }

  async find(id: string): Promise<ReportScheduleEntity | null> {
    return this.dataSource.getRepository(ReportScheduleEntity).findOneBy({ id });
  }

  async insert(schedule: ReportScheduleEntity): Promise<void> {
    await this.dataSource.getRepository(ReportScheduleEntity).insert(schedule);
  }

  /** Saves a change if the schedule is still at `expectedVersion`; false when it has moved on. */
  async update(schedule: ReportScheduleEntity, expectedVersion: number): Promise<boolean> {
    const { id, ...changes } = schedule;
    const result = await this.dataSource
      .getRepository(ReportScheduleEntity)
      .update({ id, version: expectedVersion }, changes);
    return (result.affected ?? 0) > 0;
  }

  async delete(id: string): Promise<void> {
    await this.dataSource.getRepository(ReportScheduleEntity).delete({ id });
  }

  /**
   * Locks a schedule for producing or restating its reports, in `manager`'s transaction.
   * `skipLocked`: another replica holding it is producing right now, so this one moves on
   * (null); otherwise (a restatement) it waits for the holder.
   */
  async lock(
    manager: EntityManager,
    id: string,
    mode: { skipLocked: boolean },
  ): Promise<ReportScheduleEntity | null> {
    const query = manager
      .getRepository(ReportScheduleEntity)
      .createQueryBuilder('schedule')
      .setLock('pessimistic_write')
      .where('schedule.id = :id', { id });
    if (mode.skipLocked) query.setOnLocked('skip_locked');
    return query.getOne();
  }

  async hasReport(scheduleId: string, period: string): Promise<boolean> {
    return this.dataSource.getRepository(ProducedReportEntity).existsBy({ scheduleId, period });
  }

  async hasReports(scheduleId: string): Promise<boolean> {
    return this.dataSource.getRepository(ProducedReportEntity).existsBy({ scheduleId });
  }

  /** The newest version of a period's report, with its figures. */
  async latestVersion(
    manager: EntityManager,
    scheduleId: string,
    period: string,
  ): Promise<ProducedReportEntity | null> {
    return manager.getRepository(ProducedReportEntity).findOne({
      where: { scheduleId, period },
      order: { version: 'DESC' },
    });
  }

  async store(manager: EntityManager, report: ProducedReportEntity): Promise<void> {
    await manager.getRepository(ProducedReportEntity).insert(report);
  }

  /** A schedule's reports, newest first, without their bytes. */
  async reports(scheduleId: string): Promise<ProducedReportSummary[]> {
    return this.dataSource.getRepository(ProducedReportEntity).find({
      select: SUMMARY_COLUMNS,
      where: { scheduleId },
      order: { generatedAt: 'DESC', version: 'DESC' },
    });
  }

  async report(scheduleId: string, id: string): Promise<ProducedReportEntity | null> {
    return this.dataSource.getRepository(ProducedReportEntity).findOneBy({ scheduleId, id });
  }
}
