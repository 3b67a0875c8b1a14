import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * The minutes of a CAB meeting: one decision per change per meeting, with who recorded
 * it, the comment and the approval round it decided. The decision itself lives in the
 * change's approval round; this row says which meeting took it.
 */
@Entity({ name: 'cab_decisions' })
export class CabDecisionEntity {
  @PrimaryColumn({ name: 'meeting_id', type: 'uuid', primaryKeyConstraintName: 'PK_cab_decisions' })
  meetingId!: string;

  @PrimaryColumn({
    name: 'meeting_start',
    type: 'timestamptz',
    primaryKeyConstraintName: 'PK_cab_decisions',
  })
  meetingStart!: Date;

  @PrimaryColumn({ name: 'change_id', type: 'uuid', primaryKeyConstraintName: 'PK_cab_decisions' })
  changeId!: string;

  @Column({ name: 'change_number', type: 'text' })
  changeNumber!: string;

  @Column({ name: 'approval_round', type: 'integer' })
  approvalRound!: number;

  @Column({ type: 'text' })
  decision!: 'approve' | 'reject';

  @Column({ type: 'text', nullable: true })
  comment!: string | null;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
