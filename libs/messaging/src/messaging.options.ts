import { ConfigurableModuleBuilder } from '@nestjs/common';
import { type ConsumerStart } from './kafka/consumer-start';
import { type KafkaSecuritySettings } from './kafka/kafka-security';
import { type OutboxRelaySettings } from './outbox/outbox-relay';

export interface MessagingOptions {
  /** The owning service: the CloudEvents source, the Kafka client id. */
  serviceName: string;
  brokers: string[];
  /** TLS and SASL of every Kafka client of the service: producer, consumer, admin, readiness. */
  kafkaSecurity: KafkaSecuritySettings;
  /** The service's consumer group (its dead-letter topic is named after it). */
  consumerGroup: string;
  /** Off when the relay runs elsewhere (e.g. as its own deployment) or during maintenance. */
  relayEnabled: boolean;
  relay: OutboxRelaySettings;
  consumer: {
    maxAttempts: number;
    initialBackoffMs: number;
    sessionTimeoutMs: number;
    start: ConsumerStart;
    /** Partitions worked on at once; each partition's events stay in order. */
    concurrency: number;
  };
}

export const { ConfigurableModuleClass, MODULE_OPTIONS_TOKEN: MESSAGING_OPTIONS } =
  new ConfigurableModuleBuilder<MessagingOptions>().setClassMethodName('forRoot').build();
