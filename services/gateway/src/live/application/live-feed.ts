import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { Kafka, type Consumer, type KafkaMessage } from 'kafkajs';
import { Topics, fromKafkaRecord, type ItsmCloudEvent } from '@itsm/contracts';
import { SERVICE_CONFIG, consumerGroupOf, type ServiceConfig } from '@itsm/platform';
import { liveChangeOf } from '../domain/live-change';
import { liveEventsConsumed } from './live-metrics';
import { LiveStreams } from './live-streams';

/** The topics whose record events the feed relays (incidents and service requests share one). */
export const LIVE_TOPICS = [Topics.incidentEvents, Topics.problemEvents, Topics.changeEvents];

/**
 * A consumer group of this replica's own, so that every replica reads every event (a shared
 * group would split the partitions, and a stream on one replica would miss the changes read
 * by another). It never commits: the feed starts at the end of the topic each time, and a
 * group without offsets is dropped by Kafka once it is empty.
 */
export function liveConsumerGroup(config: ServiceConfig): string {
  return `${consumerGroupOf(config)}.live.${hostname()}.${randomUUID().slice(0, 8)}`;
}

/**
 * Reads the record events from Kafka, from the latest offset, and hands each change to the
 * open streams. A live feed, not a ledger: what happened while a client was away is not
 * replayed to it; it reads its records again when it reconnects (docs/console.md).
 */
@Injectable()
export class LiveFeed implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(LiveFeed.name);
  private consumer?: Consumer;
  private markReady!: () => void;
  /** Settles once the consumer has fetched from its partitions: from then on no change is missed. */
  readonly ready = new Promise<void>((resolve) => (this.markReady = resolve));

  constructor(
    private readonly kafka: Kafka,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    private readonly streams: LiveStreams,
  ) {}

  onApplicationBootstrap(): void {
    // Not awaited: the API serves without Kafka, only the live updates wait for it.
    void this.start().catch((error: unknown) =>
      this.logger.error(`the live feed did not start: ${(error as Error).message}`),
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.consumer?.disconnect();
  }

  private async start(): Promise<void> {
    const groupId = liveConsumerGroup(this.config);
    const consumer = this.kafka.consumer({
      groupId,
      // Low: an empty fetch returns sooner, so the first one (which fixes the offsets) is quick.
      maxWaitTimeInMs: 500,
      allowAutoTopicCreation: false,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.FETCH, () => this.markReady());
    // kafkajs restarts the consumer after a retriable crash; the streams stay open meanwhile.
    consumer.on(consumer.events.CRASH, ({ payload }) =>
      this.logger.error(
        `the live feed's consumer crashed (${payload.restart ? 'restarting' : 'not restarting'}): ${payload.error.message}`,
      ),
    );
    await consumer.connect();
    await consumer.subscribe({ topics: LIVE_TOPICS, fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: ({ message }) => {
        this.relay(message);
        return Promise.resolve();
      },
    });
    this.logger.log(`relaying ${LIVE_TOPICS.join(', ')} to live streams (group ${groupId})`);
  }

  private relay(message: KafkaMessage): void {
    let event: ItsmCloudEvent;
    try {
      event = fromKafkaRecord(message);
    } catch {
      liveEventsConsumed.inc({ outcome: 'malformed' });
      return;
    }
    const change = liveChangeOf(event);
    if (!change) {
      liveEventsConsumed.inc({ outcome: 'skipped' });
      return;
    }
    liveEventsConsumed.inc({ outcome: 'relayed' });
    this.streams.publish(change);
  }
}
