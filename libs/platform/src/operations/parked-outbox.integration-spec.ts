import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { ConfigResourceTypes, type Admin, type Kafka, type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { CLOUD_EVENTS_SPEC_VERSION, JSON_CONTENT_TYPE, type ItsmCloudEvent } from '@itsm/contracts';
import {
  MESSAGING_ENTITIES,
  OutboxRelay,
  addOutboxParking,
  createIdempotentProducer,
  createMessagingTables,
} from '@itsm/messaging';
import {
  eventually,
  readWholeTopic,
  testKafka,
  dropScratchSchema,
  scratchSchema,
} from '@itsm/testing';
import { ParkedOutbox } from './parked-outbox.repository';

/**
 * A record Kafka refuses for good (larger than its topic takes) is parked with the error;
 * its record's later events wait behind it, other records and the relay's leadership go
 * on; once the operator has fixed the cause, a retry publishes it and then what waited, in
 * order. Real broker, real database.
 */
describe('parked outbox events', () => {
  const schema = `parking_${randomUUID().slice(0, 8)}`;
  const topic = `itsm.test.parking.${randomUUID()}`;
  const logger = new Logger('parking-test');
  let dataSource: DataSource;
  let kafka: Kafka;
  let admin: Admin;
  let producer: Producer;
  let relay: OutboxRelay;

  beforeAll(async () => {
    dataSource = await scratchSchema(schema, MESSAGING_ENTITIES, async (runner) => {
      await createMessagingTables(runner);
      await addOutboxParking(runner);
    });
    kafka = testKafka();
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: '4096' }] },
      ],
      waitForLeaders: true,
    });
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    relay = new OutboxRelay(dataSource, producer, logger, {
      pollIntervalMs: 50,
      batchSize: 50,
      leaderRetryMs: 100,
    });
  });

  afterAll(async () => {
    await relay?.stop();
    await producer?.disconnect();
    await admin?.deleteTopics({ topics: [topic] });
    await admin?.disconnect();
    await dropScratchSchema(dataSource);
  });

  /** Writes an event to the outbox as the writer would, `padding` characters of data large. */
  const append = async (key: string, n: number, padding = 0): Promise<string> => {
    const event: ItsmCloudEvent = {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: randomUUID(),
      source: '/itsm/test',
      type: 'itsm.test.happened.v1',
      subject: key,
      time: new Date().toISOString(),
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: 'urn:test',
      data: { n, padding: 'x'.repeat(padding) },
    };
    await dataSource.query(
      `INSERT INTO "${schema}".outbox (event_id, topic, message_key, event) VALUES ($1, $2, $3, $4)`,
      [event.id, topic, key, JSON.stringify(event)],
    );
    return event.id;
  };
  const published = async (): Promise<{ key: string; n: number }[]> =>
    (await readWholeTopic(kafka, topic)).map(({ message }) => ({
      key: message.key?.toString() ?? '',
      n: (JSON.parse(message.value?.toString() ?? '{}') as { n: number }).n,
    }));

  it('parks what Kafka refuses, holds its record’s later events, and publishes them in order after a retry', async () => {
    const [held, other] = [`held-${randomUUID()}`, `other-${randomUUID()}`];
    await append(held, 1, 10_000);
    await append(held, 2);
    await append(other, 1);
    const outbox = new ParkedOutbox(dataSource);
    // Before the relay runs, its oldest publishable row ages (the relay-stalled alert's figure).
    expect((await outbox.state()).oldestPublishableAgeSeconds).toBeGreaterThan(0);
    relay.start();

    const [parked] = await eventually(
      async () => {
        const rows = await outbox.list(10);
        return rows.length === 1 ? rows : undefined;
      },
      { description: 'the large event parked' },
    );
    expect(parked).toMatchObject({ key: held, type: 'itsm.test.happened.v1', waiting: 1 });
    expect(parked?.error).toMatch(/^MESSAGE_TOO_LARGE: /);
    await eventually(
      async () => ((await published()).some(({ key }) => key === other) ? true : undefined),
      { description: 'the other record published' },
    );
    // A few relay rounds later: the waiting event has not overtaken the parked one, and the
    // relay is still the relay.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect((await published()).filter(({ key }) => key === held)).toEqual([]);
    // The held event waits behind the parked one: nothing the relay could publish is late.
    expect(await outbox.state()).toEqual({ pending: 2, parked: 1, oldestPublishableAgeSeconds: 0 });
    expect(relay.leader).toBe(true);

    // The operator raises the topic's limit, then retries.
    await admin.alterConfigs({
      validateOnly: false,
      resources: [
        {
          type: ConfigResourceTypes.TOPIC,
          name: topic,
          configEntries: [{ name: 'max.message.bytes', value: '1048576' }],
        },
      ],
    });
    expect(await outbox.retry(parked?.id ?? '')).toMatchObject({ id: parked?.id });
    expect(await outbox.retry(parked?.id ?? '')).toBeUndefined();

    await eventually(async () => ((await outbox.state()).pending === 0 ? true : undefined), {
      description: 'the outbox emptied',
    });
    expect((await published()).filter(({ key }) => key === held).map(({ n }) => n)).toEqual([1, 2]);
  });
});
