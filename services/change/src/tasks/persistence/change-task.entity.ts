import { type ChangeTaskState, type ChangeTaskType } from '@itsm/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * The tasks of changes; read per change in the order of their numbers, which keeps the
 * order a template lists its tasks in (they are opened in one instant).
 */
@Entity({ name: 'change_tasks' })
@Index('IX_change_tasks_change', ['changeId', 'number'])
export class ChangeTaskEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_change_tasks' })
  id!: string;

  @Index('UQ_change_tasks_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ name: 'change_id', type: 'uuid' })
  changeId!: string;

  @Column({ type: 'text' })
  type!: ChangeTaskType;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  state!: ChangeTaskState;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ name: 'planned_start', type: 'timestamptz', nullable: true })
  plannedStart!: Date | null;

  @Column({ name: 'planned_end', type: 'timestamptz', nullable: true })
  plannedEnd!: Date | null;

  @Column({ name: 'close_notes', type: 'text', nullable: true })
  closeNotes!: string | null;

  @Column({ name: 'opened_by', type: 'text' })
  openedBy!: string;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
