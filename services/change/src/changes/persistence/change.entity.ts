import {
  type ChangeApprovalState,
  type ChangeCloseCode,
  type ChangeExternalRef,
  type ChangeModel,
  type ChangeRisk,
  type ChangeRiskSource,
  type ChangeState,
} from '@itsm/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type ChangeImpact } from '../domain/change';

/**
 * Changes. The B-tree indexes serve the lists (each common filter leads a
 * (filter, opened_at, id) index); the GiST index on the planned window serves the
 * schedule and conflict detection (overlaps), the GIN index on `ci_ids` the CI filter and
 * same-CI conflicts, the expression index on `external_ref` a pipeline finding its
 * change, the expression GIN index full-text search (`CHANGE_SEARCH_DOCUMENT`), and the
 * covering partial index on completed changes an assignment group's record (risk); those
 * are created in migrations, as TypeORM cannot describe them.
 */
@Entity({ name: 'changes' })
@Index('IX_changes_opened', ['openedAt', 'id'])
@Index('IX_changes_updated', ['updatedAt', 'id'])
@Index('IX_changes_planned_start', ['plannedStart', 'id'])
@Index('IX_changes_state_opened', ['state', 'openedAt', 'id'])
@Index('IX_changes_model_opened', ['model', 'openedAt', 'id'])
@Index('IX_changes_group_opened', ['assignmentGroup', 'openedAt', 'id'])
@Index('IX_changes_assignee_opened', ['assignee', 'openedAt', 'id'])
@Index('IX_changes_held_by_window', ['heldByWindowId'], {
  where: '"held_by_window_id" IS NOT NULL',
})
@Index('IX_changes_planned_window', { synchronize: false })
@Index('IX_changes_ci_ids', { synchronize: false })
@Index('UQ_changes_external_ref', { synchronize: false })
@Index('IX_changes_search', { synchronize: false })
@Index('IX_changes_group_record', { synchronize: false })
export class ChangeEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_changes' })
  id!: string;

  @Index('UQ_changes_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text', nullable: true })
  justification!: string | null;

  @Column({ type: 'text' })
  model!: ChangeModel;

  @Column({ name: 'template_id', type: 'uuid', nullable: true })
  templateId!: string | null;

  @Column({ name: 'template_version', type: 'integer', nullable: true })
  templateVersion!: number | null;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ type: 'smallint' })
  impact!: ChangeImpact;

  @Column({ type: 'text' })
  risk!: ChangeRisk;

  @Column({ name: 'risk_source', type: 'text', nullable: true })
  riskSource!: ChangeRiskSource | null;

  @Column({ name: 'risk_reasons', type: 'text', array: true, default: () => "'{}'" })
  riskReasons!: string[];

  @Column({ name: 'risk_answers', type: 'jsonb', default: () => "'{}'" })
  riskAnswers!: Record<string, string>;

  @Column({ name: 'risk_assessed_at', type: 'timestamptz', nullable: true })
  riskAssessedAt!: Date | null;

  @Column({ type: 'text' })
  state!: ChangeState;

  @Column({ type: 'text' })
  approval!: ChangeApprovalState;

  @Column({ name: 'on_hold', type: 'boolean', default: false })
  onHold!: boolean;

  @Column({ name: 'hold_reason', type: 'text', nullable: true })
  holdReason!: string | null;

  @Column({ name: 'held_by_window_id', type: 'uuid', nullable: true })
  heldByWindowId!: string | null;

  @Column({ name: 'planned_start', type: 'timestamptz', nullable: true })
  plannedStart!: Date | null;

  @Column({ name: 'planned_end', type: 'timestamptz', nullable: true })
  plannedEnd!: Date | null;

  @Column({ name: 'actual_start', type: 'timestamptz', nullable: true })
  actualStart!: Date | null;

  @Column({ name: 'actual_end', type: 'timestamptz', nullable: true })
  actualEnd!: Date | null;

  @Column({ name: 'implementation_plan', type: 'text', nullable: true })
  implementationPlan!: string | null;

  @Column({ name: 'backout_plan', type: 'text', nullable: true })
  backoutPlan!: string | null;

  @Column({ name: 'test_plan', type: 'text', nullable: true })
  testPlan!: string | null;

  @Column({ name: 'ci_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ciIds!: string[];

  @Column({ name: 'business_service_ids', type: 'uuid', array: true, default: () => "'{}'" })
  businessServiceIds!: string[];

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ name: 'requested_by', type: 'text' })
  requestedBy!: string;

  @Column({ name: 'problem_ids', type: 'uuid', array: true, default: () => "'{}'" })
  problemIds!: string[];

  @Column({ name: 'incident_ids', type: 'uuid', array: true, default: () => "'{}'" })
  incidentIds!: string[];

  @Column({ name: 'caused_incident_ids', type: 'uuid', array: true, default: () => "'{}'" })
  causedIncidentIds!: string[];

  @Column({ name: 'close_code', type: 'text', nullable: true })
  closeCode!: ChangeCloseCode | null;

  @Column({ name: 'close_notes', type: 'text', nullable: true })
  closeNotes!: string | null;

  @Column({ name: 'review_notes', type: 'text', nullable: true })
  reviewNotes!: string | null;

  @Column({ type: 'boolean', default: false })
  unauthorized!: boolean;

  @Column({ name: 'blackout_override_reason', type: 'text', nullable: true })
  blackoutOverrideReason!: string | null;

  @Column({ name: 'external_ref', type: 'jsonb', nullable: true })
  externalRef!: ChangeExternalRef | null;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'authorized_at', type: 'timestamptz', nullable: true })
  authorizedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by', type: 'text', nullable: true })
  closedBy!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
