import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * What the engine last learned about an incident or request: the snapshot fields its
 * rules compare against (priority for re-targeting, reopen count for reopening), its
 * ownership (who may see its timers) and the record version, so a stale event cannot undo
 * a newer one.
 */
@Entity({ name: 'sla_records' })
export class SlaRecordEntity {
  @PrimaryColumn({ name: 'record_id', type: 'uuid', primaryKeyConstraintName: 'PK_sla_records' })
  recordId!: string;

  @Column({ name: 'record_type', type: 'text' })
  recordType!: string;

  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  priority!: string;

  @Column({ type: 'text' })
  state!: string;

  /** Null only for records last heard of before the slm kept ownership (until their next event). */
  @Column({ type: 'text', nullable: true })
  requester!: string | null;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ name: 'reopen_count', type: 'integer' })
  reopenCount!: number;

  @Column({ name: 'record_version', type: 'integer' })
  recordVersion!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
