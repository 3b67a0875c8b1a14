import {
  type ChangeTemplateRisk,
  type ChangeTemplateState,
  type ChangeTemplateTask,
} from '@itsm/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { type ChangeImpact } from '../../changes/domain/change';

/** Every version of every template; the key (template, version) also serves reading a template's versions in order. */
@Entity({ name: 'change_template_versions' })
export class ChangeTemplateVersionEntity {
  @PrimaryColumn({
    name: 'template_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_change_template_versions',
  })
  templateId!: string;

  @PrimaryColumn({
    type: 'integer',
    primaryKeyConstraintName: 'PK_change_template_versions',
  })
  version!: number;

  @Column({ type: 'text' })
  state!: ChangeTemplateState;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ name: 'change_title', type: 'text' })
  changeTitle!: string;

  @Column({ name: 'change_description', type: 'text' })
  changeDescription!: string;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ name: 'implementation_plan', type: 'text', nullable: true })
  implementationPlan!: string | null;

  @Column({ name: 'backout_plan', type: 'text', nullable: true })
  backoutPlan!: string | null;

  @Column({ name: 'test_plan', type: 'text', nullable: true })
  testPlan!: string | null;

  @Column({ type: 'smallint' })
  impact!: ChangeImpact;

  @Column({ type: 'text' })
  risk!: ChangeTemplateRisk;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  tasks!: ChangeTemplateTask[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  authors!: string[];

  @Column({ name: 'proposed_by', type: 'text' })
  proposedBy!: string;

  @Column({ name: 'proposed_at', type: 'timestamptz' })
  proposedAt!: Date;

  @Column({ name: 'approved_by', type: 'text', nullable: true })
  approvedBy!: string | null;

  @Column({ name: 'approved_at', type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  @Column({ name: 'published_by', type: 'text', nullable: true })
  publishedBy!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz', nullable: true })
  publishedAt!: Date | null;

  @Column({ name: 'retired_by', type: 'text', nullable: true })
  retiredBy!: string | null;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'superseded_by', type: 'integer', nullable: true })
  supersededBy!: number | null;

  @Column({ name: 'state_reason', type: 'text', nullable: true })
  stateReason!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
