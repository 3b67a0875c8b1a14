import {
  EventPattern,
  Server,
  type CustomTransportStrategy,
  type MessageHandler,
} from '@nestjs/microservices';
import { type Consumer, type EachBatchPayload, type Kafka, type Producer } from 'kafkajs';
import { isObservable, lastValueFrom } from 'rxjs';
import { type DataSource } from 'typeorm';
import { type EventValidator } from '@itsm/contracts';
import { positionNewGroupAtTime, type ConsumerStart } from '../kafka/consumer-start';
import { createIdempotentProducer } from '../kafka/kafka-factory';
import { type MessagingLogger } from '../logger';
import { type DeadLetterEntry } from './dead-letter-entry.entity';
import { type DeadLetterLedger, messageOf } from './dead-letter-ledger';
import { InboxProcessor, type InboxOutcome, type InboxSettings } from './inbox-processor';

/** Events a batch handler gets at most at once: one transaction's worth. */
export const DEFAULT_EVENTS_PER_BATCH = 500;

interface BatchExtras {
  inboxBatch: { maxEvents: number };
}

/**
 * Like `@EventPattern(topics)`, for a handler that takes the events of a partition a run at a
 * time (`@Payload() events: InboxEvent[]`, `@Ctx() context: InboxBatchContext`) and writes
 * their effects in the one transaction their inbox rows are in: for a consumer whose cost
 * is the commit per event (see InboxProcessor.processBatch for what happens on failure).
 */
export function EventBatchPattern(
  topics: readonly string[],
  options: { maxEvents?: number } = {},
): MethodDecorator {
  const extras: BatchExtras = {
    inboxBatch: { maxEvents: options.maxEvents ?? DEFAULT_EVENTS_PER_BATCH },
  };
  return EventPattern([...topics], extras);
}

function batchSettingsOf(handler: MessageHandler): BatchExtras['inboxBatch'] | undefined {
  return (handler.extras as Partial<BatchExtras> | undefined)?.inboxBatch;
}

/** A Nest handler as the inbox calls it: awaited, an Observable it returns run to its end. */
function inboxHandler<Payload, Context>(
  handler: MessageHandler,
): (payload: Payload, context: Context) => Promise<void> {
  return async (payload, context) => {
    const result: unknown = await handler(payload, context);
    if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
  };
}

export interface KafkaInboxServerOptions extends InboxSettings {
  kafka: Kafka;
  dataSource: DataSource;
  validator: EventValidator;
  logger: MessagingLogger;
  /** Where a consumer group without committed offsets starts. */
  start: ConsumerStart;
  sessionTimeoutMs: number;
  /** Partitions worked on at once (each partition's events stay in order); 1 when absent. */
  concurrency?: number;
}

/**
 * A Nest microservice transport over kafkajs in which every `@EventPattern(topic)` handler
 * runs through the inbox: at most once per consumer group, in the transaction of its own
 * effects, with bounded retries and a dead-letter topic.
 */
export class KafkaInboxServer extends Server implements CustomTransportStrategy {
  private consumer?: Consumer;
  private deadLetterProducer?: Producer;
  private processor?: InboxProcessor;

  constructor(private readonly options: KafkaInboxServerOptions) {
    super();
  }

  listen(callback: (error?: unknown) => void): void {
    this.start().then(
      () => callback(),
      (error: unknown) => callback(error),
    );
  }

  /** Waits for the events being handled, then leaves the consumer group, so its partitions move to the other replicas at once. */
  async close(): Promise<void> {
    if (this.consumer) {
      await this.consumer.disconnect();
      this.options.logger.log(
        `Kafka consumer disconnected; left the consumer group ${this.options.consumerGroup}`,
      );
    }
    await this.deadLetterProducer?.disconnect();
  }

  on(): void {
    // kafkajs reports its own events through the consumer's instrumentation; nothing to subscribe here.
  }

  unwrap<T>(): T {
    if (!this.consumer) throw new Error('the Kafka inbox server is not listening');
    return this.consumer as T;
  }

  /** The topics the service's handlers consume; empty in a service that consumes nothing. */
  get topics(): string[] {
    return [...this.messageHandlers.keys()];
  }

  /** The consumer group's dead letters; undefined in a service that consumes nothing. */
  get deadLetters(): DeadLetterLedger | undefined {
    return this.processor?.ledger;
  }

  /**
   * Applies a dead-lettered record again through its handler, in this consumer group's
   * inbox (so an event applied meanwhile is not applied twice): an operator's replay. A
   * record that fails again is dead-lettered again, its entry updated.
   */
  async replay(entry: DeadLetterEntry): Promise<InboxOutcome> {
    const processor = this.processor;
    const handler = this.getHandlerByPattern(entry.topic);
    if (!processor || !handler)
      throw new Error(`this service consumes nothing from ${entry.topic}`);
    const message = messageOf(entry);
    const { topic, partition } = entry;
    const heartbeat = () => Promise.resolve();
    if (batchSettingsOf(handler)) {
      const [outcome] = await processor.processBatch(
        { topic, partition, messages: [message], heartbeat, resolveOffset: () => undefined },
        inboxHandler(handler),
        { replay: true },
      );
      return outcome;
    }
    return processor.process({ topic, partition, message, heartbeat }, inboxHandler(handler), {
      replay: true,
    });
  }

  private async start(): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length === 0) return;
    const { kafka, consumerGroup, sessionTimeoutMs } = this.options;
    this.deadLetterProducer = createIdempotentProducer(kafka);
    await this.deadLetterProducer.connect();
    const processor = new InboxProcessor(
      this.options.dataSource,
      this.deadLetterProducer,
      this.options.validator,
      this.options.logger,
      this.options,
    );
    this.processor = processor;
    this.consumer = kafka.consumer({
      groupId: consumerGroup,
      sessionTimeout: sessionTimeoutMs,
      heartbeatInterval: Math.floor(sessionTimeoutMs / 3),
      maxWaitTimeInMs: 250,
      allowAutoTopicCreation: false,
    });
    await this.consumer.connect();
    const { start } = this.options;
    // A new group that starts at the end commits that end at once: records appended while
    // it is down before its first record are then still read, and its watermark is known.
    if (start.from !== 'earliest') {
      const at = start.from === 'time' ? start.at : new Date();
      await positionNewGroupAtTime(kafka, consumerGroup, topics, at);
    }
    await this.consumer.subscribe({ topics, fromBeginning: start.from !== 'latest' });
    const handlers = topics.map((topic) => this.getHandlerByPattern(topic));
    if (handlers.some((handler) => handler && batchSettingsOf(handler))) {
      await this.consumer.run({
        partitionsConsumedConcurrently: this.options.concurrency ?? 1,
        eachBatchAutoResolve: false,
        eachBatch: (payload) => this.consumeBatch(processor, payload),
      });
      return;
    }
    await this.consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency ?? 1,
      eachMessage: async (payload) => {
        const { topic, partition, message } = payload;
        const handler = this.getHandlerByPattern(topic);
        if (!handler) return;
        const heartbeat = () => payload.heartbeat();
        await processor.process({ topic, partition, message, heartbeat }, inboxHandler(handler));
      },
    });
  }

  /**
   * A fetched batch of one partition: in runs of the handler's size when it takes batches,
   * else record by record; offsets committed as runs finish, and nothing more started once
   * the consumer stops or the group rebalances the partition away.
   */
  private async consumeBatch(processor: InboxProcessor, payload: EachBatchPayload): Promise<void> {
    const { batch } = payload;
    const heartbeat = () => payload.heartbeat();
    const resolveOffset = (offset: string) => payload.resolveOffset(offset);
    const handler = this.getHandlerByPattern(batch.topic);
    const settings = handler && batchSettingsOf(handler);
    const { topic, partition, messages } = batch;
    const step = settings ? settings.maxEvents : 1;
    for (let start = 0; start < messages.length; start += step) {
      if (!payload.isRunning() || payload.isStale()) return;
      const chunk = messages.slice(start, start + step);
      if (!handler) {
        resolveOffset(chunk[chunk.length - 1].offset);
      } else if (settings) {
        await processor.processBatch(
          { topic, partition, messages: chunk, heartbeat, resolveOffset },
          inboxHandler(handler),
        );
      } else {
        const [message] = chunk;
        await processor.process({ topic, partition, message, heartbeat }, inboxHandler(handler));
        resolveOffset(message.offset);
      }
      await payload.commitOffsetsIfNecessary();
      await heartbeat();
    }
  }
}
