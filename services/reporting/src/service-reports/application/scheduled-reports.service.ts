import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Caller } from '@itsm/auth';
import { RuleViolation } from '@itsm/domain';
import { NotFoundProblem, PreconditionFailedProblem, ProblemException } from '@itsm/platform';
import { PLATFORM_READER } from '../../kpis/application/kpi-queries.service';
import { lastCompletedPeriod, reportPeriodOf, type ReportPeriod } from '../domain/report-period';
import {
  REPORT_FORMATS,
  scheduleSettingsOf,
  type RawScheduleSettings,
} from '../domain/report-schedule';
import { differencesOf, figuresOf } from '../domain/service-report';
import { type ProducedReportEntity } from '../persistence/produced-report.entity';
import { ReportScheduleEntity } from '../persistence/report-schedule.entity';
import {
  ReportSchedulesRepository,
  type ProducedReportSummary,
} from '../persistence/report-schedules.repository';
import { ServiceReportsRepository } from '../persistence/service-reports.repository';
import { renderReport } from './report-rendering';
import { ServiceReports } from './service-reports.service';

/** Whom a stored report is computed as: it holds the whole service's figures. */
export const SCHEDULED_REPORT_READER = PLATFORM_READER;

/** `generated_by` of the reports the schedule itself produced. */
export const SCHEDULE_PRODUCER = 'schedule';

/** Schedules of service reports, and the reports they produce, each stored once and never changed. */
@Injectable()
export class ScheduledReports {
  private readonly logger = new Logger(ScheduledReports.name);

  constructor(
    private readonly schedules: ReportSchedulesRepository,
    private readonly reports: ServiceReports,
    private readonly serviceReports: ServiceReportsRepository,
  ) {}

  list(page: { limit: number; afterId?: string }): Promise<ReportScheduleEntity[]> {
    return this.schedules.list(page);
  }

  async get(id: string): Promise<ReportScheduleEntity> {
    const schedule = await this.schedules.find(id);
    if (!schedule) throw new NotFoundProblem('Report schedule', id);
    return schedule;
  }

  async create(raw: RawScheduleSettings, author: Caller): Promise<ReportScheduleEntity> {
    const settings = scheduleSettingsOf(raw);
    const now = new Date();
    const schedule: ReportScheduleEntity = {
      id: randomUUID(),
      ...settings,
      version: 1,
      createdBy: author.username,
      createdAt: now,
      updatedBy: author.username,
      updatedAt: now,
    };
    await this.schedules.insert(schedule);
    return schedule;
  }

  async change(
    id: string,
    raw: RawScheduleSettings,
    expectedVersion: number,
    author: Caller,
  ): Promise<ReportScheduleEntity> {
    const current = await this.get(id);
    if (current.version !== expectedVersion) throw new PreconditionFailedProblem(current.version);
    const changed: ReportScheduleEntity = {
      ...current,
      ...scheduleSettingsOf(raw, current),
      version: current.version + 1,
      updatedBy: author.username,
      updatedAt: new Date(),
    };
    if (!(await this.schedules.update(changed, expectedVersion)))
      throw new PreconditionFailedProblem((await this.get(id)).version);
    return changed;
  }

  /** Removes a schedule that produced nothing; one with reports is disabled instead, as its reports stay. */
  async remove(id: string): Promise<void> {
    await this.get(id);
    if (await this.schedules.hasReports(id))
      throw new ProblemException(
        409,
        'schedule-has-reports',
        'The schedule has produced reports',
        'Its reports are kept as produced; disable the schedule (enabled: false) instead.',
      );
    await this.schedules.delete(id);
  }

  async producedReports(scheduleId: string): Promise<ProducedReportSummary[]> {
    await this.get(scheduleId);
    return this.schedules.reports(scheduleId);
  }

  async producedReport(scheduleId: string, reportId: string): Promise<ProducedReportEntity> {
    const report = await this.schedules.report(scheduleId, reportId);
    if (!report) throw new NotFoundProblem('Report', reportId);
    return report;
  }

  /**
   * Produces every enabled schedule's report for its last completed period, unless already
   * produced. Each schedule is claimed with `FOR UPDATE SKIP LOCKED` and its report stored
   * in the same transaction, so with any number of replicas a period is produced once; a
   * replica that fails mid-way releases the claim and the next round produces it.
   */
  async produceDue(now: Date): Promise<number> {
    let produced = 0;
    for (const schedule of await this.schedules.enabled()) {
      const period = lastCompletedPeriod(schedule.periodKind, now, schedule.timeZone);
      // Most rounds find every period produced: that is read without taking any lock.
      if (await this.schedules.hasReport(schedule.id, period.label)) continue;
      try {
        const stored = await this.schedules.transaction(async (manager) => {
          const claimed = await this.schedules.lock(manager, schedule.id, { skipLocked: true });
          if (!claimed?.enabled) return false;
          // Read under the lock: a replica that produced it has committed by now.
          if (await this.schedules.latestVersion(manager, claimed.id, period.label)) return false;
          await this.produce(manager, claimed, period, null, SCHEDULE_PRODUCER, null);
          return true;
        });
        if (stored) produced += 1;
      } catch (error) {
        this.logger.error(
          { err: error },
          `report of schedule ${schedule.id} for ${period.label} failed; the next round retries`,
        );
      }
    }
    return produced;
  }

  /**
   * Computes a produced period's report again as a new version, noting which figures
   * differ from the version before. Only a period the schedule has produced is restated.
   */
  async restate(
    scheduleId: string,
    periodLabel: string,
    reason: unknown,
    author: Caller,
  ): Promise<ProducedReportEntity> {
    if (reason !== undefined && (typeof reason !== 'string' || reason.length > 2000))
      throw new RuleViolation('reason', 'must be text of at most 2000 characters');
    const schedule = await this.get(scheduleId);
    const period = reportPeriodOf(periodLabel, schedule.timeZone);
    if (period.kind !== schedule.periodKind)
      throw new RuleViolation('period', `must be a ${schedule.periodKind} period, as the schedule`);
    return this.schedules.transaction(async (manager) => {
      const locked = await this.schedules.lock(manager, scheduleId, { skipLocked: false });
      if (!locked) throw new NotFoundProblem('Report schedule', scheduleId);
      const previous = await this.schedules.latestVersion(manager, scheduleId, period.label);
      if (!previous)
        throw new ProblemException(
          409,
          'not-produced',
          'Nothing to restate',
          `the schedule has not produced a report for ${period.label}; only a produced period is restated`,
        );
      return this.produce(manager, locked, period, previous, author.username, reason ?? null);
    });
  }

  private async produce(
    manager: EntityManager,
    schedule: ReportScheduleEntity,
    period: ReportPeriod,
    previous: ProducedReportEntity | null,
    producer: string,
    reason: string | null,
  ): Promise<ProducedReportEntity> {
    // Read before the figures: the report reflects at least the events up to here.
    const archiveSequence = await this.serviceReports.archiveSequence();
    const report = await this.reports.report(
      { service: schedule.serviceId, period: period.label, timezone: schedule.timeZone },
      SCHEDULED_REPORT_READER,
    );
    const content = await renderReport(report, schedule.format);
    const figures = figuresOf(report);
    const produced: ProducedReportEntity = {
      id: randomUUID(),
      scheduleId: schedule.id,
      serviceId: schedule.serviceId,
      period: period.label,
      timeZone: schedule.timeZone,
      version: (previous?.version ?? 0) + 1,
      format: schedule.format,
      mediaType: REPORT_FORMATS[schedule.format],
      content,
      sha256: createHash('sha256').update(content).digest('hex'),
      figures,
      archiveSequence,
      generatedAt: new Date(report.generatedAt),
      generatedBy: producer,
      reason,
      differences: previous ? differencesOf(previous.figures, figures) : null,
      recipients: schedule.recipients,
    };
    await this.schedules.store(manager, produced);
    return produced;
  }
}
