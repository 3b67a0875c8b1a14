import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An incident linked to a problem: one problem per incident, as ServiceNow's `problem_id`. */
@Entity({ name: 'problem_incidents' })
@Index('IX_problem_incidents_problem', ['problemId', 'incidentId'])
export class ProblemIncidentLinkEntity {
  @PrimaryColumn({
    name: 'incident_id',
    type: 'uuid',
    primaryKeyConstraintName: 'PK_problem_incidents',
  })
  incidentId!: string;

  @Column({ name: 'problem_id', type: 'uuid' })
  problemId!: string;

  @Column({ name: 'linked_by', type: 'text' })
  linkedBy!: string;

  @Column({ name: 'linked_at', type: 'timestamptz' })
  linkedAt!: Date;
}
