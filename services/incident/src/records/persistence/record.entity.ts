import {
  type HoldReason,
  type RecordSource,
  type RecordType,
  type Impact,
  type Priority,
  type Urgency,
} from '@itsm/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type RecordState } from '../domain/service-record';

/**
 * Incidents and service requests in one table (one model, PRODUCT.md). The indexes serve
 * the service desk's lists: each common filter leads a (filter, opened_at, id) index so a
 * filtered, sorted page is an index range scan; arrays and the full-text document have
 * GIN indexes (created in the migration, as TypeORM cannot describe them).
 */
@Entity({ name: 'records' })
@Index('IX_records_type_opened', ['type', 'openedAt', 'id'])
@Index('IX_records_type_updated', ['type', 'updatedAt', 'id'])
@Index('IX_records_state_opened', ['state', 'openedAt', 'id'])
@Index('IX_records_state_priority_opened', ['state', 'priority', 'openedAt', 'id'])
@Index('IX_records_group_state_opened', ['assignmentGroup', 'state', 'openedAt', 'id'])
@Index('IX_records_priority_opened', ['priority', 'openedAt', 'id'])
@Index('IX_records_group_opened', ['assignmentGroup', 'openedAt', 'id'])
@Index('IX_records_assignee_opened', ['assignee', 'openedAt', 'id'])
@Index('IX_records_requester_opened', ['requester', 'openedAt', 'id'])
@Index('IX_records_service_opened', ['businessServiceId', 'openedAt', 'id'])
@Index('IX_records_category_opened', ['category', 'subcategory', 'openedAt', 'id'])
@Index('IX_records_external_ref', ['externalRef'], { where: '"external_ref" IS NOT NULL' })
@Index('IX_records_parent', ['parentId'], { where: '"parent_id" IS NOT NULL' })
@Index('IX_records_problem', ['problemId'], { where: '"problem_id" IS NOT NULL' })
@Index('IX_records_major', ['openedAt', 'id'], { where: '"major"' })
@Index('IX_records_awaiting_change', ['awaitingChangeId'], {
  where: '"awaiting_change_id" IS NOT NULL',
})
@Index('IX_records_resolved_at', ['resolvedAt'], { where: `"state" IN ('resolved', 'fulfilled')` })
@Index('IX_records_ci_ids', { synchronize: false })
@Index('IX_records_tags', { synchronize: false })
@Index('IX_records_search', { synchronize: false })
export class RecordEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_records' })
  id!: string;

  @Index('UQ_records_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  type!: RecordType;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  requester!: string;

  @Column({ type: 'text' })
  source!: RecordSource;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ type: 'text', nullable: true })
  subcategory!: string | null;

  @Column({ name: 'catalog_item', type: 'text', nullable: true })
  catalogItem!: string | null;

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
  state!: RecordState;

  @Column({ name: 'hold_reason', type: 'text', nullable: true })
  holdReason!: HoldReason | null;

  @Column({ name: 'awaiting_change_id', type: 'uuid', nullable: true })
  awaitingChangeId!: string | null;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ type: 'boolean', default: false })
  major!: boolean;

  @Column({ name: 'parent_id', type: 'uuid', nullable: true })
  parentId!: string | null;

  @Column({ name: 'problem_id', type: 'uuid', nullable: true })
  problemId!: string | null;

  @Column({ name: 'escalation_level', type: 'smallint', default: 0 })
  escalationLevel!: number;

  @Column({ name: 'resolution_code', type: 'text', nullable: true })
  resolutionCode!: string | null;

  @Column({ name: 'resolution_notes', type: 'text', nullable: true })
  resolutionNotes!: string | null;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'first_response_at', type: 'timestamptz', nullable: true })
  firstResponseAt!: Date | null;

  @Column({ name: 'resolved_at', type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;

  @Column({ name: 'reopen_count', type: 'integer', default: 0 })
  reopenCount!: number;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  tags!: string[];

  @Column({ name: 'external_ref', type: 'text', nullable: true })
  externalRef!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;

  /** Title, description and journal text for full-text search; written by the repository, never read. */
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
