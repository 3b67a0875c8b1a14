import { Kafka, logLevel } from 'kafkajs';

function kafkaClient(brokers: string): Kafka {
  return new Kafka({
    clientId: 'itsm-bench',
    brokers: brokers.split(','),
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Commits a new consumer group's offsets at the current end of each topic. The services
 * read a topic from its start when their group has no offsets; on a shared broker that
 * would replay every earlier run's events into this run's archive.
 */
export async function startGroupAtTopicEnds(
  brokers: string,
  groupId: string,
  topics: readonly string[],
): Promise<Record<string, number>> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  const skipped: Record<string, number> = {};
  try {
    for (const topic of topics) {
      const offsets = await admin.fetchTopicOffsets(topic);
      skipped[topic] = offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
      await admin.setOffsets({
        groupId,
        topic,
        partitions: offsets.map(({ partition, high }) => ({ partition, offset: high })),
      });
    }
  } finally {
    await admin.disconnect();
  }
  return skipped;
}

/** How many records a topic holds (0 when it does not exist). */
export async function topicSize(brokers: string, topic: string): Promise<number> {
  const admin = kafkaClient(brokers).admin();
  await admin.connect();
  try {
    const topics = await admin.listTopics();
    if (!topics.includes(topic)) return 0;
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, { high, low }) => sum + Number(high) - Number(low), 0);
  } finally {
    await admin.disconnect();
  }
}

/**
 * The broker timestamps (the producer's send time) of records of one topic, by
 * `partition:offset`, for the offset range given per partition. Read by a throwaway
 * consumer group that seeks to each range's start.
 */
export async function recordTimestamps(
  brokers: string,
  groupId: string,
  topic: string,
  ranges: Map<number, { first: number; last: number }>,
  timeoutMs = 60_000,
): Promise<Map<string, number>> {
  const timestamps = new Map<string, number>();
  if (ranges.size === 0) return timestamps;
  const consumer = kafkaClient(brokers).consumer({ groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic });
    const remaining = new Set(ranges.keys());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer.on(consumer.events.GROUP_JOIN, () => {
        for (const [partition, { first }] of ranges)
          consumer.seek({ topic, partition, offset: String(first) });
      });
      consumer
        .run({
          eachBatch: async ({ batch }) => {
            const range = ranges.get(batch.partition);
            for (const message of batch.messages) {
              timestamps.set(`${batch.partition}:${message.offset}`, Number(message.timestamp));
              if (range && Number(message.offset) >= range.last) remaining.delete(batch.partition);
            }
            if (remaining.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return timestamps;
}
