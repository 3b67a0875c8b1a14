import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Recurring CAB meetings: when they meet, for which approver group, how far their agenda looks. */
@Entity({ name: 'cab_meetings' })
@Index('IX_cab_meetings_name', ['name', 'id'])
export class CabMeetingEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_cab_meetings' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text' })
  recurrence!: string;

  /** Local wall-clock date and time in `time_zone`, kept as written (`2026-03-03T14:00`). */
  @Column({ name: 'first_start', type: 'text' })
  firstStart!: string;

  @Column({ name: 'time_zone', type: 'text' })
  timeZone!: string;

  @Column({ name: 'duration_minutes', type: 'integer' })
  durationMinutes!: number;

  @Column({ name: 'approver_group', type: 'text' })
  approverGroup!: string;

  @Column({ name: 'agenda_look_ahead_days', type: 'integer' })
  agendaLookAheadDays!: number;

  @Column({ type: 'boolean' })
  active!: boolean;

  @Column({ name: 'retired_at', type: 'timestamptz', nullable: true })
  retiredAt!: Date | null;

  @Column({ name: 'retired_by', type: 'text', nullable: true })
  retiredBy!: string | null;

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'updated_by', type: 'text' })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ type: 'integer' })
  version!: number;
}
