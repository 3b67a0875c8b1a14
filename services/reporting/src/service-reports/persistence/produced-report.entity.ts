import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { type FigureDifference, type ReportFigures } from '../domain/service-report';
import { type Recipient, type ReportFormat } from '../domain/report-schedule';

/**
 * A report a schedule produced, as served: never changed once stored (a trigger refuses
 * UPDATE and DELETE). A restatement is a further version of the same schedule and period.
 */
@Entity({ name: 'produced_reports' })
@Unique('UQ_produced_reports_schedule_period_version', ['scheduleId', 'period', 'version'])
@Index('IX_produced_reports_schedule_generated', ['scheduleId', 'generatedAt'])
export class ProducedReportEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_produced_reports' })
  id!: string;

  @Column({ name: 'schedule_id', type: 'uuid' })
  scheduleId!: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId!: string;

  @Column({ type: 'text' })
  period!: string;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  /** 1 for the report the schedule produced, then one more per restatement. */
  @Column({ type: 'integer' })
  version!: number;

  @Column({ type: 'text' })
  format!: ReportFormat;

  @Column({ name: 'media_type', type: 'text' })
  mediaType!: string;

  @Column({ type: 'bytea' })
  content!: Buffer;

  /** Hex SHA-256 of `content`, the exact bytes a download serves. */
  @Column({ type: 'text' })
  sha256!: string;

  /** Every figure by line and period: what a restatement compares with. */
  @Column({ type: 'jsonb' })
  figures!: ReportFigures;

  /** The last event archive sequence when the report was computed: the inputs it had. */
  @Column({ name: 'archive_sequence', type: 'bigint' })
  archiveSequence!: string;

  @Column({ name: 'generated_at', type: 'timestamptz' })
  generatedAt!: Date;

  /** `schedule` for the scheduled run, else the user who asked for the restatement. */
  @Column({ name: 'generated_by', type: 'text' })
  generatedBy!: string;

  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  /** For a restatement: the figures that differ from the version before; null for version 1. */
  @Column({ type: 'jsonb', nullable: true })
  differences!: FigureDifference[] | null;

  /** Whom the schedule named when the report was produced. */
  @Column({ type: 'jsonb' })
  recipients!: Recipient[];
}
