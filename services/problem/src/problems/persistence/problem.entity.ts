import {
  type Impact,
  type Priority,
  type ProblemResolutionCode,
  type ProblemSource,
  type ProblemState,
  type Urgency,
} from '@itsm/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Problems. The indexes serve the problem lists (each common filter leads a
 * (filter, opened_at, id) index), the candidate rules (open problems by candidate key)
 * and search; the GIN indexes are created in the migration, as TypeORM cannot describe them.
 */
@Entity({ name: 'problems' })
@Index('IX_problems_opened', ['openedAt', 'id'])
@Index('IX_problems_updated', ['updatedAt', 'id'])
@Index('IX_problems_state_opened', ['state', 'openedAt', 'id'])
@Index('IX_problems_priority_opened', ['priority', 'openedAt', 'id'])
@Index('IX_problems_group_opened', ['assignmentGroup', 'openedAt', 'id'])
@Index('IX_problems_assignee_opened', ['assignee', 'openedAt', 'id'])
@Index('IX_problems_source_opened', ['source', 'openedAt', 'id'])
@Index('IX_problems_category_opened', ['category', 'openedAt', 'id'])
@Index('IX_problems_service_opened', ['businessServiceId', 'openedAt', 'id'])
@Index('IX_problems_candidate_key', ['candidateKey'], { where: '"candidate_key" IS NOT NULL' })
@Index('IX_problems_duplicate_of', ['duplicateOfId'], { where: '"duplicate_of_id" IS NOT NULL' })
@Index('IX_problems_ci_ids', { synchronize: false })
@Index('IX_problems_open_ci_ids', { synchronize: false })
@Index('IX_problems_open_service_category', { synchronize: false })
@Index('IX_problems_change_ids', { synchronize: false })
@Index('IX_problems_search', { synchronize: false })
export class ProblemEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_problems' })
  id!: string;

  @Index('UQ_problems_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ type: 'text', nullable: true })
  subcategory!: string | null;

  @Column({ name: 'business_service_id', type: 'uuid', nullable: true })
  businessServiceId!: string | null;

  @Column({ name: 'ci_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ciIds!: string[];

  @Column({ type: 'smallint' })
  impact!: Impact;

  @Column({ type: 'smallint' })
  urgency!: Urgency;

  @Column({ type: 'text' })
  priority!: Priority;

  @Column({ name: 'priority_override_reason', type: 'text', nullable: true })
  priorityOverrideReason!: string | null;

  @Column({ type: 'text' })
  state!: ProblemState;

  @Column({ type: 'text' })
  source!: ProblemSource;

  @Column({ name: 'candidate_reason', type: 'text', nullable: true })
  candidateReason!: string | null;

  @Column({ name: 'candidate_key', type: 'text', nullable: true })
  candidateKey!: string | null;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ name: 'opened_by', type: 'text' })
  openedBy!: string;

  @Column({ name: 'cause_notes', type: 'text', nullable: true })
  causeNotes!: string | null;

  @Column({ name: 'fix_notes', type: 'text', nullable: true })
  fixNotes!: string | null;

  @Column({ type: 'text', nullable: true })
  workaround!: string | null;

  @Column({ name: 'resolution_code', type: 'text', nullable: true })
  resolutionCode!: ProblemResolutionCode | null;

  @Column({ name: 'resolution_notes', type: 'text', nullable: true })
  resolutionNotes!: string | null;

  @Column({ name: 'duplicate_of_id', type: 'uuid', nullable: true })
  duplicateOfId!: string | null;

  @Column({ name: 'change_ids', type: 'uuid', array: true, default: () => "'{}'" })
  changeIds!: string[];

  @Column({ name: 'incident_count', type: 'integer', default: 0 })
  incidentCount!: number;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'confirmed_at', type: 'timestamptz', nullable: true })
  confirmedAt!: Date | null;

  @Column({ name: 'confirmed_by', type: 'text', nullable: true })
  confirmedBy!: string | null;

  @Column({ name: 'root_cause_identified_at', type: 'timestamptz', nullable: true })
  rootCauseIdentifiedAt!: Date | null;

  @Column({ name: 'root_cause_identified_by', type: 'text', nullable: true })
  rootCauseIdentifiedBy!: string | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'resolved_by', type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'closed_by', type: 'text', nullable: true })
  closedBy!: string | null;

  @Column({ name: 'reanalysis_count', type: 'integer', default: 0 })
  reanalysisCount!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;

  /** Title, description, notes and journal for full-text search; written by the repository, never read. */
  @Column({
    name: 'search_document',
    type: 'tsvector',
    nullable: true,
    select: false,
    insert: false,
    update: false,
  })
  searchDocument!: string | null;
}
