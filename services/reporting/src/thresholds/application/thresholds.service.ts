import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { hasPermission, type Caller } from '@itsm/auth';
import { StepForbidden } from '@itsm/domain';
import { ProblemException } from '@itsm/platform';
import { RECORD_SETS } from '../../kpis/domain/metric-definitions';
import { checkedThreshold, type ThresholdSettings } from '../domain/kpi-threshold';
import {
  KpiThresholdEntity,
  type KpiThresholdPeriodEntity,
} from '../persistence/kpi-threshold.entity';
import { ThresholdsRepository } from '../persistence/thresholds.repository';

export interface ThresholdView extends ThresholdSettings {
  id: string;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  version: number;
  /** Where the figure stood at the last evaluation of the latest period evaluated. */
  lastEvaluation: {
    periodStart: string;
    periodEnd: string;
    side: string;
    value: number;
    crossings: number;
    evaluatedAt: string;
  } | null;
}

function settingsOf(row: KpiThresholdEntity): ThresholdSettings {
  return {
    name: row.name,
    metric: row.metric,
    filters: row.filters,
    statistic: row.statistic,
    comparison: row.comparison,
    limit: row.limit,
    interval: row.interval,
    timezone: row.timezone,
    notifyGroups: row.notifyGroups,
  };
}

function viewOf(row: KpiThresholdEntity, period: KpiThresholdPeriodEntity | null): ThresholdView {
  return {
    id: row.id,
    ...settingsOf(row),
    enabled: row.enabled,
    createdBy: row.createdBy,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
    version: row.version,
    lastEvaluation: period && {
      periodStart: period.periodStart.toISOString(),
      periodEnd: period.periodEnd.toISOString(),
      side: period.side,
      value: period.value,
      crossings: period.crossings,
      evaluatedAt: period.evaluatedAt.toISOString(),
    },
  };
}

const notFound = (id: string) =>
  new ProblemException(404, 'not-found', 'Threshold not found', `there is no threshold ${id}`);

/** Defines, changes and removes KPI thresholds. */
@Injectable()
export class ThresholdsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly thresholds: ThresholdsRepository,
  ) {}

  async list(): Promise<ThresholdView[]> {
    const rows = await this.thresholds.list();
    return Promise.all(
      rows.map(async (row) => viewOf(row, await this.thresholds.latestPeriod(row.id))),
    );
  }

  async get(id: string): Promise<ThresholdView> {
    const row = await this.thresholds.find(id);
    if (!row) throw notFound(id);
    return viewOf(row, await this.thresholds.latestPeriod(id));
  }

  async create(
    settings: ThresholdSettings & { enabled?: boolean },
    author: Caller,
  ): Promise<ThresholdView> {
    this.check(settings, author);
    const now = new Date();
    const { enabled, ...rest } = settings;
    const row = await this.dataSource.transaction(async (manager) =>
      manager.save(
        manager.create(KpiThresholdEntity, {
          id: randomUUID(),
          ...rest,
          enabled: enabled ?? true,
          createdBy: author.username,
          createdAt: now,
          updatedAt: now,
          version: 1,
        }),
      ),
    );
    return viewOf(row, null);
  }

  async update(
    id: string,
    changes: Partial<ThresholdSettings> & { enabled?: boolean },
    author: Caller,
  ): Promise<ThresholdView> {
    const row = await this.dataSource.transaction(async (manager) => {
      const current = await this.thresholds.lockForEdit(manager, id);
      if (!current) throw notFound(id);
      const { enabled, ...settings } = changes;
      const next = { ...settingsOf(current), ...settings };
      this.check(next, author);
      return manager.save(KpiThresholdEntity, {
        ...current,
        ...next,
        enabled: enabled ?? current.enabled,
        updatedAt: new Date(),
        version: current.version + 1,
      });
    });
    return viewOf(row, await this.thresholds.latestPeriod(id));
  }

  async remove(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      if (!(await this.thresholds.lockForEdit(manager, id))) throw notFound(id);
      await this.thresholds.delete(manager, id);
    });
  }

  /**
   * A threshold's events tell its figure to whoever subscribes: only someone who may read
   * the records it counts may set one on them.
   */
  private check(settings: ThresholdSettings, author: Caller): void {
    const metric = checkedThreshold(settings, new Date());
    const { permission, description } = RECORD_SETS[metric.counts];
    if (!hasPermission(author.roles, permission))
      throw new StepForbidden(
        `${metric.id} counts ${description}: a threshold on it needs the ${permission} permission`,
      );
  }
}
