import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** The notes on a service's report for a period: one text, rewritten as the review goes. */
@Entity({ name: 'service_report_notes' })
export class ServiceReportNotesEntity {
  @PrimaryColumn({
    name: 'service_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_service_report_notes',
  })
  serviceId!: string;

  /** The period's label (`2026-11`, `2026-W47`, `2026-Q4`). */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'PK_service_report_notes' })
  period!: string;

  @Column({ type: 'text' })
  text!: string;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** An action agreed in a service review, kept with the service and period it was agreed for. */
@Entity({ name: 'service_report_actions' })
@Index('IX_service_report_actions_service_period', ['serviceId', 'period', 'createdAt'])
export class ServiceReportActionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_service_report_actions' })
  id!: string;

  @Column({ name: 'service_id', type: 'uuid' })
  serviceId!: string;

  @Column({ type: 'text' })
  period!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text', nullable: true })
  owner!: string | null;

  @Column({ name: 'due_date', type: 'date', nullable: true })
  dueDate!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
