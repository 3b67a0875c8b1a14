import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { qualifiedTable } from '@itsm/persistence';
import { RECORD_ACCESS_POLICY } from '@itsm/platform';
import { SlaTimerEntity } from '../../timers/persistence/sla-timer.entity';
import { visibleTimers } from '../../timers/persistence/timer-visibility';

export const COMPLIANCE_DIMENSIONS = ['sla', 'service', 'group'] as const;
export type ComplianceDimension = (typeof COMPLIANCE_DIMENSIONS)[number];
export const COMPLIANCE_PERIODS = ['day', 'week', 'month'] as const;
export type CompliancePeriod = (typeof COMPLIANCE_PERIODS)[number];

export interface ComplianceQuery {
  from: Date;
  to: Date;
  slaId?: string;
  businessServiceId?: string;
  assignmentGroup?: string;
  groupBy: readonly ComplianceDimension[];
  period?: CompliancePeriod;
  /** Counts only the timers of records this caller may see. */
  reader: Caller;
}

export interface ComplianceRow {
  slaId: string | null;
  slaName: string | null;
  businessServiceId: string | null;
  assignmentGroup: string | null;
  periodStart: Date | null;
  met: number;
  breached: number;
  inFlight: number;
  cancelled: number;
  meanPercentUsed: number | null;
  p90PercentUsed: number | null;
  meanElapsedMs: number | null;
  p90ElapsedMs: number | null;
}

const DIMENSION_COLUMNS: Record<ComplianceDimension, string[]> = {
  sla: ['sla_id'],
  service: ['business_service_id'],
  group: ['assignment_group'],
};

/** Time used is measured on timers that reached their outcome: met, or breached and since stopped. */
const FINISHED = `state IN ('met', 'breached') AND stopped_at IS NOT NULL`;
const PERCENT = `elapsed_ms::float8 / duration_ms * 100`;

@Injectable()
export class ComplianceRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /** Timers started in [from, to), counted per chosen dimension and period (UTC). */
  async summarize(query: ComplianceQuery): Promise<ComplianceRow[]> {
    const visible = visibleTimers(this.dataSource.manager, query.reader, this.policy, 'timer');
    const parameters: Record<string, unknown> = {
      ...visible.parameters,
      from: query.from,
      to: query.to,
    };
    const conditions = ['started_at >= :from', 'started_at < :to', visible.sql];
    const filter = (column: string, value: string | undefined) => {
      if (value === undefined) return;
      parameters[column] = value;
      conditions.push(`${column} = :${column}`);
    };
    filter('sla_id', query.slaId);
    filter('business_service_id', query.businessServiceId);
    filter('assignment_group', query.assignmentGroup);

    const groups = query.groupBy.flatMap((dimension) => DIMENSION_COLUMNS[dimension]);
    if (query.period) {
      parameters.period = query.period;
      groups.push(`date_trunc(CAST(:period AS text), started_at, 'UTC')`);
    }
    const select = (column: string, alias: string, included: boolean) =>
      included ? `${column} AS "${alias}"` : `NULL AS "${alias}"`;
    const grouping =
      groups.length > 0 ? `GROUP BY ${groups.join(', ')} ORDER BY ${groups.join(', ')}` : '';
    const periodColumn = query.period ? groups.at(-1)! : 'NULL';

    const [sql, values] = this.dataSource.driver.escapeQueryWithParameters(
      `SELECT ${select('sla_id', 'slaId', query.groupBy.includes('sla'))},
              ${select('(array_agg(sla_name ORDER BY sla_version DESC))[1]', 'slaName', query.groupBy.includes('sla'))},
              ${select('business_service_id', 'businessServiceId', query.groupBy.includes('service'))},
              ${select('assignment_group', 'assignmentGroup', query.groupBy.includes('group'))},
              ${periodColumn} AS "periodStart",
              count(*) FILTER (WHERE state = 'met')::int AS met,
              count(*) FILTER (WHERE state = 'breached')::int AS breached,
              count(*) FILTER (WHERE state IN ('running', 'paused'))::int AS "inFlight",
              count(*) FILTER (WHERE state = 'cancelled')::int AS cancelled,
              avg(${PERCENT}) FILTER (WHERE ${FINISHED}) AS "meanPercentUsed",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY ${PERCENT}) FILTER (WHERE ${FINISHED}) AS "p90PercentUsed",
              avg(elapsed_ms) FILTER (WHERE ${FINISHED})::float8 AS "meanElapsedMs",
              percentile_cont(0.9) WITHIN GROUP (ORDER BY elapsed_ms) FILTER (WHERE ${FINISHED}) AS "p90ElapsedMs"
         FROM ${qualifiedTable(this.dataSource.getMetadata(SlaTimerEntity))} AS timer
        WHERE ${conditions.join(' AND ')}
        ${grouping}`,
      parameters,
      {},
    );
    const rows = await this.dataSource.query<Record<string, unknown>[]>(sql, values);
    return rows as unknown as ComplianceRow[];
  }
}
