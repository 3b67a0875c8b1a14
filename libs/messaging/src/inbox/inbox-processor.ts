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
import { InboxBatchContext, InboxContext, type InboxEvent } from './inbox-context';
import { InboxRecord } from './inbox-record.entity';
import { isConcurrencyConflict, isTransientInfrastructureError } from './transient-errors';

export type EventHandler = (event: ItsmCloudEvent, context: InboxContext) => Promise<void>;
export type BatchEventHandler = (
  events: readonly InboxEvent[],
  context: InboxBatchContext,
) => Promise<void>;

export interface InboxSettings {
  consumerGroup: string;
  /** Attempts of the handler before the message is dead-lettered. */
  maxAttempts: number;
  /** Delay before the second attempt; doubled for each further attempt. */
  initialBackoffMs: number;
}

/** Serialization failures and deadlocks run again in place this many times before Kafka redelivers. */
const MAX_CONFLICT_RETRIES = 10;
const CONFLICT_BACKOFF_MS = 20;

export type InboxOutcome = 'applied' | 'duplicate' | 'dead-lettered';

export interface IncomingRecord {
  topic: string;
  partition: number;
  message: KafkaMessage;
  heartbeat: () => Promise<void>;
}

/** Consecutive records of one partition, read together. */
export interface IncomingBatch {
  topic: string;
  partition: number;
  messages: readonly KafkaMessage[];
  heartbeat: () => Promise<void>;
  /** Marks a record done: the consumer commits past it. Called in offset order. */
  resolveOffset: (offset: string) => void;
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
    const event = await this.readOrDeadLetter(record);
    if (!event) return 'dead-lettered';
    return this.applyWithRetries(record, event, (attempt) =>
      this.applyOnce(record, event, handler, attempt),
    );
  }

  /**
   * Applies a batch's records in as few transactions as it can: each run of readable
   * records goes in one, with its inbox rows and all of the handler's effects, so that a
   * busy consumer pays one commit per run instead of one per record. Should the handler
   * fail on a run, the run is rolled back and its records are applied one by one as
   * {@link process} does, so that only the record at fault is retried and dead-lettered.
   * Offsets are resolved as records are done, in order.
   */
  async processBatch(batch: IncomingBatch, handler: BatchEventHandler): Promise<void> {
    let run: { record: IncomingRecord; event: ItsmCloudEvent }[] = [];
    const flush = async () => {
      if (run.length > 0) await this.applyRun(batch, run, handler);
      run = [];
    };
    for (const message of batch.messages) {
      const { topic, partition, heartbeat } = batch;
      const record: IncomingRecord = { topic, partition, message, heartbeat };
      const event = await this.readOrDeadLetter(record, flush);
      if (event) run.push({ record, event });
      else batch.resolveOffset(message.offset);
    }
    await flush();
  }

  private async applyRun(
    batch: IncomingBatch,
    run: readonly { record: IncomingRecord; event: ItsmCloudEvent }[],
    handler: BatchEventHandler,
  ): Promise<void> {
    try {
      await this.applyBatchOnce(batch, run, handler, 1);
      batch.resolveOffset(run[run.length - 1].record.message.offset);
      return;
    } catch (error) {
      if (isTransientInfrastructureError(error)) throw error;
      const { message } = describeError(error);
      this.logger.warn(
        `batch handler failed on ${run.length} record(s) of ${batch.topic}[${batch.partition}]; applying them one by one: ${message}`,
      );
    }
    for (const { record, event } of run) {
      await this.applyWithRetries(record, event, (attempt) =>
        this.applyBatchOnce(batch, [{ record, event }], handler, attempt),
      );
      batch.resolveOffset(record.message.offset);
    }
  }

  /** The event of a record, or undefined once a record that can never apply is dead-lettered (after `beforeDeadLetter`). */
  private async readOrDeadLetter(
    record: IncomingRecord,
    beforeDeadLetter?: () => Promise<void>,
  ): Promise<ItsmCloudEvent | undefined> {
    try {
      const event = fromKafkaRecord(record.message);
      assertFromTopicOwner(record.topic, event.source);
      if (this.validator.isKnown(event.type)) this.validator.assertValid(event.type, event.data);
      return event;
    } catch (error) {
      // Unreadable, untrusted or invalid now means so forever: no retry can help.
      await beforeDeadLetter?.();
      await this.deadLetter(record, error, 0);
      return undefined;
    }
  }

  private async applyWithRetries(
    record: IncomingRecord,
    event: ItsmCloudEvent,
    applyOnce: (attempt: number) => Promise<InboxOutcome>,
  ): Promise<InboxOutcome> {
    let conflicts = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await applyOnce(attempt);
      } catch (error) {
        if (isTransientInfrastructureError(error)) throw error;
        if (isConcurrencyConflict(error)) {
          // Another transaction's doing, not the event's: run it again without using up an
          // attempt. Should conflicts go on, Kafka redelivers it later, as after an outage.
          conflicts += 1;
          if (conflicts > MAX_CONFLICT_RETRIES) throw error;
          attempt -= 1;
          await record.heartbeat();
          await sleep(Math.random() * CONFLICT_BACKOFF_MS * conflicts);
          continue;
        }
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

  /** One transaction: the run's inbox rows, then the handler on the events not applied before (the first of any repeated id). */
  private async applyBatchOnce(
    batch: IncomingBatch,
    run: readonly { record: IncomingRecord; event: ItsmCloudEvent }[],
    handler: BatchEventHandler,
    attempt: number,
  ): Promise<InboxOutcome> {
    return this.dataSource.transaction(async (manager) => {
      const inserted = await manager.query<{ event_id: string }[]>(
        `INSERT INTO ${this.inboxTable} (consumer_group, event_id, event_type, topic)
         SELECT $1, event_id, event_type, $4 FROM unnest($2::text[], $3::text[]) AS r(event_id, event_type)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [
          this.settings.consumerGroup,
          run.map(({ event }) => event.id),
          run.map(({ event }) => event.type),
          batch.topic,
        ],
      );
      const fresh = new Set(inserted.map((row) => row.event_id));
      const events: InboxEvent[] = [];
      for (const { record, event } of run) {
        if (!fresh.delete(event.id)) continue;
        events.push({ event, offset: record.message.offset });
      }
      if (events.length === 0) return 'duplicate';
      const context = new InboxBatchContext(
        manager,
        this.settings.consumerGroup,
        batch.topic,
        batch.partition,
        attempt,
      );
      await handler(events, context);
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
