import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventValidator,
  JSON_CONTENT_TYPE,
  Topics,
  toKafkaRecord,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import {
  connectedProducer,
  eventually,
  testKafka,
  dropScratchSchema,
  scratchSchema,
} from '@itsm/testing';
import { createDeadLettersTable, createMessagingTables } from '../messaging-tables.migration';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { type InboxBatchContext, type InboxContext, type InboxEvent } from './inbox-context';
import { DeadLetterEntry } from './dead-letter-entry.entity';
import { InboxRecord } from './inbox-record.entity';
import { KafkaInboxServer } from './kafka-inbox.server';

function eventOn(source: string, subject: string, n: number): ItsmCloudEvent<{ n: number }> {
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source,
    type: 'itsm.test.happened.v1',
    subject,
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: 'urn:test',
    data: { n },
  };
}

/**
 * The inbox transport on a real broker and database: a batch handler (`EventBatchPattern`)
 * and a per-event handler in one service, each topic's events applied once and in order,
 * and the offsets committed so a restarted consumer does not see them again.
 */
describe('the Kafka inbox server with a batch handler beside a per-event one', () => {
  const schema = `inbox_server_${randomUUID().slice(0, 8)}`;
  const consumerGroup = `inbox-server-test-${randomUUID().slice(0, 8)}`;
  // Other suites publish on these topics too: only this run's subject counts.
  const subject = randomUUID();
  let dataSource: DataSource;
  let producer: Producer;
  const batches: { size: number; ns: number[] }[] = [];
  const singles: number[] = [];
  let server: KafkaInboxServer | undefined;

  const startServer = async (): Promise<KafkaInboxServer> => {
    const started = new KafkaInboxServer({
      kafka: testKafka(),
      dataSource,
      validator: new EventValidator(),
      logger: new Logger('inbox-server-test'),
      start: { from: 'time', at: new Date() },
      sessionTimeoutMs: 10_000,
      consumerGroup,
      maxAttempts: 2,
      initialBackoffMs: 5,
    });
    const ours = (events: readonly InboxEvent[]) =>
      events.filter(({ event }) => event.subject === subject);
    started.addHandler(
      Topics.incidentEvents,
      async (events: InboxEvent[], context: InboxBatchContext) => {
        const mine = ours(events);
        if (mine.length === 0) return;
        await context.manager.query('SELECT 1');
        batches.push({
          size: events.length,
          ns: mine.map(({ event }) => (event.data as { n: number }).n),
        });
      },
      true,
      { inboxBatch: { maxEvents: 50 } },
    );
    started.addHandler(
      Topics.problemEvents,
      async (event: ItsmCloudEvent<{ n: number }>, context: InboxContext) => {
        if (event.subject !== subject) return;
        await context.manager.query('SELECT 1');
        singles.push(event.data.n);
      },
      true,
    );
    await new Promise<void>((resolve, reject) =>
      started.listen((error?: unknown) =>
        error
          ? reject(error instanceof Error ? error : new Error('the server did not start'))
          : resolve(),
      ),
    );
    return started;
  };

  const publish = async (topic: string, source: string, from: number, count: number) => {
    const events = Array.from({ length: count }, (_, index) =>
      eventOn(source, subject, from + index),
    );
    await producer.send({
      topic,
      messages: events.map((event) => toKafkaRecord(event)),
    });
  };

  beforeAll(async () => {
    dataSource = await scratchSchema(
      schema,
      [OutboxMessage, InboxRecord, DeadLetterEntry],
      async (runner) => {
        await createMessagingTables(runner);
        await createDeadLettersTable(runner);
      },
    );
    producer = await connectedProducer(testKafka());
    server = await startServer();
  });

  afterAll(async () => {
    await server?.close();
    await producer?.disconnect();
    await dropScratchSchema(dataSource);
  });

  const range = (from: number, count: number) =>
    Array.from({ length: count }, (_, index) => from + index);

  it('gives the batch handler runs of at most its size, and the other handler one event at a time, each in order', async () => {
    await publish(Topics.incidentEvents, '/itsm/incident', 0, 120);
    await publish(Topics.problemEvents, '/itsm/problem', 0, 5);

    await eventually(
      async () =>
        batches.flatMap(({ ns }) => ns).length >= 120 && singles.length >= 5 ? true : undefined,
      { timeoutMs: 30_000, description: 'every event handled' },
    );
    expect(batches.flatMap(({ ns }) => ns)).toEqual(range(0, 120));
    expect(batches.length).toBeGreaterThan(1);
    for (const { size } of batches) expect(size).toBeLessThanOrEqual(50);
    expect(singles).toEqual(range(0, 5));
  });

  it('restarted, goes on where it left off: nothing skipped, nothing applied twice', async () => {
    await server?.close();
    server = undefined;
    batches.length = 0;
    singles.length = 0;
    await publish(Topics.incidentEvents, '/itsm/incident', 120, 10);
    server = await startServer();
    await publish(Topics.problemEvents, '/itsm/problem', 5, 2);

    await eventually(
      async () =>
        batches.flatMap(({ ns }) => ns).length >= 10 && singles.length >= 2 ? true : undefined,
      { timeoutMs: 30_000, description: 'the new events handled' },
    );
    expect(batches.flatMap(({ ns }) => ns)).toEqual(range(120, 10));
    expect(singles).toEqual([5, 6]);
  });
});
