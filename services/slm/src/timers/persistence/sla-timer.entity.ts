import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';
import { bigintAsNumber } from '../../shared/column-transformers';

/**
 * One timer per record and definition. Elapsed working time is kept as what was counted
 * up to `running_since` plus, while running, the working time since then (computed on
 * read). `next_fire_at` is the next warning or the due time of a running timer: the
 * scheduler only ever looks at rows whose `next_fire_at` has come.
 */
@Entity({ name: 'sla_timers' })
@Unique('UQ_sla_timers_record_sla', ['recordId', 'slaId'])
@Index('IX_sla_timers_next_fire_at', ['nextFireAt'], {
  where: 'next_fire_at IS NOT NULL',
})
@Index('IX_sla_timers_started_at', ['startedAt'])
@Index('IX_sla_timers_due_at', ['dueAt', 'id'], { where: 'due_at IS NOT NULL' })
export class SlaTimerEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_sla_timers' })
  id!: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId!: string;

  @Column({ name: 'record_type', type: 'text' })
  recordType!: string;

  @Column({ name: 'record_number', type: 'text' })
  recordNumber!: string;

  @Column({ name: 'business_service_id', type: 'uuid', nullable: true })
  businessServiceId!: string | null;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  @Column({ name: 'sla_id', type: 'uuid' })
  slaId!: string;

  @Column({ name: 'sla_version', type: 'integer' })
  slaVersion!: number;

  @Column({ name: 'sla_name', type: 'text' })
  slaName!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ type: 'text' })
  state!: string;

  @Column({ name: 'calendar_id', type: 'uuid' })
  calendarId!: string;

  @Column({ name: 'duration_ms', type: 'bigint', transformer: bigintAsNumber })
  durationMs!: number;

  @Column({ name: 'warning_thresholds', type: 'integer', array: true })
  warningThresholds!: number[];

  /** How many of the (ascending) thresholds have been announced. */
  @Column({ name: 'warnings_fired', type: 'integer', default: 0 })
  warningsFired!: number;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  /** Working time counted up to `running_since` (or in total, once no longer running). */
  @Column({ name: 'elapsed_ms', type: 'bigint', transformer: bigintAsNumber })
  elapsedMs!: number;

  @Column({ name: 'running_since', type: 'timestamptz', nullable: true })
  runningSince!: Date | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'next_fire_at', type: 'timestamptz', nullable: true })
  nextFireAt!: Date | null;

  @Column({ name: 'breached_at', type: 'timestamptz', nullable: true })
  breachedAt!: Date | null;

  @Column({ name: 'stopped_at', type: 'timestamptz', nullable: true })
  stoppedAt!: Date | null;

  @Column({ name: 'pause_reason', type: 'text', nullable: true })
  pauseReason!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
