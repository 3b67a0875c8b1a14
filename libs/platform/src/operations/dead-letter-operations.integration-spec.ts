import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventValidator,
  JSON_CONTENT_TYPE,
  Topics,
  deadLetterTopic,
  toKafkaRecord,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import {
  KafkaInboxServer,
  MESSAGING_ENTITIES,
  createDeadLettersTable,
  createMessagingTables,
  ensureTopics,
  type InboxServerFactory,
} from '@itsm/messaging';
import {
  connectedProducer,
  eventually,
  testKafka,
  dropScratchSchema,
  scratchSchema,
} from '@itsm/testing';
import { DeadLetterOperations } from './dead-letter-operations';

/**
 * A replay applies the dead letter through the consumer's own handler and then the events
 * of its record held behind it, in order; a discard keeps who and why. Real broker, real
 * database, the inbox transport as services run it.
 */
describe('replaying dead letters', () => {
  const schema = `dead_letters_${randomUUID().slice(0, 8)}`;
  const consumerGroup = `dead-letters-test-${randomUUID().slice(0, 8)}`;
  const subject = randomUUID();
  let dataSource: DataSource;
  let producer: Producer;
  let server: KafkaInboxServer;
  let operations: DeadLetterOperations;
  const failing = new Set<string>();
  const applied: number[] = [];

  beforeAll(async () => {
    dataSource = await scratchSchema(schema, MESSAGING_ENTITIES, async (runner) => {
      await createMessagingTables(runner);
      await createDeadLettersTable(runner);
    });
    producer = await connectedProducer(testKafka());
    // As a service's migrate step creates its group's dead-letter topic.
    await ensureTopics(testKafka(), [{ topic: deadLetterTopic(consumerGroup), numPartitions: 1 }]);
    server = new KafkaInboxServer({
      kafka: testKafka(),
      dataSource,
      validator: new EventValidator(),
      logger: new Logger('dead-letters-test'),
      start: { from: 'time', at: new Date() },
      sessionTimeoutMs: 10_000,
      consumerGroup,
      maxAttempts: 2,
      initialBackoffMs: 5,
    });
    server.addHandler(
      Topics.incidentEvents,
      async (event: ItsmCloudEvent<{ n: number }>) => {
        if (event.subject !== subject) return;
        if (failing.has(event.id)) throw new TypeError(`event ${event.data.n} cannot apply yet`);
        applied.push(event.data.n);
      },
      true,
    );
    await new Promise<void>((resolve, reject) =>
      server.listen((error?: unknown) =>
        error ? reject(error instanceof Error ? error : new Error('not started')) : resolve(),
      ),
    );
    operations = new DeadLetterOperations({ server } as InboxServerFactory);
  });

  afterAll(async () => {
    await server?.close();
    await producer?.disconnect();
    await dropScratchSchema(dataSource);
  });

  const event = (n: number): ItsmCloudEvent<{ n: number }> => ({
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source: '/itsm/incident',
    type: 'itsm.test.happened.v1',
    subject,
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: 'urn:test',
    data: { n },
  });

  it('replays the dead letter, then what its record held behind it, in order', async () => {
    const events = [event(1), event(2), event(3)];
    failing.add(events[0]?.id ?? '');
    await producer.send({
      topic: Topics.incidentEvents,
      messages: events.map((one) => toKafkaRecord(one)),
    });
    const letters = await eventually(
      async () => {
        const listed = await operations.list({ messageKey: subject, limit: 10 });
        return listed.length === 3 ? listed : undefined;
      },
      { description: 'one dead letter and two held', timeoutMs: 30_000 },
    );
    expect(letters.map((letter) => letter.status)).toEqual(['open', 'held', 'held']);
    expect(applied).toEqual([]);

    // Fixed (here: the handler now accepts it), the operator replays the first.
    failing.clear();
    const outcome = await operations.replay(letters[0]?.id ?? '', 'operator-1', 'fixed upstream');
    expect(applied).toEqual([1, 2, 3]);
    expect(outcome.failed).toBeNull();
    expect(
      outcome.replayed.map((letter) => [letter.eventId, letter.status, letter.settledBy]),
    ).toEqual(events.map((one) => [one.id, 'replayed', 'operator-1']));

    // Replayed twice, nothing applies twice: it is settled.
    await expect(operations.replay(letters[0]?.id ?? '', 'operator-1', null)).rejects.toMatchObject(
      {
        slug: 'dead-letter-settled',
      },
    );
  });
});
