import { randomUUID } from 'node:crypto';
import { Kafka, logLevel, type KafkaMessage, type Producer } from 'kafkajs';
import { ConsumerGroupWatermark, positionNewGroupAtTime } from '@itsm/messaging';
import { eventually } from './eventually';
import { testEnvironment } from './test-environment';

export interface ReadMessage {
  partition: number;
  message: KafkaMessage;
}

export function testKafka(): Kafka {
  return new Kafka({
    clientId: 'itsm-tests',
    brokers: testEnvironment().kafkaBrokers.split(','),
    logLevel: logLevel.NOTHING,
  });
}

/**
 * Every record of a topic from the start of this test run (or of the topic, outside a run)
 * up to its end as of now, read by a throwaway consumer group: what a new subscriber of
 * this run would see. Records earlier runs left behind are not read.
 */
export async function readWholeTopic(
  kafka: Kafka,
  topic: string,
  timeoutMs = 30_000,
): Promise<ReadMessage[]> {
  const groupId = `itsm-test-reader-${randomUUID()}`;
  const startedAt = process.env.ITSM_TEST_STARTED_AT;
  const admin = kafka.admin();
  await admin.connect();
  let remaining: Map<number, bigint>;
  try {
    const ends = await admin.fetchTopicOffsets(topic);
    const starts = startedAt
      ? await admin.fetchTopicOffsetsByTimestamp(topic, new Date(startedAt).getTime())
      : ends.map((end) => ({ partition: end.partition, offset: end.low }));
    remaining = new Map(
      ends
        .filter(
          (end) =>
            BigInt(end.high) >
            BigInt(starts.find((start) => start.partition === end.partition)?.offset ?? end.low),
        )
        .map((end) => [end.partition, BigInt(end.high)]),
    );
  } finally {
    await admin.disconnect();
  }
  if (startedAt && remaining.size > 0)
    await positionNewGroupAtTime(kafka, groupId, [topic], new Date(startedAt));
  const messages: ReadMessage[] = [];
  if (remaining.size === 0) return messages;

  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: 6000,
    heartbeatInterval: 2000,
    maxWaitTimeInMs: 100,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${topic} took longer than ${timeoutMs} ms`)),
        timeoutMs,
      );
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            messages.push({ partition, message });
            const end = remaining.get(partition);
            if (end !== undefined && BigInt(message.offset) + 1n >= end)
              remaining.delete(partition);
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
  return messages;
}

export async function connectedProducer(kafka: Kafka): Promise<Producer> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  return producer;
}

export function header(message: KafkaMessage, name: string): string | undefined {
  const value = message.headers?.[name];
  const single = Array.isArray(value) ? value[0] : value;
  return single?.toString();
}

/**
 * Waits until a service's consumer group (this run's) has consumed and committed every
 * record its topics held when called: a suite that starts a consumer after others have
 * published a great deal waits for it to catch up once, rather than every wait of its
 * tests paying for the backlog.
 */
export async function untilConsumerCaughtUp(
  service: string,
  topics: readonly string[],
  {
    groupPrefix = testEnvironment().consumerGroupPrefix,
    // Below Jest's test time-out (jest.config.js), so that a backlog too long fails by name.
    timeoutMs = 100_000,
  }: { groupPrefix?: string; timeoutMs?: number } = {},
): Promise<void> {
  const groupId = `${groupPrefix}.${service}`;
  const quiet = { log: () => undefined, warn: () => undefined, error: () => undefined };
  const watermark = new ConsumerGroupWatermark(testKafka(), groupId, topics, quiet);
  const calledAt = Date.now();
  try {
    await eventually(async () => ((await watermark.refresh()) >= calledAt ? true : undefined), {
      timeoutMs,
      intervalMs: 250,
      description: `${groupId} to consume what its topics held`,
    });
  } finally {
    await watermark.close();
  }
}
