import { type ProblemTaskState, type ProblemTaskType } from '@itsm/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Root cause analysis and general tasks of a problem. */
@Entity({ name: 'problem_tasks' })
@Index('IX_problem_tasks_problem', ['problemId', 'openedAt', 'id'])
export class ProblemTaskEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_problem_tasks' })
  id!: string;

  @Index('UQ_problem_tasks_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ name: 'problem_id', type: 'uuid' })
  problemId!: string;

  @Column({ type: 'text' })
  type!: ProblemTaskType;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  state!: ProblemTaskState;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

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
