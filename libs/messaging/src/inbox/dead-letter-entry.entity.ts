import { Column, Entity, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

export const DEAD_LETTER_STATUSES = ['open', 'held', 'replayed', 'discarded'] as const;
/**
 * `open`: the consumer gave up on it; `held`: it came after an open one of the same record
 * and waits for it; `replayed` and `discarded`: an operator settled it.
 */
export type DeadLetterStatus = (typeof DEAD_LETTER_STATUSES)[number];

/**
 * A record the consumer group could not apply, kept beside the dead-letter topic so that
 * operators can read, replay and discard it, and so that the record's later events wait
 * for it: the audit trail of each is in its row (who settled it, when, why).
 */
@Entity({ name: 'dead_letters' })
@Unique('UQ_dead_letters_origin', ['consumerGroup', 'topic', 'partition', 'offset'])
@Index('IX_dead_letters_unsettled_keys', ['consumerGroup', 'messageKey'], {
  where: `"status" IN ('open', 'held')`,
})
export class DeadLetterEntry {
  @PrimaryGeneratedColumn({ type: 'bigint', primaryKeyConstraintName: 'PK_dead_letters' })
  id!: string;

  @Column({ name: 'consumer_group', type: 'text' })
  consumerGroup!: string;

  @Column({ type: 'text' })
  topic!: string;

  @Column({ name: 'kafka_partition', type: 'int' })
  partition!: number;

  @Column({ name: 'kafka_offset', type: 'bigint' })
  offset!: string;

  @Column({ name: 'message_key', type: 'text', nullable: true })
  messageKey!: string | null;

  /** The record as read: its value and headers, to replay it exactly. */
  @Column({ name: 'message_value', type: 'bytea', nullable: true })
  messageValue!: Buffer | null;

  @Column({ name: 'message_headers', type: 'jsonb' })
  messageHeaders!: Record<string, string>;

  @Column({ name: 'event_id', type: 'text', nullable: true })
  eventId!: string | null;

  @Column({ name: 'event_type', type: 'text', nullable: true })
  eventType!: string | null;

  @Column({ type: 'text' })
  status!: DeadLetterStatus;

  @Column({ name: 'error_type', type: 'text' })
  errorType!: string;

  @Column({ name: 'error_message', type: 'text' })
  errorMessage!: string;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'dead_lettered_at', type: 'timestamptz', default: () => 'now()' })
  deadLetteredAt!: Date;

  @Column({ name: 'settled_by', type: 'text', nullable: true })
  settledBy!: string | null;

  @Column({ name: 'settled_at', type: 'timestamptz', nullable: true })
  settledAt!: Date | null;

  @Column({ name: 'settle_note', type: 'text', nullable: true })
  settleNote!: string | null;
}
