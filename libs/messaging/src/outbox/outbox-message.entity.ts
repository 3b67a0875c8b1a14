import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';

/**
 * An event written in the same transaction as the change it describes, waiting for the
 * relay to publish it. Rows are deleted once Kafka has acknowledged them, and parked when
 * it refuses them for good.
 */
@Entity({ name: 'outbox' })
@Unique('UQ_outbox_event_id', ['eventId'])
@Index('IX_outbox_parked_keys', ['messageKey'], { where: '"parked_at" IS NOT NULL' })
export class OutboxMessage {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_outbox' })
  id!: string;

  @Column({ name: 'event_id', type: 'uuid' })
  eventId!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'message_key', type: 'text' })
  messageKey!: string;

  @Column({ type: 'jsonb' })
  event!: ItsmCloudEvent;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  /** Set when Kafka refused the row for good; the record's later rows wait until an operator retries it. */
  @Column({ name: 'parked_at', type: 'timestamptz', nullable: true })
  parkedAt!: Date | null;

  @Column({ name: 'park_error', type: 'text', nullable: true })
  parkError!: string | null;
}
