import { type Kafka } from 'kafkajs';
import { retryWhileRetriable } from './retry';

export interface TopicSpec {
  topic: string;
  numPartitions: number;
  replicationFactor?: number;
  configEntries?: { name: string; value: string }[];
}

/**
 * Creates the topics that do not exist yet and waits until each has a leader. Returns those
 * created. A broker that has just started may answer that it does not host a partition yet:
 * the whole step is retried while Kafka calls the error retriable.
 */
export function ensureTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  return retryWhileRetriable(() => createMissingTopics(kafka, topics));
}

async function createMissingTopics(kafka: Kafka, topics: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((spec) => !existing.has(spec.topic));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.numPartitions,
          replicationFactor: spec.replicationFactor ?? -1,
          configEntries: spec.configEntries,
        })),
      });
    }
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}
