import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique } from 'typeorm';
import { type ItsmCloudEvent } from '@itsm/contracts';

/**
 * An event written in the same transaction as the change it describes, waiting for the
 * relay to publish it. Rows are deleted once Kafka has acknowledged them.
 */
@Entity({ name: 'outbox' })
@Unique('UQ_outbox_event_id', ['eventId'])
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
}
