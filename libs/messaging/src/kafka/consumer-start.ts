import { type Admin } from 'kafkajs';
import { retryWhileRetriable } from './retry';

/**
 * Where a consumer group that has never committed an offset starts reading: the start of
 * each topic, its end, or the first record at or after a point in time (to build a read
 * model from a date, or to let a test run ignore what earlier runs left on a topic).
 */
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
  admin: Admin,
  groupId: string,
  topics: string[],
  at: Date,
): Promise<void> {
  const committed = await retryWhileRetriable(() => admin.fetchOffsets({ groupId, topics }));
  for (const { topic, partitions } of committed) {
    const fresh = partitions
      .filter((partition) => partition.offset === '-1')
      .map((partition) => partition.partition);
    if (fresh.length === 0) continue;
    const byTime = await admin.fetchTopicOffsetsByTimestamp(topic, at.getTime());
    const offsets = byTime.filter((entry) => fresh.includes(entry.partition));
    try {
      await retryWhileRetriable(() =>
        admin.setOffsets({
          groupId,
          topic,
          partitions: offsets.map(({ partition, offset }) => ({ partition, offset })),
        }),
      );
    } catch (error) {
      // Another replica joined first and the group is active: it has its offsets.
      if (!/active|not empty|rebalanc/i.test((error as Error).message)) throw error;
    }
  }
}
