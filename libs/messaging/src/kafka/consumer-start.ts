import { type Kafka } from 'kafkajs';
import { retryWhileRetriable } from './retry';

/**
 * Where a consumer group that has never committed an offset starts reading: the start of
 * each topic, its end, or the first record at or after a point in time (to build a read
 * model from a date, or to let a test run ignore what earlier runs left on a topic).
 */
interface TopicPartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

export type ConsumerStart = { from: 'earliest' } | { from: 'latest' } | { from: 'time'; at: Date };

export function parseConsumerStart(value: string): ConsumerStart | undefined {
  if (value === 'earliest' || value === 'latest') return { from: value };
  const at = new Date(value);
  return /^\d{4}-\d{2}-\d{2}T/.test(value) && !Number.isNaN(at.getTime())
    ? { from: 'time', at }
    : undefined;
}

/**
 * For a start in time (or at the end: the time it first joins): commits, for each
 * partition the group has no offset on yet, the offset of the first record at or after
 * that time, or the partition's end. Runs before the group's first member joins; a group
 * that already has offsets is left as it is.
 */
export async function positionNewGroupAtTime(
  kafka: Kafka,
  groupId: string,
  topics: string[],
  at: Date,
): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  const offsets: TopicPartitionOffset[] = [];
  try {
    const committed = await retryWhileRetriable(() => admin.fetchOffsets({ groupId, topics }));
    for (const { topic, partitions } of committed) {
      const fresh = new Set(
        partitions
          .filter((partition) => partition.offset === '-1')
          .map((partition) => partition.partition),
      );
      if (fresh.size === 0) continue;
      const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, at.getTime());
      for (const { partition, offset } of byTime) {
        if (fresh.has(partition)) offsets.push({ topic, partition, offset });
      }
    }
  } finally {
    await admin.disconnect();
  }
  if (offsets.length === 0) return;
  try {
    await retryWhileRetriable(() => commitAsMember(kafka, groupId, offsets));
  } catch (error) {
    // Another replica joined first and the group is active: it has its offsets.
    if (!/active|not empty|rebalanc/i.test((error as Error).message)) throw error;
  }
}

/**
 * Commits offsets for a group that has no running member, as kafkajs's
 * `admin.setOffsets` does (a member joins, seeks, commits on its first fetch, leaves),
 * but for every topic in one join rather than one join per topic, and without waiting
 * out a five-second fetch on each: a service subscribed to six topics started in 30 s.
 */
async function commitAsMember(
  kafka: Kafka,
  groupId: string,
  offsets: readonly TopicPartitionOffset[],
): Promise<void> {
  const topics = [...new Set(offsets.map((entry) => entry.topic))];
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50, allowAutoTopicCreation: false });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    const { state } = await consumer.describeGroup();
    if (!['Empty', 'Dead'].includes(state)) {
      throw new Error(`The consumer group must have no running instances, current state: ${state}`);
    }
    await new Promise<void>((resolve, reject) => {
      const stopListening = consumer.on(consumer.events.FETCH, () => {
        stopListening();
        resolve();
      });
      consumer.run({ eachBatchAutoResolve: false, eachBatch: async () => undefined }).catch(reject);
      // Nothing is to be read, only committed: the seeks are committed before the first fetch.
      consumer.pause(topics.map((topic) => ({ topic })));
      for (const entry of offsets) consumer.seek(entry);
    });
  } finally {
    await consumer.disconnect();
  }
}
