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
