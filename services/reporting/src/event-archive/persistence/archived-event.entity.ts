import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';

/** One event as it arrived, never changed afterwards: the audit trail and the source every read model is rebuilt from. */
@Entity({ name: 'event_archive' })
@Unique('UQ_event_archive_event_id', ['eventId'])
@Index('IX_event_archive_subject_time', ['subject', 'time'])
@Index('IX_event_archive_type_time', ['type', 'time'])
export class ArchivedEventEntity {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_event_archive' })
  sequence!: string;

  @Column({ name: 'event_id', type: 'text' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'kafka_partition', type: 'integer' })
  partition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  offset!: string;

  @Column({ type: 'text' })
  type!: string;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'timestamptz' })
  time!: Date;

  /** The record family, whose read permission reads the event (domain/event-access.ts). */
  @Column({ type: 'text' })
  family!: string;

  /** The type of the records whose visibility further decides (`incident`, `request`, `ci`). */
  @Column({ name: 'record_type', type: 'text', nullable: true })
  recordType!: string | null;

  /** Those records (a relationship's event names two CIs). */
  @Column({ name: 'record_ids', type: 'text', array: true, default: () => "'{}'" })
  recordIds!: string[];

  @Column({ type: 'jsonb' })
  event!: ItsmCloudEvent<object>;

  @Column({ name: 'archived_at', type: 'timestamptz', default: () => 'now()' })
  archivedAt!: Date;

  /** The hash of the row before in sequence order (ADR 0014); zeros for the first row. */
  @Column({ name: 'previous_hash', type: 'text' })
  previousHash!: string;

  /** SHA-256 of the previous hash and this row's content (domain/archive-chain.ts). */
  @Column({ type: 'text' })
  hash!: string;
}
