import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { DataSource, type EntityManager } from 'typeorm';
import { quotedServiceSchema } from '@itsm/persistence';
import {
  HISTOGRAM_GROWTH,
  LIVE_ONLY_DIMENSIONS,
  ROLLED_UP_KINDS,
  ROLLED_UP_SETS,
  type RollupDays,
} from '../domain/daily-rollups';
import { type KpiRequest } from '../domain/kpi-request';
import { type MeasuredRow } from '../domain/kpi-series';
import { measuredRowOf } from './measured-row';
import { METRICS, type Dimension, type MetricDefinition } from '../domain/metric-definitions';
import { KPIS_CONFIG, type KpisConfig } from '../kpis.config';
import { METRIC_MEASURES, type MetricMeasure } from './metric-measures';
import { recordSetSource, type RecordSetSource } from './record-set-sources';

/** Advisory lock class of a fact table's rollups: one recomputation at a time per table. */
const ROLLUP_LOCK_CLASS = 0x6b706931;
/** A query recomputes at most this many marked days itself; more, and it reads the fact rows. */
const DAYS_RECOMPUTED_ON_READ = 7;
/** How long a query waits for another recomputation of its table before reading the facts. */
const READ_LOCK_TIMEOUT = '2s';

const FACT_TABLES = [...new Set(Object.values(ROLLED_UP_SETS))];

/** The rolled-up metrics, per fact table. */
function metricsOf(table: string): MetricDefinition[] {
  return METRICS.filter(
    (metric) => ROLLED_UP_SETS[metric.counts] === table && ROLLED_UP_KINDS.has(metric.kind),
  );
}

interface Mark {
  id: string;
  utc_day: string | null;
}

/** Days to recompute: every day, or these local days with the instants they span. */
type DaySelection = 'all' | { days: string[]; ranges: { start: Date; end: Date }[] };

export type RefreshOutcome = 'fresh' | 'stale';

const histogramEstimateSql = (bucket: string) =>
  `CASE WHEN ${bucket} < 0 THEN 0 ELSE power(${HISTOGRAM_GROWTH}, ${bucket} + 0.5) END`;

/** The columns an anchor expression reads (`f.resolved_at`, or those of a COALESCE or LEAST). */
function columnsOf(expression: string): string[] {
  return [...new Set([...expression.matchAll(/\bf\.(\w+_at)\b/g)].map((match) => `f.${match[1]}`))];
}

/**
 * The KPI daily rollups (docs/adr/0022): kept from the fact rows by recomputing the days
 * the fact tables' triggers mark, and read in place of the fact rows when they answer.
 */
@Injectable()
export class KpiRollups {
  private readonly logger = new Logger(KpiRollups.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(KPIS_CONFIG) private readonly config: KpisConfig,
  ) {}

  get timeZone(): string {
    return this.config.REPORTING_TIME_ZONE;
  }

  /**
   * Rollups of another zone are thrown away and everything is marked, so that the rounds
   * recompute it in this one; until then queries read the fact rows.
   */
  async adoptTimeZone(): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const schema = quotedServiceSchema(this.dataSource);
      await manager.query('SELECT pg_advisory_xact_lock($1, 0)', [ROLLUP_LOCK_CLASS]);
      const [state] = await manager.query<{ time_zone: string }[]>(
        `SELECT time_zone FROM ${schema}.kpi_rollup_state WHERE id = 1 FOR UPDATE`,
      );
      if (state?.time_zone === this.timeZone) return;
      await manager.query(`DELETE FROM ${schema}.kpi_daily_rollups`);
      await manager.query(
        `INSERT INTO ${schema}.kpi_rollup_marks (fact_table, utc_day) SELECT unnest($1::text[]), NULL`,
        [FACT_TABLES],
      );
      await manager.query(
        `INSERT INTO ${schema}.kpi_rollup_state (id, time_zone) VALUES (1, $1)
         ON CONFLICT (id) DO UPDATE SET time_zone = EXCLUDED.time_zone, updated_at = now()`,
        [this.timeZone],
      );
    });
  }

  /** A fact table was replaced by its rebuild: every day of it is to be recomputed. */
  async markAll(manager: EntityManager, table: string): Promise<void> {
    if (!FACT_TABLES.includes(table)) return;
    await manager.query(
      `INSERT INTO ${quotedServiceSchema(this.dataSource)}.kpi_rollup_marks (fact_table, utc_day) VALUES ($1, NULL)`,
      [table],
    );
  }

  /** Recomputes every marked day of every table; a table another replica is at is left to it. */
  async refreshAll(): Promise<void> {
    for (const table of FACT_TABLES) await this.refresh(table, null, { wait: false });
  }

  /**
   * Brings the rollups of the metric's table up to date for the days a query reads:
   * 'stale' when they cannot be in time (a whole table to recompute, or many days, or
   * another recomputation holding it), and the query is to read the fact rows.
   */
  async refreshFor(metric: MetricDefinition, days: RollupDays): Promise<RefreshOutcome> {
    const table = ROLLED_UP_SETS[metric.counts];
    if (!table) return 'stale';
    return this.refresh(table, days, { wait: true });
  }

  private async refresh(
    table: string,
    within: RollupDays | null,
    { wait }: { wait: boolean },
  ): Promise<RefreshOutcome> {
    const schema = quotedServiceSchema(this.dataSource);
    // A day in UTC meets the local days one either side of it, whatever the zone.
    const bounds = within && {
      first: DateTime.fromISO(within.firstDay).minus({ days: 1 }).toISODate()!,
      end: DateTime.fromISO(within.endDay).plus({ days: 1 }).toISODate()!,
    };
    const markedIn = (manager: EntityManager | DataSource) =>
      manager.query<Mark[]>(
        `SELECT id::text AS id, utc_day::text AS utc_day FROM ${schema}.kpi_rollup_marks
          WHERE fact_table = $1 ${bounds ? 'AND (utc_day IS NULL OR (utc_day >= $2 AND utc_day < $3))' : ''}`,
        bounds ? [table, bounds.first, bounds.end] : [table],
      );
    const tooManyForAQuery = (marks: Mark[]) => {
      const selection = this.daysOf(marks);
      return (
        within !== null && (selection === 'all' || selection.days.length > DAYS_RECOMPUTED_ON_READ)
      );
    };
    const seen = await markedIn(this.dataSource);
    if (seen.length === 0) return 'fresh';
    // Not worth waiting for the lock: the query would not recompute that much itself.
    if (tooManyForAQuery(seen)) return 'stale';
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (wait) {
          await manager.query(`SET LOCAL lock_timeout = '${READ_LOCK_TIMEOUT}'`);
          await manager.query('SELECT pg_advisory_xact_lock($1, $2)', [
            ROLLUP_LOCK_CLASS,
            FACT_TABLES.indexOf(table) + 1,
          ]);
        } else {
          const [{ locked }] = await manager.query<{ locked: boolean }[]>(
            'SELECT pg_try_advisory_xact_lock($1, $2) AS locked',
            [ROLLUP_LOCK_CLASS, FACT_TABLES.indexOf(table) + 1],
          );
          if (!locked) return 'stale';
        }
        const marks = await markedIn(manager);
        if (marks.length === 0) return 'fresh';
        if (tooManyForAQuery(marks)) return 'stale';
        const selection = this.daysOf(marks);
        const started = performance.now();
        for (const metric of metricsOf(table)) await this.recompute(manager, metric, selection);
        if (selection === 'all')
          this.logger.log(
            `rolled up every day of ${table} in ${Math.round(performance.now() - started)} ms`,
          );
        await manager.query(`DELETE FROM ${schema}.kpi_rollup_marks WHERE id = ANY($1::bigint[])`, [
          marks.map((mark) => mark.id),
        ]);
        return 'fresh';
      });
    } catch (error) {
      if ((error as { driverError?: { code?: string } }).driverError?.code === '55P03')
        return 'stale';
      throw error;
    }
  }

  /** The local days the marked UTC days meet, with the instants they span, runs merged. */
  private daysOf(marks: Mark[]): DaySelection {
    if (marks.some((mark) => mark.utc_day === null)) return 'all';
    const days = new Set<string>();
    for (const mark of marks) {
      const start = DateTime.fromISO(mark.utc_day!, { zone: 'UTC' });
      for (const instant of [start, start.plus({ days: 1 }).minus({ milliseconds: 1 })])
        days.add(instant.setZone(this.timeZone).toISODate()!);
    }
    const sorted = [...days].sort();
    const ranges: { start: Date; end: Date }[] = [];
    for (const day of sorted) {
      const start = DateTime.fromISO(day, { zone: this.timeZone });
      const end = start.plus({ days: 1 });
      const last = ranges.at(-1);
      if (last && last.end.getTime() === start.toMillis()) last.end = end.toJSDate();
      else ranges.push({ start: start.toJSDate(), end: end.toJSDate() });
    }
    return { days: sorted, ranges };
  }

  /** Replaces the metric's rollups of the selected days with what the fact rows give. */
  private async recompute(
    manager: EntityManager,
    metric: MetricDefinition,
    selection: DaySelection,
  ): Promise<void> {
    const schema = quotedServiceSchema(this.dataSource);
    const source = recordSetSource(metric.counts, schema);
    const measure = METRIC_MEASURES[metric.id];
    await this.run(
      manager,
      `DELETE FROM ${schema}.kpi_daily_rollups WHERE metric = :metric
         ${selection === 'all' ? '' : 'AND day = ANY(:days::date[])'}`,
      { metric: metric.id, days: selection === 'all' ? [] : selection.days },
    );
    for (const breakdowns of breakdownGroups(metric, source)) {
      const statement =
        'opened' in measure
          ? stockStatement(schema, source, measure, breakdowns, selection)
          : flowStatement(schema, source, measure, breakdowns, selection);
      await this.run(manager, statement.sql, {
        ...statement.parameters,
        metric: metric.id,
        timeZone: this.timeZone,
      });
    }
    if (!('opened' in measure)) await this.recomputeMonths(manager, metric, selection);
  }

  /** The month rows of the selected days' months, merged from their day rows. */
  private async recomputeMonths(
    manager: EntityManager,
    metric: MetricDefinition,
    selection: DaySelection,
  ): Promise<void> {
    const schema = quotedServiceSchema(this.dataSource);
    const months =
      selection === 'all'
        ? null
        : [...new Set(selection.days.map((day) => `${day.slice(0, 7)}-01`))];
    const parameters: Record<string, unknown> = { metric: metric.id };
    const inMonths = (column: string) =>
      months === null
        ? 'TRUE'
        : `(${months
            .map((month, index) => {
              parameters[`month${index}`] = month;
              return `(${column} >= :month${index}::date AND ${column} < (:month${index}::date + interval '1 month'))`;
            })
            .join(' OR ')})`;
    await this.run(
      manager,
      `DELETE FROM ${schema}.kpi_monthly_rollups AS r WHERE r.metric = :metric AND ${inMonths('r.month')}`,
      parameters,
    );
    await this.run(
      manager,
      `INSERT INTO ${schema}.kpi_monthly_rollups
              (metric, month, dimension, key, count, numerator, measured, sum_seconds,
               histogram_buckets, histogram_counts)
       WITH days AS MATERIALIZED (
         SELECT date_trunc('month', r.day)::date AS month, r.*
           FROM ${schema}.kpi_daily_rollups AS r WHERE r.metric = :metric AND ${inMonths('r.day')}
       ), sums AS (
         SELECT month, dimension, key, sum(count)::int AS count, sum(numerator)::int AS numerator,
                sum(measured)::int AS measured, sum(sum_seconds) AS sum_seconds
           FROM days GROUP BY 1, 2, 3
       ), histograms AS (
         SELECT month, dimension, key, array_agg(bucket ORDER BY bucket) AS buckets,
                array_agg(n ORDER BY bucket) AS counts
           FROM (SELECT month, dimension, key, filed.bucket, sum(filed.n)::int AS n
                   FROM days, unnest(days.histogram_buckets, days.histogram_counts) AS filed(bucket, n)
                  GROUP BY 1, 2, 3, 4) AS merged
          GROUP BY 1, 2, 3
       )
       SELECT :metric, sums.month, sums.dimension, sums.key, sums.count, sums.numerator,
              sums.measured, sums.sum_seconds, h.buckets, h.counts
         FROM sums LEFT JOIN histograms AS h
           ON h.month = sums.month AND h.dimension = sums.dimension AND h.key IS NOT DISTINCT FROM sums.key`,
      parameters,
    );
  }

  /**
   * The figures of a request the rollups answer, as the fact rows' query would give them:
   * per period (durations' p50 and p90 exact by day, estimated from the merged histograms
   * of a week or month) and over the range (estimated).
   */
  async measure(
    request: KpiRequest,
    days: RollupDays,
  ): Promise<{ rows: MeasuredRow[]; totals: MeasuredRow[] }> {
    const schema = quotedServiceSchema(this.dataSource);
    const measure = METRIC_MEASURES[request.metric.id];
    const dimension = request.by[0] ?? '';
    const keyed = request.by.length;
    const parameters: Record<string, unknown> = {
      metric: request.metric.id,
      dimension,
      firstDay: days.firstDay,
      endDay: days.endDay,
      interval: request.interval,
      timeZone: request.timeZone,
    };
    const periodOf = `(date_trunc(:interval, r.day::timestamp) AT TIME ZONE :timeZone)`;
    const rollups = `${schema}.kpi_daily_rollups AS r`;
    const ofMetric = 'r.metric = :metric AND r.dimension = :dimension';
    if ('opened' in measure) {
      const rows = await this.run<Record<string, unknown>>(
        this.dataSource.manager,
        `SELECT CASE WHEN r.day < :firstDay::date THEN NULL ELSE ${periodOf} END AS period_start,
                r.key AS key0, sum(r.count)::int AS count, sum(r.delta)::int AS delta
           FROM ${rollups} WHERE ${ofMetric} AND r.day < :endDay::date
          GROUP BY 1, 2`,
        parameters,
      );
      return {
        rows: rows.map((row) => ({ ...measuredRowOf(row, keyed), delta: Number(row.delta) })),
        totals: [],
      };
    }
    const duration = measure.kind === 'duration';
    const selected = {
      from: rollups,
      where: `${ofMetric} AND r.day >= :firstDay::date AND r.day < :endDay::date`,
    };
    // Whole months of the range are read from their month rows, the days around them from
    // day rows: for a total, and for a series by month (a week crosses months).
    const firstMonth = DateTime.fromISO(days.firstDay)
      .plus({ days: -1 })
      .plus({ months: 1 })
      .startOf('month');
    const endMonth = DateTime.fromISO(days.endDay).startOf('month');
    const withMonths =
      firstMonth < endMonth
        ? {
            from: `(SELECT r.day, r.key, r.count, r.numerator, r.measured, r.sum_seconds,
                           r.histogram_buckets, r.histogram_counts
                      FROM ${rollups}
                     WHERE ${ofMetric} AND ((r.day >= :firstDay::date AND r.day < :firstMonth::date)
                                         OR (r.day >= :endMonth::date AND r.day < :endDay::date))
                    UNION ALL
                    SELECT r.month, r.key, r.count, r.numerator, r.measured, r.sum_seconds,
                           r.histogram_buckets, r.histogram_counts
                      FROM ${schema}.kpi_monthly_rollups AS r
                     WHERE ${ofMetric} AND r.month >= :firstMonth::date AND r.month < :endMonth::date) AS r`,
            where: 'TRUE',
          }
        : selected;
    Object.assign(parameters, {
      firstMonth: firstMonth.toISODate(),
      endMonth: endMonth.toISODate(),
    });
    const [rows, totals] = await Promise.all([
      request.interval === 'day'
        ? this.run<Record<string, unknown>>(
            this.dataSource.manager,
            `SELECT (r.day::timestamp AT TIME ZONE :timeZone) AS period_start, r.key AS key0,
                    r.count, r.numerator, r.sum_seconds / NULLIF(r.measured, 0) AS mean, r.p50, r.p90
               FROM ${selected.from} WHERE ${selected.where}`,
            parameters,
          )
        : this.run<Record<string, unknown>>(
            this.dataSource.manager,
            mergedStatement(
              periodOf,
              request.interval === 'month' ? withMonths : selected,
              duration,
            ),
            parameters,
          ),
      this.run<Record<string, unknown>>(
        this.dataSource.manager,
        mergedStatement('NULL::timestamptz', withMonths, duration),
        parameters,
      ),
    ]);
    const estimated = (merged: boolean) => (duration && merged ? { estimated: true } : {});
    return {
      rows: rows.map((row) => ({
        ...measuredRowOf(row, keyed),
        ...estimated(request.interval !== 'day'),
      })),
      totals: totals.map((row) => ({ ...measuredRowOf(row, keyed), ...estimated(true) })),
    };
  }

  private run<Row>(
    manager: EntityManager,
    sql: string,
    parameters: Record<string, unknown>,
  ): Promise<Row[]> {
    const [query, values] = this.dataSource.driver.escapeQueryWithParameters(sql, parameters, {});
    return manager.query(query, values);
  }
}

interface BreakdownGroup {
  /** Rolled up without a breakdown too. */
  withTotal: boolean;
  dimensions: { name: Dimension; expression: string }[];
  join: string;
}

/**
 * The breakdowns rolled up for a metric, in groups one statement computes: the record
 * set's own columns together (and no breakdown), and each breakdown that needs a join on
 * its own (a change under two services counts once under each, and once in all).
 */
function breakdownGroups(metric: MetricDefinition, source: RecordSetSource): BreakdownGroup[] {
  const rolled = metric.dimensions.filter(
    (dimension) => !LIVE_ONLY_DIMENSIONS.has(dimension) && source.dimensions[dimension],
  );
  const own = rolled.filter((dimension) => !source.dimensions[dimension]!.join);
  const joined = rolled.filter((dimension) => source.dimensions[dimension]!.join);
  const column = (name: Dimension) => ({ name, expression: source.dimensions[name]!.expression });
  return [
    { withTotal: true, dimensions: own.map(column), join: '' },
    ...joined.map((name) => ({
      withTotal: false,
      dimensions: [column(name)],
      join: source.dimensions[name]!.join!,
    })),
  ];
}

function groupingOf(group: BreakdownGroup, extra: string[] = []) {
  const sets = [
    ...(group.withTotal ? [['day', ...extra]] : []),
    ...group.dimensions.map((_, index) => ['day', `d${index}`, ...extra]),
  ];
  const whenGrouped = (then: (index: number) => string) =>
    group.dimensions
      .map((_, index) => `WHEN GROUPING(d${index}) = 0 THEN ${then(index)}`)
      .join(' ');
  return {
    columns: group.dimensions
      .map(({ expression }, index) => `, (${expression})::text AS d${index}`)
      .join(''),
    sets: `GROUPING SETS (${sets.map((set) => `(${set.join(', ')})`).join(', ')})`,
    label: group.dimensions.length
      ? `CASE ${whenGrouped((index) => `'${group.dimensions[index].name}'`)} ELSE '' END`
      : `''`,
    key: group.dimensions.length ? `CASE ${whenGrouped((index) => `d${index}`)} END` : 'NULL::text',
  };
}

/** The rows whose `expression` (an anchor, a stock's opening or end) falls on a selected day. */
function selectedDays(
  expression: string,
  selection: DaySelection,
  parameters: Record<string, unknown>,
) {
  if (selection === 'all') return '';
  const bounds = selection.ranges.map((range, index) => {
    parameters[`start${index}`] = range.start;
    parameters[`end${index}`] = range.end;
    return [`:start${index}`, `:end${index}`];
  });
  parameters.days = selection.days;
  // Each column on its own, so that its index finds the few rows of these days.
  const candidates = columnsOf(expression).flatMap((column) =>
    bounds.map(([start, end]) => `(${column} >= ${start} AND ${column} < ${end})`),
  );
  return `AND (${candidates.join(' OR ')}) AND (${expression} AT TIME ZONE :timeZone)::date = ANY(:days::date[])`;
}

function flowStatement(
  schema: string,
  source: RecordSetSource,
  measure: Extract<MetricMeasure, { anchor: string }>,
  group: BreakdownGroup,
  selection: DaySelection,
) {
  const parameters: Record<string, unknown> = {};
  const grouping = groupingOf(group);
  const duration = measure.kind === 'duration';
  const seconds = duration ? `(${measure.seconds})::float8` : 'NULL::float8';
  const numerator = measure.kind === 'ratio' ? `(${measure.numerator})` : 'NULL::boolean';
  const histograms = duration
    ? `, histograms AS (
         SELECT day, dimension, key, array_agg(bucket ORDER BY bucket) AS buckets,
                array_agg(n ORDER BY bucket) AS counts
           FROM (SELECT day, ${grouping.label} AS dimension, ${grouping.key} AS key, bucket, count(*)::int AS n
                   FROM (SELECT *, CASE WHEN s < 1 THEN -1 ELSE floor(ln(s) / ln(${HISTOGRAM_GROWTH}))::int END AS bucket
                           FROM facts WHERE s IS NOT NULL) AS measured
                  GROUP BY ${groupingOf(group, ['bucket']).sets}) AS filed
          GROUP BY day, dimension, key)`
    : '';
  const sql = `
    INSERT INTO ${schema}.kpi_daily_rollups
           (metric, day, dimension, key, count, numerator, measured, sum_seconds, p50, p90,
            histogram_buckets, histogram_counts)
    WITH facts AS MATERIALIZED (
      SELECT (${measure.anchor} AT TIME ZONE :timeZone)::date AS day ${grouping.columns},
             ${seconds} AS s, ${numerator} AS n
        FROM ${source.from} ${group.join}
       WHERE ${source.base} AND ${measure.population ?? 'TRUE'} AND ${measure.anchor} IS NOT NULL
             ${selectedDays(measure.anchor, selection, parameters)}
    ), stats AS (
      SELECT day, ${grouping.label} AS dimension, ${grouping.key} AS key, count(*)::int AS count,
             (count(*) FILTER (WHERE n))::int AS numerator, count(s)::int AS measured,
             sum(s) AS sum_seconds
             ${
               duration
                 ? `, percentile_cont(0.5) WITHIN GROUP (ORDER BY s) AS p50,
                    percentile_cont(0.9) WITHIN GROUP (ORDER BY s) AS p90`
                 : ', NULL::float8 AS p50, NULL::float8 AS p90'
             }
        FROM facts GROUP BY ${grouping.sets}
    ) ${histograms}
    SELECT :metric, stats.day, stats.dimension, stats.key, stats.count,
           ${measure.kind === 'ratio' ? 'stats.numerator' : 'NULL'}, stats.measured,
           stats.sum_seconds, stats.p50, stats.p90,
           ${duration ? 'h.buckets, h.counts' : 'NULL::int[], NULL::int[]'}
      FROM stats
      ${
        duration
          ? `LEFT JOIN histograms AS h ON h.day = stats.day AND h.dimension = stats.dimension
                  AND h.key IS NOT DISTINCT FROM stats.key`
          : ''
      }`;
  return { sql, parameters };
}

function stockStatement(
  schema: string,
  source: RecordSetSource,
  measure: Extract<MetricMeasure, { opened: string }>,
  group: BreakdownGroup,
  selection: DaySelection,
) {
  const parameters: Record<string, unknown> = {};
  const grouping = groupingOf(group);
  const moves = (at: string, delta: number) => `
      SELECT (${at} AT TIME ZONE :timeZone)::date AS day, ${delta} AS delta ${grouping.columns}
        FROM ${source.from} ${group.join}
       WHERE ${source.base} AND ${measure.population ?? 'TRUE'} AND ${at} IS NOT NULL
             ${selectedDays(at, selection, parameters)}`;
  const sql = `
    INSERT INTO ${schema}.kpi_daily_rollups (metric, day, dimension, key, count, delta)
    SELECT :metric, day, ${grouping.label}, ${grouping.key}, count(*)::int, sum(delta)::int
      FROM (${moves(measure.opened, 1)} UNION ALL ${moves(measure.ended, -1)}) AS moves
     GROUP BY ${grouping.sets}`;
  return { sql, parameters };
}

/**
 * As percentile_cont does with the durations themselves: the two ranks around the
 * percentile's position, interpolated; each rank read as its bucket's middle, so the
 * estimate is within 5 % of the exact figure.
 */
function percentileColumns(percent: number): string {
  const position = `${percent / 100} * (total - 1)`;
  return `,
             min(bucket) FILTER (WHERE reached >= floor(${position}) + 1) AS low${percent},
             min(bucket) FILTER (WHERE reached >= ceil(${position}) + 1) AS high${percent},
             max(${position} - floor(${position})) AS fraction${percent}`;
}

function interpolated(percent: number): string {
  const low = histogramEstimateSql(`p.low${percent}`);
  const high = histogramEstimateSql(`p.high${percent}`);
  return `(${low} + p.fraction${percent} * (${high} - ${low}))`;
}

/** Sums of the selected days per period, with p50 and p90 read from their merged histograms. */
function mergedStatement(
  period: string,
  selected: { from: string; where: string },
  duration: boolean,
): string {
  const sums = `SELECT ${period} AS period_start, r.key AS key0, sum(r.count)::int AS count,
                       sum(r.numerator)::int AS numerator,
                       sum(r.sum_seconds) / NULLIF(sum(r.measured), 0) AS mean
                  FROM ${selected.from} WHERE ${selected.where} GROUP BY 1, 2`;
  if (!duration) return sums;
  return `
    WITH sums AS (${sums}),
    filed AS (
      SELECT ${period} AS period_start, r.key AS key0, filed.bucket, sum(filed.n) AS n
        FROM ${selected.from}, unnest(r.histogram_buckets, r.histogram_counts) AS filed(bucket, n)
       WHERE ${selected.where}
       GROUP BY 1, 2, 3
    ), running AS (
      SELECT period_start, key0, bucket,
             sum(n) OVER (PARTITION BY period_start, key0 ORDER BY bucket) AS reached,
             sum(n) OVER (PARTITION BY period_start, key0) AS total
        FROM filed
    ), percentiles AS (
      SELECT period_start, key0 ${[50, 90].map((percent) => percentileColumns(percent)).join('')}
        FROM running GROUP BY 1, 2
    )
    SELECT sums.*, ${interpolated(50)} AS p50, ${interpolated(90)} AS p90
      FROM sums LEFT JOIN percentiles AS p
        ON p.period_start IS NOT DISTINCT FROM sums.period_start
       AND p.key0 IS NOT DISTINCT FROM sums.key0`;
}
