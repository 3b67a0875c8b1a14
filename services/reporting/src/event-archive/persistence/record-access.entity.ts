import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Each record's current ownership, as its latest event tells it: what decides who may read
 * the record's events (docs/events.md, "Who reads which events"). Incidents and requests
 * keep their requester, group and assignee; CIs their restriction and owner group.
 */
@Entity({ name: 'record_access' })
export class RecordAccessEntity {
  @PrimaryColumn({ name: 'record_id', type: 'text', primaryKeyConstraintName: 'PK_record_access' })
  recordId!: string;

  /** `incident`, `request` or `ci`. */
  @Column({ name: 'record_type', type: 'text' })
  recordType!: string;

  @Column({ type: 'text', nullable: true })
  requester!: string | null;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ type: 'boolean', default: false })
  restricted!: boolean;

  @Column({ name: 'owner_group', type: 'text', nullable: true })
  ownerGroup!: string | null;

  /** The record's version its latest event carried: an older event never overwrites it. */
  @Column({ type: 'integer' })
  version!: number;
}
