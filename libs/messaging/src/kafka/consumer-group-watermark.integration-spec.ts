import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type Consumer, type Producer } from 'kafkajs';
import { connectedProducer, eventually, testKafka } from '@itsm/testing';
import { ConsumerGroupWatermark } from './consumer-group-watermark';
import { ensureTopics } from './topic-admin';

describe('the watermark of a consumer group', () => {
  const kafka = testKafka();
  const topic = `itsm.test.watermark-${randomUUID().slice(0, 8)}.v1`;
  const groupId = `watermark-test-${randomUUID().slice(0, 8)}`;
  let producer: Producer;
  let consumer: Consumer | undefined;
  let watermark: ConsumerGroupWatermark;
  /** The consumer holds each record whose value is `held` until this is called. */
  let release: () => void = () => undefined;
  let held = Promise.resolve();
  const holdNext = () => {
    held = new Promise<void>((resolve) => (release = resolve));
  };

  beforeAll(async () => {
    await ensureTopics(kafka, [{ topic, numPartitions: 3 }]);
    producer = await connectedProducer(kafka);
    watermark = new ConsumerGroupWatermark(kafka, groupId, [topic], new Logger('watermark-test'));
  });

  afterAll(async () => {
    release();
    await consumer?.disconnect();
    await producer?.disconnect();
    await watermark?.close();
  });

  const produce = (values: string[]) =>
    producer.send({
      topic,
      messages: values.map((value) => ({ key: 'one-record', value })),
    });

  it('reaches the present only once the group has consumed what was on the topic', async () => {
    const before = Date.now();
    // The same key throughout: one partition, consumed in this order.
    await produce(['1', '2', '3', '4', 'held', '6']);
    // Nothing consumed yet: no instant is reached.
    expect(await watermark.refresh()).toBe(Number.NEGATIVE_INFINITY);

    let seen = 0;
    holdNext();
    consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100 });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen += 1;
        if (message.value?.toString() === 'held') await held;
      },
    });
    await eventually(() => (seen >= 5 ? true : undefined), { description: 'five records seen' });
    expect(await watermark.refresh()).toBe(Number.NEGATIVE_INFINITY);

    release();
    const reached = await eventually(
      async () => {
        const instant = await watermark.refresh();
        return instant > before ? instant : undefined;
      },
      { description: 'the watermark to pass the records produced' },
    );
    expect(seen).toBe(6);
    // The first sample, taken before the consumer started, is the one reached first.
    expect(reached).toBeLessThan(Date.now());

    // Caught up and idle: each look at Kafka reaches the moment it was taken.
    const asked = Date.now();
    const lastReached = await watermark.refresh();
    expect(lastReached).toBeGreaterThanOrEqual(asked);

    // A new record not yet consumed holds the watermark where it was.
    holdNext();
    await produce(['held']);
    await eventually(() => (seen === 7 ? true : undefined), { description: 'the new record seen' });
    expect(await watermark.refresh()).toBe(lastReached);
    release();
    await eventually(async () => ((await watermark.refresh()) > lastReached ? true : undefined), {
      description: 'the watermark to move on once the new record is consumed',
    });
  });
});
