import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { hasPermission, type Caller, type Permission } from '@itsm/auth';
import { RuleViolation } from '@itsm/domain';
import { KpiQueries } from '../../kpis/application/kpi-queries.service';
import {
  RECORD_SETS,
  metricById,
  type MetricDefinition,
} from '../../kpis/domain/metric-definitions';
import {
  periodWithTrend,
  reportPeriodOf,
  timeZoneOf,
  type ReportPeriod,
} from '../domain/report-period';
import {
  REPORT_SECTIONS,
  trendOf,
  type AgreedAction,
  type ReportLine,
  type ReportNotes,
  type ReportSection,
  type ServiceReport,
} from '../domain/service-report';
import {
  ServiceReportsRepository,
  type NewAction,
} from '../persistence/service-reports.repository';

/** What names a service report: the service, the period's label and the zone it is read in. */
export interface ServiceReportKey {
  service: string | undefined;
  period: string | undefined;
  timezone?: string;
}

/** The interval a period's figure is asked at: the whole range's total is the period's figure. */
const QUERY_INTERVAL = { weekly: 'week', monthly: 'month', quarterly: 'month' } as const;

export const MAX_NOTES_LENGTH = 10_000;

/**
 * Builds service reports from the KPI engine: every figure comes from {@link KpiQueries},
 * under the reader's record-level rules, for the period and the three before it.
 */
@Injectable()
export class ServiceReports {
  constructor(
    private readonly kpis: KpiQueries,
    private readonly repository: ServiceReportsRepository,
  ) {}

  async report(key: ServiceReportKey, reader: Caller): Promise<ServiceReport> {
    const { serviceId, period } = reportKeyOf(key);
    const now = new Date();
    const periods = periodWithTrend(period);
    const sections: ReportSection[] = [];
    for (const section of REPORT_SECTIONS) {
      const metrics = section.lines.map(({ metric, bySla }) => ({
        metric: definitionOf(metric),
        bySla,
      }));
      const withheld = metrics
        .map(({ metric }) => RECORD_SETS[metric.counts].permission as Permission)
        .find((permission) => !hasPermission(reader.roles, permission));
      if (withheld) {
        sections.push({ id: section.id, title: section.title, lines: [], withheld });
        continue;
      }
      const lines: ReportLine[] = [];
      for (const { metric, bySla } of metrics) {
        lines.push(lineOf(metric, null, await this.figures(metric, serviceId, periods, reader)));
        if (bySla) lines.push(...(await this.slaLines(metric, serviceId, periods, reader)));
      }
      sections.push({ id: section.id, title: section.title, lines });
    }
    const [name, notes, actions] = await Promise.all([
      this.repository.serviceName(serviceId, reader),
      this.repository.notes(serviceId, period.label),
      this.repository.actions(serviceId, period.label),
    ]);
    return {
      service: { id: serviceId, name },
      period: {
        kind: period.kind,
        label: period.label,
        start: period.start.toISOString(),
        end: period.end.toISOString(),
        timeZone: period.timeZone,
        partial: period.end.getTime() > now.getTime(),
      },
      previousPeriods: periods.slice(1).map(({ label, start, end }) => ({
        label,
        start: start.toISOString(),
        end: end.toISOString(),
      })),
      generatedAt: now.toISOString(),
      sections,
      notes,
      actions,
    };
  }

  async writeNotes(key: ServiceReportKey, text: unknown, author: Caller): Promise<ReportNotes> {
    const { serviceId, period } = reportKeyOf(key);
    if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_NOTES_LENGTH)
      throw new RuleViolation('text', `must be text of 1 to ${MAX_NOTES_LENGTH} characters`);
    return this.repository.writeNotes(serviceId, period.label, text, author.username);
  }

  async addAction(key: ServiceReportKey, action: NewAction, author: Caller): Promise<AgreedAction> {
    const { serviceId, period } = reportKeyOf(key);
    return this.repository.addAction(serviceId, period.label, action, author.username);
  }

  /** The metric's figure for each period, newest first. */
  private async figures(
    metric: MetricDefinition,
    serviceId: string,
    periods: readonly ReportPeriod[],
    reader: Caller,
  ): Promise<(number | null)[]> {
    return Promise.all(
      periods.map(async (period) => {
        const answer = await this.kpis.series(metric.id, rawQueryOf(serviceId, period), reader);
        return answer.series[0]?.total.value ?? null;
      }),
    );
  }

  /** One line per SLA definition that has a figure in any of the periods. */
  private async slaLines(
    metric: MetricDefinition,
    serviceId: string,
    periods: readonly ReportPeriod[],
    reader: Caller,
  ): Promise<ReportLine[]> {
    const answers = await Promise.all(
      periods.map((period) =>
        this.kpis.series(metric.id, { ...rawQueryOf(serviceId, period), by: 'sla' }, reader),
      ),
    );
    const bySla = new Map<string, (number | null)[]>();
    answers.forEach((answer, index) => {
      for (const series of answer.series) {
        const sla = series.by.sla;
        if (sla === null || sla === undefined) continue;
        const values = bySla.get(sla) ?? periods.map(() => null);
        values[index] = series.total.value;
        bySla.set(sla, values);
      }
    });
    return [...bySla.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([sla, values]) => lineOf(metric, sla, values));
  }
}

function definitionOf(id: string): MetricDefinition {
  const metric = metricById(id);
  if (!metric) throw new Error(`the service report names ${id}, which the registry lacks`);
  return metric;
}

function lineOf(
  metric: MetricDefinition,
  sla: string | null,
  values: (number | null)[],
): ReportLine {
  return {
    metric: metric.id,
    name: metric.name,
    unit: metric.unit,
    sla,
    higherIsBetter: metric.higherIsBetter,
    values,
    trend: trendOf(values, metric.higherIsBetter),
  };
}

function rawQueryOf(serviceId: string, period: ReportPeriod) {
  return {
    from: period.start.toISOString(),
    to: period.end.toISOString(),
    interval: QUERY_INTERVAL[period.kind],
    timezone: period.timeZone,
    filters: { service: serviceId },
  };
}

/** The service and period a report is for, checked; the first fault names its field. */
export function reportKeyOf(key: ServiceReportKey): { serviceId: string; period: ReportPeriod } {
  if (typeof key.service !== 'string' || !isUUID(key.service))
    throw new RuleViolation('service', 'must be the UUID of a business service');
  const timeZone = timeZoneOf(key.timezone);
  if (typeof key.period !== 'string') throw new RuleViolation('period', 'is required');
  return { serviceId: key.service, period: reportPeriodOf(key.period, timeZone) };
}
