import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type ApprovalOutcome } from '../domain/approval-round';
import { type ApprovalRequirement } from '../domain/approval-policy';

/** A decision as stored in its round (the instant as ISO 8601 text, as JSON holds it). */
export interface StoredDecision {
  approver: string;
  for: { kind: 'user' | 'group' | 'role'; name: string };
  decision: 'approve' | 'reject';
  comment: string | null;
  at: string;
  retrospective: boolean;
}

/**
 * One approval round of a change: the requirement fixed when it opened (so that later
 * policy edits do not move it) and its decisions, kept after the round is decided.
 */
@Entity({ name: 'approval_rounds' })
// A CAB meeting's agenda reads the rounds still waiting on a decision.
@Index('IX_approval_rounds_pending', ['changeId'], { where: `"outcome" = 'pending'` })
export class ApprovalRoundEntity {
  @PrimaryColumn({
    name: 'change_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_approval_rounds',
  })
  changeId!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_approval_rounds' })
  number!: number;

  @Column({ type: 'jsonb' })
  requirement!: ApprovalRequirement;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  decisions!: StoredDecision[];

  @Column({ type: 'text' })
  outcome!: ApprovalOutcome;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'closed_at', type: 'timestamptz', nullable: true })
  closedAt!: Date | null;
}
