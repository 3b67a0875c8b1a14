import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { type IncidentSource, type IncidentState } from '../domain/incident';
import { type Impact, type Priority, type Urgency } from '../domain/priority-matrix';

@Entity({ name: 'incidents' })
export class IncidentEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_incidents' })
  id!: string;

  @Index('UQ_incidents_number', { unique: true })
  @Column({ type: 'text' })
  number!: string;

  @Column({ type: 'text', default: 'incident' })
  type!: 'incident';

  @Column({ type: 'text' })
  title!: string;

  @Column({ type: 'text' })
  description!: string;

  @Column({ type: 'text' })
  requester!: string;

  @Column({ type: 'text' })
  source!: IncidentSource;

  @Column({ type: 'smallint' })
  impact!: Impact;

  @Column({ type: 'smallint' })
  urgency!: Urgency;

  @Column({ type: 'text' })
  priority!: Priority;

  @Column({ type: 'text' })
  state!: IncidentState;

  @Column({ name: 'opened_at', type: 'timestamptz' })
  openedAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
