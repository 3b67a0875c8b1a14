import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * An event a consumer group has applied. Written in the same transaction as the
 * handler's effects, so a redelivered event finds its row and is skipped.
 */
@Entity({ name: 'inbox' })
export class InboxRecord {
  @PrimaryColumn({ name: 'consumer_group', type: 'text', primaryKeyConstraintName: 'PK_inbox' })
  consumerGroup!: string;

  @PrimaryColumn({ name: 'event_id', type: 'text', primaryKeyConstraintName: 'PK_inbox' })
  eventId!: string;

  @Column({ name: 'event_type', type: 'text' })
  eventType!: string;

  @Column({ type: 'text' })
  topic!: string;

  @CreateDateColumn({ name: 'processed_at', type: 'timestamptz' })
  processedAt!: Date;
}
