import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type ThresholdComparison } from '@itsm/contracts';
import { type Interval } from '../../kpis/domain/periods';
import { type ThresholdStatistic } from '../domain/kpi-threshold';

/** A limit on a KPI figure over the current day, week or month (docs/reporting.md, "Thresholds"). */
@Entity({ name: 'kpi_thresholds' })
export class KpiThresholdEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_kpi_thresholds' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  metric!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  filters!: Record<string, string | null>;

  @Column({ type: 'text' })
  statistic!: ThresholdStatistic;

  @Column({ type: 'text' })
  comparison!: ThresholdComparison;

  @Column({ name: 'limit_value', type: 'double precision' })
  limit!: number;

  @Column({ type: 'text' })
  interval!: Interval;

  @Column({ type: 'text' })
  timezone!: string;

  @Column({ name: 'notify_groups', type: 'text', array: true, default: () => "'{}'" })
  notifyGroups!: string[];

  @Column({ type: 'boolean', default: true })
  enabled!: boolean;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}

/** Where a threshold's figure stood in one period at its last evaluation: what makes a crossing told once. */
@Entity({ name: 'kpi_threshold_periods' })
export class KpiThresholdPeriodEntity {
  @PrimaryColumn({
    name: 'threshold_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_kpi_threshold_periods',
  })
  thresholdId!: string;

  @PrimaryColumn({
    name: 'period_start',
    type: 'timestamptz',
    primaryKeyConstraintName: 'PK_kpi_threshold_periods',
  })
  periodStart!: Date;

  @Column({ name: 'period_end', type: 'timestamptz' })
  periodEnd!: Date;

  /** `beyond` or `within` the limit. */
  @Column({ type: 'text' })
  side!: string;

  @Column({ type: 'double precision' })
  value!: number;

  @Column({ type: 'integer', default: 0 })
  crossings!: number;

  @Column({ name: 'evaluated_at', type: 'timestamptz' })
  evaluatedAt!: Date;
}
