import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Kafka } from 'kafkajs';
import { Gauge } from 'prom-client';
import { ConsumerGroupLag, InboxServerFactory } from '@itsm/messaging';
import { metricsRegistry } from '@itsm/observability';

const LAG = 'itsm_kafka_consumer_lag_messages';
/** A scrape must not hang on a Kafka that does not answer. */
const READ_TIMEOUT_MS = 2000;

/**
 * The service's consumer group lag, partition by partition, read from Kafka when
 * Prometheus scrapes: the same figures on every replica, so alert on `max`, not `sum`. A
 * service that consumes nothing serves no series; neither does one that cannot reach Kafka
 * (its readiness says so).
 */
@Injectable()
export class ConsumerLagMetrics implements OnApplicationShutdown {
  private readonly logger = new Logger(ConsumerLagMetrics.name);
  private readonly lag: ConsumerGroupLag;

  constructor(kafka: Kafka, inbox: InboxServerFactory) {
    const consumerGroup = inbox.consumerGroup;
    const lag = new ConsumerGroupLag(kafka, consumerGroup);
    this.lag = lag;
    const logger = this.logger;
    let failing = false;
    metricsRegistry.removeSingleMetric(LAG);
    new Gauge({
      name: LAG,
      help: 'Records on Kafka the service’s consumer group has not consumed yet, by topic and partition (the partition’s end minus the group’s committed offset).',
      labelNames: ['consumer_group', 'topic', 'partition'],
      registers: [metricsRegistry],
      async collect() {
        const topics = inbox.server?.topics ?? [];
        this.reset();
        if (topics.length === 0) return;
        try {
          for (const { topic, partition, lag: behind } of await lag.read(topics, READ_TIMEOUT_MS))
            this.set(
              { consumer_group: consumerGroup, topic, partition: String(partition) },
              behind,
            );
          if (failing) logger.log(`can read the lag of ${consumerGroup} again`);
          failing = false;
        } catch (error) {
          // Once per outage: Prometheus asks again every scrape.
          if (!failing)
            logger.warn(`cannot read the lag of ${consumerGroup}: ${(error as Error).message}`);
          failing = true;
        }
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.lag.close();
  }
}
