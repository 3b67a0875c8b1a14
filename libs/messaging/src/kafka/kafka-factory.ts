import { Kafka, logLevel, type KafkaConfig, type LogEntry, type Producer } from 'kafkajs';
import { type MessagingLogger } from '../logger';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
}

function kafkaLogCreator(logger: MessagingLogger) {
  return () =>
    ({ level, log }: LogEntry): void => {
      const { message, ...extra } = log;
      const line = `${message} ${JSON.stringify(extra)}`;
      if (level <= logLevel.ERROR) logger.error(line, undefined, 'kafkajs');
      else if (level === logLevel.WARN) logger.warn(line, 'kafkajs');
    };
}

export function createKafka(settings: KafkaSettings, logger: MessagingLogger): Kafka {
  const config: KafkaConfig = {
    clientId: settings.clientId,
    brokers: settings.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { initialRetryTime: 300, retries: 8 },
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
  };
  return new Kafka(config);
}

/** An idempotent producer: broker-side deduplication of retries, so a retry never reorders or doubles a record. */
export function createIdempotentProducer(kafka: Kafka): Producer {
  return kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
}
