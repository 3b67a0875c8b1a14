import { randomUUID } from 'node:crypto';
import { type Producer } from 'kafkajs';
import {
  ALL_DOMAIN_TOPICS,
  EventTypes,
  Topics,
  deadLetterTopic,
  toKafkaRecord,
} from '@itsm/contracts';
import { DeadLetterHeaders } from '@itsm/messaging';
import {
  OpenApiConformance,
  ServiceProcess,
  connectedProducer,
  directClient,
  eventually,
  header,
  incidentCreatedEvent,
  readWholeTopic,
  testEnvironment,
  testKafka,
  untilConsumerCaughtUp,
} from '@itsm/testing';

describe('reporting consumes domain events through its inbox', () => {
  let reporting: ServiceProcess;
  let producer: Producer;

  beforeAll(async () => {
    reporting = await ServiceProcess.start('reporting', { KAFKA_CONSUMER_BACKOFF_MS: '10' });
    // Once: whatever the run published before this suite is behind the consumer, not in each wait.
    await untilConsumerCaughtUp('reporting', ALL_DOMAIN_TOPICS);
    producer = await connectedProducer(testKafka());
  });

  afterAll(async () => {
    await producer?.disconnect();
    await reporting?.stop();
  });

  const archivedEventIds = async (subject: string): Promise<string[]> => {
    const response = await directClient('reporting', reporting.url, 'auditor')
      .get('/api/v1/reports/event-archive')
      .query({ subject })
      .expect(200);
    return (response.body as { items: { event: { id: string } }[] }).items.map(
      (item) => item.event.id,
    );
  };

  it('applies an event delivered twice only once', async () => {
    const event = incidentCreatedEvent();
    const record = toKafkaRecord(event);
    await producer.send({ topic: Topics.incidentEvents, messages: [record] });
    await producer.send({ topic: Topics.incidentEvents, messages: [record] });
    // A later event on the same key (same partition) proves both deliveries were consumed.
    const sentinel = { ...incidentCreatedEvent(), subject: event.subject };
    await producer.send({ topic: Topics.incidentEvents, messages: [toKafkaRecord(sentinel)] });

    const ids = await eventually(
      async () => {
        const archived = await archivedEventIds(event.subject);
        return archived.includes(sentinel.id) ? archived : undefined;
      },
      { description: 'the sentinel event in the archive' },
    );
    expect(ids).toEqual([event.id, sentinel.id]);
    // Skipped as a duplicate by the inbox, not failed and dead-lettered.
    const dlq = deadLetterTopic(`${testEnvironment().consumerGroupPrefix}.reporting`);
    const deadLettered = (await readWholeTopic(testKafka(), dlq)).filter(
      ({ message }) => header(message, 'ce_id') === event.id,
    );
    expect(deadLettered).toEqual([]);
  });

  it('sends a poison message to the dead-letter topic with the error, and carries on', async () => {
    const poisonKey = randomUUID();
    await producer.send({
      topic: Topics.incidentEvents,
      messages: [
        {
          key: poisonKey,
          value: '{"this is": "not a CloudEvent"}',
          headers: { 'content-type': 'application/json' },
        },
      ],
    });
    const next = { ...incidentCreatedEvent(), subject: poisonKey };
    await producer.send({ topic: Topics.incidentEvents, messages: [toKafkaRecord(next)] });

    await eventually(
      async () => ((await archivedEventIds(poisonKey)).includes(next.id) ? true : undefined),
      {
        description: 'the event after the poison message to be archived',
      },
    );
    const dlq = deadLetterTopic(`${testEnvironment().consumerGroupPrefix}.reporting`);
    const dead = (await readWholeTopic(testKafka(), dlq)).filter(
      ({ message }) => message.key?.toString() === poisonKey,
    );
    expect(dead).toHaveLength(1);
    const letter = dead[0].message;
    expect(letter.value?.toString()).toBe('{"this is": "not a CloudEvent"}');
    expect(header(letter, DeadLetterHeaders.errorType)).toBe('MalformedEventError');
    expect(header(letter, DeadLetterHeaders.errorMessage)).toMatch(/malformed CloudEvent/);
    expect(header(letter, DeadLetterHeaders.originalTopic)).toBe(Topics.incidentEvents);
    expect(header(letter, DeadLetterHeaders.consumerGroup)).toBe(
      `${testEnvironment().consumerGroupPrefix}.reporting`,
    );
  });

  it('dead-letters an event whose data breaks its schema, with the violation named', async () => {
    const broken = incidentCreatedEvent();
    (broken.data.incident as { priority: string }).priority = 'P9';
    await producer.send({ topic: Topics.incidentEvents, messages: [toKafkaRecord(broken)] });
    const dlq = deadLetterTopic(`${testEnvironment().consumerGroupPrefix}.reporting`);
    const letter = await eventually(
      async () => {
        const found = (await readWholeTopic(testKafka(), dlq)).find(
          ({ message }) => header(message, 'ce_id') === broken.id,
        );
        return found?.message;
      },
      { description: 'the invalid event on the dead-letter topic' },
    );
    expect(header(letter, DeadLetterHeaders.errorType)).toBe('EventSchemaViolation');
    expect(header(letter, DeadLetterHeaders.errorMessage)).toContain('/incident/priority');
    expect(await archivedEventIds(broken.subject)).toEqual([]);
  });

  it("refuses an event that its topic's owner did not publish: dead-lettered at once, never archived", async () => {
    const subject = randomUUID();
    const forged = { ...incidentCreatedEvent(), subject, source: '/itsm/cmdb' };
    const unsigned = toKafkaRecord({ ...incidentCreatedEvent(), subject });
    delete unsigned.headers.ce_source;
    const genuine = { ...incidentCreatedEvent(), subject };
    // One key, one partition: the genuine event is consumed after the other two.
    await producer.send({
      topic: Topics.incidentEvents,
      messages: [toKafkaRecord(forged), unsigned, toKafkaRecord(genuine)],
    });

    await eventually(
      async () => ((await archivedEventIds(subject)).includes(genuine.id) ? true : undefined),
      { description: 'the genuine event in the archive' },
    );
    expect(await archivedEventIds(subject)).toEqual([genuine.id]);
    const dlq = deadLetterTopic(`${testEnvironment().consumerGroupPrefix}.reporting`);
    const letters = (await readWholeTopic(testKafka(), dlq))
      .filter(({ message }) => message.key?.toString() === subject)
      .map(({ message }) => ({
        source: header(message, 'ce_source'),
        errorType: header(message, DeadLetterHeaders.errorType),
        errorMessage: header(message, DeadLetterHeaders.errorMessage),
        attempts: header(message, DeadLetterHeaders.attempts),
      }));
    expect(letters).toEqual([
      {
        source: '/itsm/cmdb',
        errorType: 'UntrustedEventSourceError',
        errorMessage:
          'source "/itsm/cmdb" may not publish on itsm.incident.events.v1: only /itsm/incident does',
        attempts: '0',
      },
      {
        source: undefined,
        errorType: 'MalformedEventError',
        errorMessage: 'malformed CloudEvent: attribute "source" is missing',
        attempts: '0',
      },
    ]);
  });

  it('lists the archive with filters, either order, and cursor pages', async () => {
    const subject = randomUUID();
    const times = [
      '2026-01-01T10:00:00.000Z',
      '2026-01-01T11:00:00.000Z',
      '2026-01-01T12:00:00.000Z',
    ];
    const events = times.map((time) => ({ ...incidentCreatedEvent(), subject, time }));
    // Published out of time order: the archive order and the time order differ.
    for (const event of [events[1], events[2], events[0]]) {
      await producer.send({ topic: Topics.incidentEvents, messages: [toKafkaRecord(event)] });
    }
    await eventually(
      async () => ((await archivedEventIds(subject)).length === 3 ? true : undefined),
      {
        description: 'three archived events',
      },
    );
    const list = (query: Record<string, string | number>) =>
      directClient('reporting', reporting.url, 'auditor')
        .get('/api/v1/reports/event-archive')
        .query({ subject, ...query });

    const first = await list({ sort: '-time', limit: 2 }).expect(200);
    const firstPage = first.body as { items: { event: { id: string } }[]; nextCursor: string };
    expect(firstPage.items.map((item) => item.event.id)).toEqual([events[2].id, events[1].id]);
    // The document once promised a numeric cursor; since sorting, a cursor is opaque.
    const document = await OpenApiConformance.of(reporting.url);
    expect(document.errors('get', '/api/v1/reports/event-archive', 200, first.body)).toEqual([]);
    // An offset ISO 8601 allows and PostgreSQL refuses: the fuzzer's was a 500.
    const farOffset = await list({ from: '2025-12-31T05:00:00-18:39' }).expect(200);
    expect((farOffset.body as { items: unknown[] }).items).toHaveLength(3);
    const second = await list({ sort: '-time', limit: 2, cursor: firstPage.nextCursor }).expect(
      200,
    );
    expect(second.body).toMatchObject({
      items: [{ event: { id: events[0].id } }],
      nextCursor: null,
    });

    const byArchiveOrder = await list({}).expect(200);
    expect(
      (byArchiveOrder.body as { items: { event: { id: string } }[] }).items.map(
        (item) => item.event.id,
      ),
    ).toEqual([events[1].id, events[2].id, events[0].id]);
    const window = await list({
      from: times[1],
      to: times[2],
      type: EventTypes.incident.created,
    }).expect(200);
    expect(
      (window.body as { items: { event: { id: string } }[] }).items.map((item) => item.event.id),
    ).toEqual([events[1].id]);

    const bad = await list({ sort: 'password' }).expect(400);
    expect((bad.body as { errors: { field: string }[] }).errors[0]?.field).toBe('sort');
  });
});
