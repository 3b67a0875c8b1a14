import {
  Kafka,
  Partitioners,
  logLevel,
  type KafkaConfig,
  type LogEntry,
  type Producer,
} from 'kafkajs';
import { type MessagingLogger } from '../logger';
import { kafkaSecurityOptions, type KafkaSecuritySettings } from './kafka-security';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  security: KafkaSecuritySettings;
}

/**
 * kafkajs warns that bounded retries "may invalidate EoS guarantees". The platform does not
 * rely on exactly-once producing: consumers deduplicate through their inbox.
 */
const EXPECTED_WARNINGS = [/Limiting retries for the idempotent producer/];

function kafkaLogCreator(logger: MessagingLogger) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, ...extra } = log;
      if (EXPECTED_WARNINGS.some((pattern) => pattern.test(message))) return;
      const line = `${message} ${JSON.stringify(extra)}`;
      if (level <= logLevel.ERROR) logger.error(line);
      else if (level === logLevel.WARN) logger.warn(line);
    };
}

/** The one way the platform makes a Kafka client, so that every client has the same TLS and SASL. */
export function createKafka(settings: KafkaSettings, logger: MessagingLogger): Kafka {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    ...kafkaSecurityOptions(settings.security),
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  };
  return new Kafka(config);
}

/**
 * An idempotent producer: the broker deduplicates retries, so a retry never reorders or
 * doubles a record. Retries are bounded (about a minute) so that a missing topic or a
 * lasting outage surfaces as an error the relay logs and retries, not a send that hangs.
 */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    // Murmur2 on the key, as the Java client does, so every client puts a record id on the same partition.
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 12, initialRetryTime: 300, maxRetryTime: 5000 },
  });
}
