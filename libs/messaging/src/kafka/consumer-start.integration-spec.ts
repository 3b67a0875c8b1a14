import { randomUUID } from 'node:crypto';
import { type Admin, type Kafka } from 'kafkajs';
import { connectedProducer, testKafka } from '@itsm/testing';
import { positionNewGroupAtTime } from './consumer-start';

describe('a new consumer group positioned at a point in time', () => {
  let kafka: Kafka;
  let admin: Admin;
  const topics = [`itsm.test.start-a.${randomUUID()}`, `itsm.test.start-b.${randomUUID()}`];
  let boundary: Date;

  /** The group's committed offset per topic and partition, as `topic/partition=offset`. */
  async function committed(groupId: string): Promise<string[]> {
    const offsets = await admin.fetchOffsets({ groupId, topics });
    return offsets
      .flatMap(({ topic, partitions }) =>
        partitions.map(({ partition, offset }) => `${topic}/${partition}=${offset}`),
      )
      .sort();
  }

  beforeAll(async () => {
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: topics.map((topic) => ({ topic, numPartitions: 2 })),
      waitForLeaders: true,
    });
    const producer = await connectedProducer(kafka);
    try {
      const send = (value: string) =>
        Promise.all(
          topics.flatMap((topic) =>
            [0, 1].map((partition) => producer.send({ topic, messages: [{ partition, value }] })),
          ),
        );
      await send('before');
      await send('before');
      // Record timestamps have millisecond resolution: keep the boundary clear of both sides.
      await new Promise((resolve) => setTimeout(resolve, 20));
      boundary = new Date();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await send('after');
    } finally {
      await producer.disconnect();
    }
  });

  afterAll(async () => {
    await admin.deleteTopics({ topics });
    await admin.disconnect();
  });

  it('commits, on every topic and partition, the offset of the first record at or after that time', async () => {
    const groupId = `itsm-test-start-${randomUUID()}`;

    await positionNewGroupAtTime(kafka, groupId, topics, boundary);

    expect(await committed(groupId)).toEqual(
      topics.flatMap((topic) => [`${topic}/0=2`, `${topic}/1=2`]).sort(),
    );
  });

  it('leaves a group that already has offsets where it is', async () => {
    const groupId = `itsm-test-start-${randomUUID()}`;
    await admin.setOffsets({
      groupId,
      topic: topics[0],
      partitions: [
        { partition: 0, offset: '1' },
        { partition: 1, offset: '0' },
      ],
    });

    await positionNewGroupAtTime(kafka, groupId, topics, new Date());

    expect(await committed(groupId)).toEqual(
      [`${topics[0]}/0=1`, `${topics[0]}/1=0`, `${topics[1]}/0=3`, `${topics[1]}/1=3`].sort(),
    );
  });
});
