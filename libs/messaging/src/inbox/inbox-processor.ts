import { setTimeout as sleep } from 'node:timers/promises';
import { type KafkaMessage, type Producer } from 'kafkajs';
import { type DataSource } from 'typeorm';
import {
  assertFromTopicOwner,
  fromKafkaRecord,
  type EventValidator,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import { SpanKind, SpanStatusCode, context as traceContext, trace } from '@opentelemetry/api';
import { describeError, type MessagingLogger } from '../logger';
import { contextFromTraceHeaders } from '../tracing/trace-context';
import { qualifiedTable } from '@itsm/persistence';
import { sendToDeadLetterTopic } from './dead-letter';
import { DeadLetterLedger, HELD_ERROR_TYPE, keyOf } from './dead-letter-ledger';
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

const tracer = trace.getTracer('@itsm/messaging');

/** Serialization failures and deadlocks run again in place this many times before Kafka redelivers. */
const MAX_CONFLICT_RETRIES = 10;
const CONFLICT_BACKOFF_MS = 20;

/** `held`: not applied, because an earlier event of its record is dead-lettered (ADR 20). */
export type InboxOutcome = 'applied' | 'duplicate' | 'dead-lettered' | 'held';

export interface ProcessOptions {
  /** An operator's replay of a dead letter: applied even though its record has unsettled dead letters (it is the first of them). */
  replay?: boolean;
}

/** Why a record waits: an earlier event of the same record could not be applied. */
class HeldBehindDeadLetter extends Error {
  constructor(key: string) {
    super(
      `an earlier event of record ${key} is dead-lettered: this one waits for it to be replayed or discarded`,
    );
    this.name = HELD_ERROR_TYPE;
  }
}

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
 * failing, goes to the dead-letter topic and the group's dead-letter ledger, and the
 * consumer moves on; the same record's later events are held in the ledger behind it,
 * so that none is applied out of order (ADR 20). An unreachable database is not the
 * record's fault and is rethrown, so the record is retried.
 */
export class InboxProcessor {
  private readonly inboxTable: string;
  readonly ledger: DeadLetterLedger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly deadLetterProducer: Producer,
    private readonly validator: EventValidator,
    private readonly logger: MessagingLogger,
    private readonly settings: InboxSettings,
  ) {
    this.inboxTable = qualifiedTable(dataSource.getMetadata(InboxRecord));
    this.ledger = new DeadLetterLedger(dataSource, settings.consumerGroup);
  }

  async process(
    record: IncomingRecord,
    handler: EventHandler,
    options: ProcessOptions = {},
  ): Promise<InboxOutcome> {
    const key = keyOf(record.message);
    if (!options.replay && key !== null && (await this.ledger.unsettledKeys([key])).has(key)) {
      await this.hold(record, key);
      return 'held';
    }
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
  async processBatch(
    batch: IncomingBatch,
    handler: BatchEventHandler,
    options: ProcessOptions = {},
  ): Promise<InboxOutcome[]> {
    const outcomes = new Map<string, InboxOutcome>();
    const keys = batch.messages.map(keyOf).filter((key): key is string => key !== null);
    const held = options.replay ? new Set<string>() : await this.ledger.unsettledKeys(keys);
    let run: { record: IncomingRecord; event: ItsmCloudEvent }[] = [];
    const flush = async () => {
      if (run.length > 0) await this.applyRun(batch, run, handler, held, outcomes);
      run = [];
    };
    for (const message of batch.messages) {
      const { topic, partition, heartbeat } = batch;
      const record: IncomingRecord = { topic, partition, message, heartbeat };
      const key = keyOf(message);
      if (key !== null && held.has(key)) {
        await flush();
        await this.hold(record, key);
        outcomes.set(message.offset, 'held');
        batch.resolveOffset(message.offset);
        continue;
      }
      const event = await this.readOrDeadLetter(record, flush);
      if (event) {
        run.push({ record, event });
        continue;
      }
      // Its record's later events in this batch wait too, as the ledger says (a forgery holds nothing).
      if (key !== null && (await this.ledger.unsettledKeys([key])).has(key)) held.add(key);
      outcomes.set(message.offset, 'dead-lettered');
      batch.resolveOffset(message.offset);
    }
    await flush();
    return batch.messages.map((message) => outcomes.get(message.offset) ?? 'applied');
  }

  private async applyRun(
    batch: IncomingBatch,
    run: readonly { record: IncomingRecord; event: ItsmCloudEvent }[],
    handler: BatchEventHandler,
    held: Set<string>,
    outcomes: Map<string, InboxOutcome>,
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
      const key = keyOf(record.message);
      let outcome: InboxOutcome;
      if (key !== null && held.has(key)) {
        await this.hold(record, key);
        outcome = 'held';
      } else {
        outcome = await this.applyWithRetries(record, event, (attempt) =>
          this.applyBatchOnce(batch, [{ record, event }], handler, attempt),
        );
        if (outcome === 'dead-lettered' && key !== null) held.add(key);
      }
      outcomes.set(record.message.offset, outcome);
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
    // Kafka's instrumentation gives a batch one span of its own, outside every event's
    // trace: each event gets a span in the trace of the request that wrote it instead.
    const spans = run.map(({ event }) =>
      tracer.startSpan(
        `${batch.topic} process`,
        {
          kind: SpanKind.CONSUMER,
          attributes: {
            'messaging.system': 'kafka',
            'messaging.operation.type': 'process',
            'messaging.destination.name': batch.topic,
            'messaging.consumer.group.name': this.settings.consumerGroup,
            'messaging.batch.message_count': run.length,
            'messaging.message.id': event.id,
            'cloudevents.event_type': event.type,
          },
        },
        contextFromTraceHeaders({ traceparent: event.traceparent, tracestate: event.tracestate }),
      ),
    );
    try {
      // The run's database work is one transaction: its spans go in the first event's trace.
      const [first] = spans;
      const work = () => this.applyBatchTransaction(batch, run, handler, attempt);
      return await (first
        ? traceContext.with(trace.setSpan(traceContext.active(), first), work)
        : work());
    } catch (error) {
      for (const span of spans) {
        span.recordException(error instanceof Error ? error : String(error));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
      throw error;
    } finally {
      for (const span of spans) span.end();
    }
  }

  private applyBatchTransaction(
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
    await this.setAside(record, 'open', error, attempts);
  }

  private async hold(record: IncomingRecord, key: string): Promise<void> {
    const error = new HeldBehindDeadLetter(key);
    this.logger.warn(
      `holding ${record.topic}[${record.partition}]@${record.message.offset}: ${error.message}`,
    );
    await this.setAside(record, 'held', error, 0);
  }

  /**
   * Into the ledger first, then onto the dead-letter topic: a failure between them leaves
   * the record to be redelivered, and a second recording of it updates its entry.
   */
  private async setAside(
    record: IncomingRecord,
    status: 'open' | 'held',
    error: unknown,
    attempts: number,
  ): Promise<void> {
    await this.ledger.record(record, status, error, attempts);
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
