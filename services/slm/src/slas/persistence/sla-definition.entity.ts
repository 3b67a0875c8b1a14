import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { bigintAsNumber } from '../../shared/column-transformers';

/**
 * One version of an SLA or OLA definition. A change inserts the next version and marks
 * the previous one superseded; versions are never changed afterwards, so a timer can keep
 * running on the version it started with.
 */
@Entity({ name: 'sla_definitions' })
@Index('IX_sla_definitions_current', ['recordType'], { where: 'superseded_at IS NULL' })
export class SlaDefinitionEntity {
  @PrimaryColumn({ type: 'uuid', primaryKeyConstraintName: 'PK_sla_definitions' })
  id!: string;

  @PrimaryColumn({ type: 'integer', primaryKeyConstraintName: 'PK_sla_definitions' })
  version!: number;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  target!: string;

  @Column({ name: 'record_type', type: 'text' })
  recordType!: string;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  priorities!: string[];

  @Column({ name: 'business_service_id', type: 'uuid', nullable: true })
  businessServiceId!: string | null;

  @Column({ type: 'text', nullable: true })
  category!: string | null;

  @Column({ name: 'assignment_group', type: 'text', nullable: true })
  assignmentGroup!: string | null;

  /** As given (ISO 8601), e.g. `PT4H`. */
  @Column({ type: 'text' })
  duration!: string;

  @Column({ name: 'duration_ms', type: 'bigint', transformer: bigintAsNumber })
  durationMs!: number;

  @Column({ name: 'calendar_id', type: 'uuid' })
  calendarId!: string;

  @Column({ name: 'pause_states', type: 'text', array: true })
  pauseStates!: string[];

  @Column({ name: 'warning_thresholds', type: 'integer', array: true })
  warningThresholds!: number[];

  @Column({ name: 'start_states', type: 'text', array: true })
  startStates!: string[];

  @Column({ name: 'stop_states', type: 'text', array: true })
  stopStates!: string[];

  @Column({ name: 'stop_on_first_response', type: 'boolean' })
  stopOnFirstResponse!: boolean;

  @Column({ name: 'cancel_states', type: 'text', array: true })
  cancelStates!: string[];

  @Column({ name: 'created_by', type: 'text' })
  createdBy!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Set when a newer version replaced this one; null on the current version. */
  @Column({ name: 'superseded_at', type: 'timestamptz', nullable: true })
  supersededAt!: Date | null;

  /** A retired definition starts no new timers; those running finish on their version. */
  @Column({ type: 'boolean', default: true })
  active!: boolean;
}
