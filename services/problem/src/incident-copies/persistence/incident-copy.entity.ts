import { type IncidentState } from '@itsm/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * What the problem service knows of each incident, kept from the incident topic: enough
 * to link incidents, apply the record-level rule to them, run the candidate rules and
 * offer known errors. Only a newer version replaces a row, so redelivered or late events
 * never move it back.
 */
@Entity({ name: 'incident_copies' })
@Index('IX_incident_copies_service_category_opened', ['businessServiceId', 'category', 'openedAt'])
@Index('IX_incident_copies_opened', ['openedAt'])
@Index('IX_incident_copies_ci_ids', { synchronize: false })
export class IncidentCopyEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_incident_copies' })
  id!: string;

  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  state!: IncidentState;

  @Column({ type: 'text' })
  requester!: string;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ type: 'text', nullable: true })
  assignee!: string | null;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ type: 'text', nullable: true })
  subcategory!: string | null;

  @Column({ name: 'business_service_id', type: 'uuid', nullable: true })
  businessServiceId!: string | null;

  @Column({ name: 'ci_ids', type: 'uuid', array: true, default: () => "'{}'" })
  ciIds!: string[];

  @Column({ type: 'smallint' })
  impact!: number;

  @Column({ type: 'smallint' })
  urgency!: number;

  @Column({ type: 'boolean' })
  major!: boolean;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
