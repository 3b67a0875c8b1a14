import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  EventTypes,
  EventValidator,
  Topics,
  fromKafkaRecord,
  type IncidentCreatedV1,
} from '@itsm/contracts';
import {
  eventually,
  incidentCreatedData,
  readWholeTopic,
  testEnvironment,
  dropScratchSchema,
  scratchSchema,
} from '@itsm/testing';
import { createIdempotentProducer, createKafka } from '../kafka/kafka-factory';
import { PLAINTEXT_KAFKA } from '../kafka/kafka-security';
import { addOutboxParking, createMessagingTables } from '../messaging-tables.migration';
import { InboxRecord } from '../inbox/inbox-record.entity';
import { OutboxMessage } from './outbox-message.entity';
import { OutboxRelay } from './outbox-relay';
import { OutboxWriter } from './outbox-writer';

describe('the outbox relay', () => {
  const schema = `relay_test_${randomUUID().slice(0, 8)}`;
  const logger = new Logger('relay-test');
  let dataSource: DataSource;
  let writer: OutboxWriter;

  beforeAll(async () => {
    dataSource = await scratchSchema(
      schema,
      [OutboxMessage, InboxRecord],
      async (runner) => {
        await createMessagingTables(runner);
        await addOutboxParking(runner);
      },
      20,
    );
    writer = new OutboxWriter('relay-test', new EventValidator());
  });

  afterAll(async () => {
    await dropScratchSchema(dataSource);
  });

  const append = (subject: string, version: number) =>
    dataSource.transaction((manager) =>
      writer.append(manager, {
        topic: Topics.incidentEvents,
        type: EventTypes.incident.created,
        subject,
        data: incidentCreatedData(subject, version),
      }),
    );

  it('refuses to write outside a transaction, and refuses data that breaks the schema', async () => {
    await expect(
      writer.append(dataSource.manager, {
        topic: Topics.incidentEvents,
        type: EventTypes.incident.created,
        subject: randomUUID(),
        data: incidentCreatedData(randomUUID(), 1),
      }),
    ).rejects.toThrow(/inside the transaction/);
    await expect(
      dataSource.transaction((manager) =>
        writer.append(manager, {
          topic: Topics.incidentEvents,
          type: EventTypes.incident.created,
          subject: 'x',
          data: { changedFields: [] },
        }),
      ),
    ).rejects.toThrow(/violates its schema/);
  });

  it('appends a batch in one statement, in the order given, and refuses it outside a transaction', async () => {
    const keys = [randomUUID(), randomUUID()];
    const batch = [1, 2, 3].flatMap((version) =>
      keys.map((subject) => ({
        topic: Topics.incidentEvents,
        type: EventTypes.incident.created,
        subject,
        data: incidentCreatedData(subject, version),
      })),
    );
    await expect(writer.appendMany(dataSource.manager, batch)).rejects.toThrow(
      /inside the transaction/,
    );
    const written = await dataSource.transaction((manager) => writer.appendMany(manager, batch));
    expect(written.map((event) => event.subject)).toEqual(batch.map((event) => event.subject));
    const rows = await dataSource.query<{ message_key: string; event: { id: string } }[]>(
      `SELECT message_key, event FROM "${schema}".outbox WHERE message_key = ANY($1) ORDER BY id`,
      [keys],
    );
    expect(rows.map((row) => row.event.id)).toEqual(written.map((event) => event.id));
    await dataSource.query(`DELETE FROM "${schema}".outbox WHERE message_key = ANY($1)`, [keys]);
  });

  it('publishes each record exactly once and each key in order, with two relays racing and writers still writing', async () => {
    const kafka = createKafka(
      {
        brokers: testEnvironment().kafkaBrokers.split(','),
        clientId: 'relay-test',
        security: PLAINTEXT_KAFKA,
      },
      logger,
    );
    const producers = [createIdempotentProducer(kafka), createIdempotentProducer(kafka)];
    await Promise.all(producers.map((producer) => producer.connect()));
    const settings = { pollIntervalMs: 50, batchSize: 7, leaderRetryMs: 100 };
    const relays = producers.map(
      (producer) => new OutboxRelay(dataSource, producer, logger, settings),
    );
    relays.forEach((relay) => relay.start());
    try {
      const keys: string[] = Array.from({ length: 6 }, () => randomUUID());
      const eventsPerKey = 15;
      // Keys written concurrently, each key's events one transaction after another.
      await Promise.all(
        keys.map(async (key) => {
          for (let version = 1; version <= eventsPerKey; version += 1) await append(key, version);
        }),
      );
      await eventually(async () => ((await relays[0].backlog()) === 0 ? true : undefined), {
        description: 'an empty outbox',
      });
      expect(relays.filter((relay) => relay.leader)).toHaveLength(1);

      const records = (await readWholeTopic(kafka, Topics.incidentEvents)).filter(({ message }) =>
        keys.includes(message.key?.toString() ?? ''),
      );
      expect(records).toHaveLength(keys.length * eventsPerKey);
      for (const key of keys) {
        const versions = records
          .filter(({ message }) => message.key?.toString() === key)
          .map(
            ({ message }) => (fromKafkaRecord(message).data as IncidentCreatedV1).incident.version,
          );
        expect(versions).toEqual(Array.from({ length: eventsPerKey }, (_, index) => index + 1));
      }
    } finally {
      await Promise.all(relays.map((relay) => relay.stop()));
      await Promise.all(producers.map((producer) => producer.disconnect()));
    }
  });
});
