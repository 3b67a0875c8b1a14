import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type PeriodKind } from '../domain/report-period';
import { type Recipient, type ReportFormat } from '../domain/report-schedule';

/** A scheduled report: which service's report, for which kind of period, in which zone, for whom. */
@Entity({ name: 'report_schedules' })
@Index('IX_report_schedules_service', ['serviceId'])
export class ReportScheduleEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_report_schedules' })
  id!: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId!: string;

  @Column({ name: 'period_kind', type: 'text' })
  periodKind!: PeriodKind;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ type: 'text' })
  format!: ReportFormat;

  @Column({ type: 'jsonb' })
  recipients!: Recipient[];

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
