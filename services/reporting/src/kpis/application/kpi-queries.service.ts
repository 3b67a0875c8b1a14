import { Injectable } from '@nestjs/common';
import { hasPermission, serviceSubject, type Caller } from '@itsm/auth';
import { ProblemException } from '@itsm/platform';
import { kpiRequestOf, type KpiRequest, type RawKpiQuery } from '../domain/kpi-request';
import { seriesOf, type Figure, type KpiSeries } from '../domain/kpi-series';
import {
  RECORD_SETS,
  metricById,
  metricView,
  type Dimension,
  type MetricDefinition,
  type MetricView,
} from '../domain/metric-definitions';
import { rollupDaysFor } from '../domain/daily-rollups';
import { periodsOf, type Period } from '../domain/periods';
import { KpiRepository, type MeasuredRecord } from '../persistence/kpi.repository';
import { KpiRollups } from '../persistence/kpi-rollups.repository';

export interface KpiAnswer {
  metric: MetricView;
  from: string;
  to: string;
  interval: string;
  timezone: string;
  by: Dimension[];
  filters: KpiRequest['filters'];
  generatedAt: string;
  computedFrom: 'daily_rollups' | 'fact_rows';
  series: (KpiSeries & { points: (KpiSeries['points'][number] & { records: string })[] })[];
}

const RECORDS_PAGE_LIMIT = 500;

/**
 * The reporting service reading for itself, in process (it never crosses the wire): for
 * figures that are one document for every holder of `report:read` (stored reports) or that
 * are told to subscribers (thresholds). It reads with the auditor's view, which has every
 * read permission and sees every record.
 */
export const PLATFORM_READER: Caller = {
  username: serviceSubject('reporting'),
  kind: 'service',
  roles: ['auditor'],
  groups: [],
};

/** Answers KPI queries: checks them, reads the figures, and links each figure to its records. */
@Injectable()
export class KpiQueries {
  constructor(
    private readonly repository: KpiRepository,
    private readonly rollups: KpiRollups,
  ) {}

  async series(metricId: string, raw: RawKpiQuery, reader: Caller): Promise<KpiAnswer> {
    const now = new Date();
    const request = kpiRequestOf(this.readableMetric(metricId, reader), raw, now);
    const periods = periodsOf(request, request.interval, request.timeZone, now);
    const { rows, totals, computedFrom } = await this.measure(request, periods, reader, now);
    return {
      metric: metricView(request.metric),
      from: request.from.toISOString(),
      to: request.to.toISOString(),
      interval: request.interval,
      timezone: request.timeZone,
      by: request.by,
      filters: request.filters,
      generatedAt: now.toISOString(),
      computedFrom,
      series: seriesOf(request, periods, rows, totals, now).map((series) => ({
        ...series,
        points: series.points.map((point) => ({
          ...point,
          records: recordsLink(request, series.by, {
            // A figure counts its period inside the range only.
            from: new Date(Math.max(Date.parse(point.start), request.from.getTime())),
            to: new Date(Math.min(Date.parse(point.end), request.to.getTime())),
          }),
        })),
      })),
    };
  }

  async records(
    metricId: string,
    raw: RawKpiQuery,
    reader: Caller,
    page: { limit: number; afterId?: string },
  ): Promise<{ metric: MetricView; items: MeasuredRecord[]; nextCursor: string | null }> {
    const now = new Date();
    const request = kpiRequestOf(this.readableMetric(metricId, reader), raw, now);
    const limit = Math.min(page.limit, RECORDS_PAGE_LIMIT);
    const rows = await this.repository.records(request, reader, { ...page, limit: limit + 1 }, now);
    const items = rows.slice(0, limit);
    return {
      metric: metricView(request.metric),
      items,
      nextCursor: rows.length > limit ? items.at(-1)!.id : null,
    };
  }

  /**
   * A figure over the whole range as the platform sees it, every record counted: for jobs
   * (thresholds) whose definitions were checked against their author's permissions. From
   * the fact rows, so that a threshold never compares an estimated percentile.
   */
  async platformTotal(metric: MetricDefinition, raw: RawKpiQuery): Promise<Figure> {
    const now = new Date();
    const request = kpiRequestOf(metric, { ...raw, exact: true }, now);
    const periods = periodsOf(request, request.interval, request.timeZone, now);
    const { rows, totals } = await this.repository.measure(request, periods, PLATFORM_READER, now);
    const [series] = seriesOf(request, periods, rows, totals, now);
    return series.total;
  }

  /**
   * From the daily rollups when they answer the request and are current for its days
   * (docs/adr/0022), from the fact rows otherwise: the figures are the same but for the
   * percentiles the rollups estimate, which the answer flags.
   */
  private async measure(request: KpiRequest, periods: Period[], reader: Caller, now: Date) {
    const days = request.exact
      ? null
      : rollupDaysFor(request, {
          timeZone: this.rollups.timeZone,
          seesEveryRecord: this.repository.seesEveryRecord(request.metric, reader),
          now,
        });
    if (days && (await this.rollups.refreshFor(request.metric, days)) === 'fresh')
      return {
        ...(await this.rollups.measure(request, days)),
        computedFrom: 'daily_rollups' as const,
      };
    return {
      ...(await this.repository.measure(request, periods, reader, now)),
      computedFrom: 'fact_rows' as const,
    };
  }

  private readableMetric(metricId: string, reader: Caller): MetricDefinition {
    const metric = metricById(metricId);
    if (!metric)
      throw new ProblemException(
        404,
        'not-found',
        'Metric not found',
        `there is no metric ${metricId}; GET /api/v1/reports/metrics lists them`,
      );
    const { permission, description } = RECORD_SETS[metric.counts];
    if (!hasPermission(reader.roles, permission))
      throw new ProblemException(
        403,
        'forbidden',
        'Forbidden',
        `${metric.id} counts ${description}, which needs the ${permission} permission`,
        { requiredPermission: permission },
      );
    return metric;
  }
}

function recordsLink(
  request: KpiRequest,
  by: Partial<Record<Dimension, string | null>>,
  range: { from: Date; to: Date },
): string {
  const query = new URLSearchParams({
    from: range.from.toISOString(),
    to: range.to.toISOString(),
  });
  if (request.timeZone !== 'UTC') query.set('timezone', request.timeZone);
  for (const [dimension, value] of Object.entries({ ...request.filters, ...by }))
    query.set(dimension, value ?? '');
  return `/api/v1/reports/kpis/${request.metric.id}/records?${query.toString()}`;
}
