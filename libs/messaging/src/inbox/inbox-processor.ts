import { setTimeout as sleep } from 'node:timers/promises';
import { type KafkaMessage, type Producer } from 'kafkajs';
import { type DataSource } from 'typeorm';
import {
  assertFromTopicOwner,
  fromKafkaRecord,
  type EventValidator,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { describeError, type MessagingLogger } from '../logger';
import { qualifiedTable } from '@itsm/persistence';
import { sendToDeadLetterTopic } from './dead-letter';
import { InboxContext } from './inbox-context';
import { InboxRecord } from './inbox-record.entity';
import { isTransientInfrastructureError } from './transient-errors';

export type EventHandler = (event: ItsmCloudEvent, context: InboxContext) => Promise<void>;

export interface InboxSettings {
  consumerGroup: string;
  /** Attempts of the handler before the message is dead-lettered. */
  maxAttempts: number;
  /** Delay before the second attempt; doubled for each further attempt. */
  initialBackoffMs: number;
}

export type InboxOutcome = 'applied' | 'duplicate' | 'dead-lettered';

export interface IncomingRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat: () => Promise<void>;
}

/**
 * Applies one Kafka record at most once per consumer group: the inbox row and the
 * handler's effects commit together. A record that cannot be read, that does not come
 * from the service owning its topic (its CloudEvents `source`), or whose handler keeps
 * failing, goes to the dead-letter topic and the consumer moves on; an unreachable
 * database is not the record's fault and is rethrown, so the record is retried.
 */
export class InboxProcessor {
  private readonly inboxTable: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetterProducer: Producer,
    private readonly validator: EventValidator,
    private readonly logger: MessagingLogger,
    private readonly settings: InboxSettings,
  ) {
    this.inboxTable = qualifiedTable(dataSource.getMetadata(InboxRecord));
  }

  async process(record: IncomingRecord, handler: EventHandler): Promise<InboxOutcome> {
    let event: ItsmCloudEvent;
    try {
      event = fromKafkaRecord(record.message);
      assertFromTopicOwner(record.topic, event.source);
      if (this.validator.isKnown(event.type)) this.validator.assertValid(event.type, event.data);
    } catch (error) {
      // Unreadable, untrusted or invalid now means so forever: no retry can help.
      await this.deadLetter(record, error, 0);
      return 'dead-lettered';
    }

    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.applyOnce(record, event, handler, attempt);
      } catch (error) {
        if (isTransientInfrastructureError(error)) throw error;
        if (attempt >= this.settings.maxAttempts) {
          await this.deadLetter(record, error, attempt);
          return 'dead-lettered';
        }
        const { message } = describeError(error);
        this.logger.warn(
          `handler for ${event.type} ${event.id} failed (attempt ${attempt}/${this.settings.maxAttempts}): ${message}`,
        );
        await record.heartbeat();
        await sleep(this.settings.initialBackoffMs * 2 ** (attempt - 1));
      }
    }
  }

  private async applyOnce(
    record: IncomingRecord,
    event: ItsmCloudEvent,
    handler: EventHandler,
    attempt: number,
  ): Promise<InboxOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager.query<unknown[]>(
        `INSERT INTO ${this.inboxTable} (consumer_group, event_id, event_type, topic)
         VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING event_id`,
        [this.settings.consumerGroup, event.id, event.type, record.topic],
      );
      if (inserted.length === 0) return 'duplicate';
      const context = new InboxContext(
        manager,
        this.settings.consumerGroup,
        record.topic,
        record.partition,
        record.message.offset,
        attempt,
      );
      await handler(event, context);
      return 'applied';
    });
  }

  private async deadLetter(
    record: IncomingRecord,
    error: unknown,
    attempts: number,
  ): Promise<void> {
    const { message } = describeError(error);
    this.logger.error(
      `dead-lettering ${record.topic}[${record.partition}]@${record.message.offset} after ${attempts} attempt(s): ${message}`,
    );
    await sendToDeadLetterTopic(this.deadLetterProducer, {
      consumerGroup: this.settings.consumerGroup,
      topic: record.topic,
      partition: record.partition,
      message: record.message,
      error,
      attempts,
    });
  }
}
