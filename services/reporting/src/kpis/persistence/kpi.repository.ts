import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { UNRESTRICTED, type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { quotedServiceSchema } from '@itsm/persistence';
import { RECORD_ACCESS_POLICY } from '@itsm/platform';
import { type KpiRequest } from '../domain/kpi-request';
import { type MeasuredRow } from '../domain/kpi-series';
import {
  AGE_BUCKETS,
  DIMENSIONS,
  type Dimension,
  type MetricDefinition,
} from '../domain/metric-definitions';
import { observedAt, type Period } from '../domain/periods';
import { measuredRowOf } from './measured-row';
import { METRIC_MEASURES, type MetricMeasure } from './metric-measures';
import { recordSetSource, type RecordSetSource } from './record-set-sources';

/** One record behind a figure. */
export interface MeasuredRecord {
  id: string;
  number: string;
  /** When the record entered the figure: its anchor event, or its opening for a stock. */
  at: string;
  /** Durations and ages, in seconds. */
  seconds: number | null;
  /** Ratios: whether the record is in the numerator. */
  counted: boolean | null;
  dimensions: Partial<Record<Dimension, string | null>>;
  path: string;
}

interface QueryParts {
  source: RecordSetSource;
  measure: MetricMeasure;
  from: string;
  where: string[];
  keys: string[];
  parameters: Record<string, unknown>;
}

const STOCK_KINDS = new Set(['stock', 'ageing', 'stock_age']);

/** The KPI figures, computed in PostgreSQL from the read models with the caller's record-level rule. */
@Injectable()
export class KpiRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /** Whether the caller's record-level rule lets them count every record the metric counts. */
  seesEveryRecord(metric: MetricDefinition, reader: Caller): boolean {
    const source = recordSetSource(metric.counts, quotedServiceSchema(this.dataSource));
    return source.visibility(reader, this.policy) === UNRESTRICTED;
  }

  /** The figures per period and breakdown, and the totals over the whole range. */
  async measure(
    request: KpiRequest,
    periods: Period[],
    reader: Caller,
    now: Date,
  ): Promise<{ rows: MeasuredRow[]; totals: MeasuredRow[] }> {
    const parts = this.partsOf(request, reader, request.by);
    const { measure } = parts;
    if ('opened' in measure)
      return {
        rows:
          measure.kind === 'stock'
            ? await this.stockMoves(parts, measure)
            : await this.stockAt(parts, measure, periods, request, now),
        totals: [],
      };
    const [rows, totals] = await Promise.all([
      this.flow(parts, measure, true),
      this.flow(parts, measure, false),
    ]);
    return { rows, totals };
  }

  /** The records behind a figure: those the period `from`-`to` counts, with the request's filters. */
  async records(
    request: KpiRequest,
    reader: Caller,
    page: { limit: number; afterId?: string },
    now: Date,
  ): Promise<MeasuredRecord[]> {
    const parts = this.partsOf(request, reader, []);
    const { source, measure } = parts;
    const where = [...parts.where];
    const parameters: Record<string, unknown> = { ...parts.parameters, limit: page.limit };
    let at: string;
    let secondsExpression = 'NULL::float8';
    let counted = 'NULL::boolean';
    if (STOCK_KINDS.has(measure.kind) && 'opened' in measure) {
      where.push(
        `${measure.opened} < :at`,
        `(${measure.ended} IS NULL OR ${measure.ended} >= :at)`,
      );
      parameters.at = observedAt(
        { start: request.from, end: request.to, partial: false },
        request,
        now,
      );
      at = measure.opened;
      secondsExpression = `EXTRACT(EPOCH FROM (:at::timestamptz - ${measure.opened}))::float8`;
    } else if ('anchor' in measure) {
      where.push(`${measure.anchor} >= :from`, `${measure.anchor} < :to`);
      at = measure.anchor;
      if (measure.kind === 'duration') secondsExpression = `(${measure.seconds})::float8`;
      if (measure.kind === 'ratio') counted = `COALESCE(${measure.numerator}, FALSE)`;
    } else {
      throw new Error(`metric ${request.metric.id} has no measure`);
    }
    if (page.afterId) {
      where.push(`${source.id}::text > :afterId`);
      parameters.afterId = page.afterId;
    }
    const shown = (Object.keys(source.dimensions) as Dimension[]).filter(
      (dimension) => !source.dimensions[dimension]?.join,
    );
    const rows = await this.run<Record<string, unknown>>(
      `SELECT ${source.id}::text AS id, ${source.number} AS number, ${at} AS at,
              ${secondsExpression} AS seconds, ${counted} AS counted
              ${shown.map((dimension) => `, ${source.dimensions[dimension]!.expression} AS "${dimension}"`).join('')}
         FROM ${parts.from}
        WHERE ${where.join(' AND ')}
        ORDER BY ${source.id}::text
        LIMIT :limit`,
      parameters,
    );
    return rows.map((row) => ({
      id: row.id as string,
      number: row.number as string,
      at: (row.at as Date).toISOString(),
      seconds: row.seconds === null ? null : Number(row.seconds),
      counted: row.counted as boolean | null,
      dimensions: Object.fromEntries(
        shown.map((dimension) => [dimension, row[dimension] as string | null]),
      ),
      path: `${source.path}${row.id as string}`,
    }));
  }

  private partsOf(request: KpiRequest, reader: Caller, keys: readonly Dimension[]): QueryParts {
    const schema = quotedServiceSchema(this.dataSource);
    const source = recordSetSource(request.metric.counts, schema);
    const measure = METRIC_MEASURES[request.metric.id];
    if (!measure) throw new Error(`metric ${request.metric.id} has no measure`);
    const used = new Set<Dimension>([...keys, ...(Object.keys(request.filters) as Dimension[])]);
    const columnOf = (dimension: Dimension) => {
      const column = source.dimensions[dimension];
      if (!column) throw new Error(`${request.metric.counts} has no dimension ${dimension}`);
      return column;
    };
    const joins = [...used].flatMap((dimension) => columnOf(dimension).join ?? []);
    const visibility = source.visibility(reader, this.policy);
    const where = [source.base, measure.population ?? 'TRUE', visibility.sql];
    const parameters: Record<string, unknown> = {
      ...visibility.parameters,
      from: request.from,
      to: request.to,
      interval: request.interval,
      timeZone: request.timeZone,
    };
    (Object.keys(DIMENSIONS) as Dimension[]).forEach((dimension, index) => {
      if (!(dimension in request.filters)) return;
      const value = request.filters[dimension];
      const expression = columnOf(dimension).expression;
      if (value === null || value === undefined) {
        where.push(`${expression} IS NULL`);
      } else {
        where.push(`${expression} = :filter${index}`);
        parameters[`filter${index}`] = value;
      }
    });
    return {
      source,
      measure,
      from: [source.from, ...new Set(joins)].join(' '),
      where,
      keys: keys.map((dimension, index) => `${columnOf(dimension).expression} AS key${index}`),
      parameters,
    };
  }

  private async flow(
    parts: QueryParts,
    measure: Extract<MetricMeasure, { anchor: string }>,
    perPeriod: boolean,
  ): Promise<MeasuredRow[]> {
    const statistics =
      measure.kind === 'duration'
        ? `, avg(${measure.seconds})::float8 AS mean,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ${measure.seconds}) AS p50,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY ${measure.seconds}) AS p90`
        : measure.kind === 'ratio'
          ? `, (count(*) FILTER (WHERE ${measure.numerator}))::int AS numerator`
          : '';
    const period = perPeriod
      ? `date_trunc(:interval, ${measure.anchor}, :timeZone)`
      : 'NULL::timestamptz';
    const rows = await this.run<Record<string, unknown>>(
      `SELECT ${period} AS period_start ${parts.keys.map((key) => `, ${key}`).join('')},
              count(*)::int AS count ${statistics}
         FROM ${parts.from}
        WHERE ${[...parts.where, `${measure.anchor} >= :from`, `${measure.anchor} < :to`].join(' AND ')}
        GROUP BY ${['period_start', ...parts.keys.map((_, index) => `key${index}`)].join(', ')}`,
      parts.parameters,
    );
    return rows.map((row) => measuredRowOf(row, parts.keys.length));
  }

  /**
   * A stock as moves: +1 when a record opens, -1 when it ends, per period (moves before the
   * range form the opening balance); the series adds them up. One pass over the records,
   * however many periods.
   */
  private async stockMoves(
    parts: QueryParts,
    measure: Extract<MetricMeasure, { opened: string }>,
  ): Promise<MeasuredRow[]> {
    const keys = parts.keys.map((key) => `, ${key}`).join('');
    const keyNames = parts.keys.map((_, index) => `, key${index}`).join('');
    const where = parts.where.join(' AND ');
    const rows = await this.run<Record<string, unknown>>(
      `SELECT CASE WHEN moves.at < :from THEN NULL
                   ELSE date_trunc(:interval, moves.at, :timeZone) END AS period_start
              ${keyNames}, count(*)::int AS count, sum(moves.delta)::int AS delta
         FROM (SELECT ${measure.opened} AS at, 1 AS delta ${keys}
                 FROM ${parts.from} WHERE ${where} AND ${measure.opened} < :to
               UNION ALL
               SELECT ${measure.ended} AS at, -1 AS delta ${keys}
                 FROM ${parts.from} WHERE ${where} AND ${measure.ended} < :to) AS moves
        GROUP BY 1 ${keyNames}`,
      parts.parameters,
    );
    return rows.map((row) => ({
      ...measuredRowOf(row, parts.keys.length),
      delta: Number(row.delta),
    }));
  }

  /** Ages of the records open at each period's end: one join of the periods with the open records. */
  private async stockAt(
    parts: QueryParts,
    measure: Extract<MetricMeasure, { opened: string }>,
    periods: Period[],
    request: KpiRequest,
    now: Date,
  ): Promise<MeasuredRow[]> {
    const age = `EXTRACT(EPOCH FROM (observation.at - ${measure.opened}))`;
    const statistics =
      measure.kind === 'ageing'
        ? AGE_BUCKETS.map(
            ({ fromDays, toDays }, index) =>
              `, (count(*) FILTER (WHERE ${age} >= ${fromDays * 86_400}${
                toDays === null ? '' : ` AND ${age} < ${toDays * 86_400}`
              }))::int AS bucket${index}`,
          ).join('')
        : `, avg(${age})::float8 AS mean,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ${age}) AS p50,
             percentile_cont(0.9) WITHIN GROUP (ORDER BY ${age}) AS p90`;
    const rows = await this.run<Record<string, unknown>>(
      `SELECT observation.period_start ${parts.keys.map((key) => `, ${key}`).join('')},
              count(*)::int AS count ${statistics}
         FROM ${parts.from}
         JOIN unnest(:starts::timestamptz[], :observed::timestamptz[]) AS observation(period_start, at)
           ON ${measure.opened} < observation.at
          AND (${measure.ended} IS NULL OR ${measure.ended} >= observation.at)
        WHERE ${parts.where.join(' AND ')}
        GROUP BY observation.period_start ${parts.keys.map((_, index) => `, key${index}`).join('')}`,
      {
        ...parts.parameters,
        starts: periods.map((period) => period.start),
        observed: periods.map((period) => observedAt(period, request, now)),
      },
    );
    return rows.map((row) => ({
      ...measuredRowOf(row, parts.keys.length),
      ...(measure.kind === 'ageing'
        ? {
            buckets: Object.fromEntries(
              AGE_BUCKETS.map(({ id }, index) => [id, Number(row[`bucket${index}`])]),
            ),
          }
        : {}),
    }));
  }

  private run<Row>(sql: string, parameters: Record<string, unknown>): Promise<Row[]> {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters, {});
    return this.dataSource.query(query, values);
  }
}
