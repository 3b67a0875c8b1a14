import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { type KafkaMessage, type Producer } from 'kafkajs';
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
  eventually,
  header,
  readWholeTopic,
  testEnvironment,
  dropScratchSchema,
  scratchSchema,
} from '@itsm/testing';
import { createIdempotentProducer, createKafka } from '../kafka/kafka-factory';
import { PLAINTEXT_KAFKA } from '../kafka/kafka-security';
import { ensureTopics } from '../kafka/topic-admin';
import { createDeadLettersTable, createMessagingTables } from '../messaging-tables.migration';
import { OutboxMessage } from '../outbox/outbox-message.entity';
import { DeadLetterHeaders } from './dead-letter';
import { type InboxBatchContext, type InboxEvent } from './inbox-context';
import { InboxProcessor } from './inbox-processor';
import { DeadLetterEntry } from './dead-letter-entry.entity';
import { InboxRecord } from './inbox-record.entity';

/**
 * An event on the incident topic, from the incident service, of a type the catalog does
 * not know: the processor passes it on unvalidated.
 */
function someEvent(): ItsmCloudEvent<{ n: number }> {
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source: '/itsm/incident',
    type: 'itsm.test.happened.v1',
    subject: randomUUID(),
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: 'urn:test',
    data: { n: 1 },
  };
}

function asConsumed(event: ItsmCloudEvent, offset: string): KafkaMessage {
  const record = toKafkaRecord(event);
  return {
    key: Buffer.from(record.key),
    value: Buffer.from(record.value),
    headers: Object.fromEntries(
      Object.entries(record.headers).map(([name, value]) => [name, Buffer.from(value)]),
    ),
    timestamp: String(Date.now()),
    attributes: 0,
    offset,
  };
}

describe('the inbox processor', () => {
  const schema = `inbox_test_${randomUUID().slice(0, 8)}`;
  const consumerGroup = `inbox-test-${randomUUID().slice(0, 8)}`;
  let dataSource: DataSource;
  let producer: Producer;
  let processor: InboxProcessor;

  beforeAll(async () => {
    dataSource = await scratchSchema(
      schema,
      [OutboxMessage, InboxRecord, DeadLetterEntry],
      async (runner) => {
        await createMessagingTables(runner);
        await createDeadLettersTable(runner);
      },
    );
    await dataSource.query(`CREATE TABLE "${schema}".effects (event_id text NOT NULL)`);
    const kafka = createKafka(
      {
        brokers: testEnvironment().kafkaBrokers.split(','),
        clientId: 'inbox-test',
        security: PLAINTEXT_KAFKA,
      },
      new Logger('kafka'),
    );
    await ensureTopics(kafka, [{ topic: deadLetterTopic(consumerGroup), numPartitions: 1 }]);
    producer = createIdempotentProducer(kafka);
    await producer.connect();
    processor = new InboxProcessor(
      dataSource,
      producer,
      new EventValidator(),
      new Logger('inbox-test'),
      {
        consumerGroup,
        maxAttempts: 3,
        initialBackoffMs: 5,
      },
    );
  });

  afterAll(async () => {
    await producer?.disconnect();
    await dropScratchSchema(dataSource);
  });

  const effectsOf = async (eventId: string): Promise<number> => {
    const [row] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM "${schema}".effects WHERE event_id = $1`,
      [eventId],
    );
    return row?.n ?? 0;
  };
  const deadLetterOf = (eventId: string): Promise<KafkaMessage> => {
    const kafka = createKafka(
      {
        brokers: testEnvironment().kafkaBrokers.split(','),
        clientId: 'inbox-test-reader',
        security: PLAINTEXT_KAFKA,
      },
      new Logger('kafka'),
    );
    return eventually(
      async () => {
        const letters = await readWholeTopic(kafka, deadLetterTopic(consumerGroup)).catch(() => []);
        return letters.find(({ message }) => header(message, 'ce_id') === eventId)?.message;
      },
      { description: 'the dead letter' },
    );
  };
  // Each record its own offset, as Kafka gives them: the ledger knows a record by its origin.
  let lastOffset = 1000;
  const nextOffset = () => String((lastOffset += 1));
  const record = (event: ItsmCloudEvent, offset = nextOffset()) => ({
    topic: Topics.incidentEvents,
    partition: 0,
    message: asConsumed(event, offset),
    heartbeat: async () => {},
  });

  it('retries a failing handler and applies the event once when it recovers', async () => {
    const event = someEvent();
    let calls = 0;
    const outcome = await processor.process(record(event), async (_, context) => {
      calls += 1;
      await context.manager.query(`INSERT INTO "${schema}".effects (event_id) VALUES ($1)`, [
        event.id,
      ]);
      if (calls < 3) throw new Error(`flaky ${calls}`);
    });
    expect(outcome).toBe('applied');
    expect(calls).toBe(3);
    // The failed attempts' effects were rolled back with their inbox rows.
    expect(await effectsOf(event.id)).toBe(1);
    expect(
      await processor.process(record(event), async () => {
        throw new Error('a duplicate must not reach the handler');
      }),
    ).toBe('duplicate');
  });

  it('dead-letters after the last attempt, with the error and attempt count, and keeps no effect', async () => {
    const event = someEvent();
    const consumed = record(event);
    const outcome = await processor.process(consumed, async (_, context) => {
      await context.manager.query(`INSERT INTO "${schema}".effects (event_id) VALUES ($1)`, [
        event.id,
      ]);
      throw new TypeError('cannot apply this');
    });
    expect(outcome).toBe('dead-lettered');
    expect(await effectsOf(event.id)).toBe(0);
    const letter = await deadLetterOf(event.id);
    expect(header(letter, DeadLetterHeaders.errorType)).toBe('TypeError');
    expect(header(letter, DeadLetterHeaders.errorMessage)).toBe('cannot apply this');
    expect(header(letter, DeadLetterHeaders.attempts)).toBe('3');
    expect(header(letter, DeadLetterHeaders.originalOffset)).toBe(consumed.message.offset);
  });

  it('dead-letters an event whose source does not own its topic at once, without calling the handler', async () => {
    const forged = { ...someEvent(), source: '/itsm/cmdb' };
    const outcome = await processor.process(record(forged), async () => {
      throw new Error('a forged event must not reach the handler');
    });
    expect(outcome).toBe('dead-lettered');
    const letter = await deadLetterOf(forged.id);
    expect(header(letter, DeadLetterHeaders.errorType)).toBe('UntrustedEventSourceError');
    expect(header(letter, DeadLetterHeaders.errorMessage)).toBe(
      'source "/itsm/cmdb" may not publish on itsm.incident.events.v1: only /itsm/incident does',
    );
    expect(header(letter, DeadLetterHeaders.attempts)).toBe('0');
    // Refused before its inbox row: the genuine event with the same id is still applied, and
    // a forgery holds nothing of the record it names.
    expect(
      await processor.process(
        record({ ...forged, source: '/itsm/incident' }),
        async () => undefined,
      ),
    ).toBe('applied');
  });

  it('never dead-letters because the database is unreachable: the error goes back to Kafka for redelivery', async () => {
    const event = someEvent();
    const outage = Object.assign(new Error('Connection terminated unexpectedly'), {
      code: '08006',
    });
    await expect(processor.process(record(event), async () => Promise.reject(outage))).rejects.toBe(
      outage,
    );
    expect(await processor.process(record(event), async () => undefined)).toBe('applied');
  });

  it('runs a handler again after a deadlock or serialization failure, without using up its attempts', async () => {
    const event = someEvent();
    let calls = 0;
    const outcome = await processor.process(record(event), async (_, context) => {
      calls += 1;
      await context.manager.query(`INSERT INTO "${schema}".effects (event_id) VALUES ($1)`, [
        event.id,
      ]);
      // As PostgreSQL reports them: a QueryFailedError carrying the SQLSTATE.
      if (calls <= 4) {
        const condition = calls % 2 === 0 ? 'deadlock_detected' : 'serialization_failure';
        await context.manager.query(
          `DO $$ BEGIN RAISE EXCEPTION 'conflict %', ${calls} USING ERRCODE = '${condition}'; END $$`,
        );
      }
    });
    // Four conflicts, more than the three attempts a failing handler gets: still applied.
    expect(outcome).toBe('applied');
    expect(calls).toBe(5);
    expect(await effectsOf(event.id)).toBe(1);
  });

  describe('in batches', () => {
    const batchOf = (events: ItsmCloudEvent[], firstOffset = Number(nextOffset())) => {
      const resolved: string[] = [];
      lastOffset = Math.max(lastOffset, firstOffset + events.length);
      return {
        resolved,
        offsets: events.map((_, index) => String(firstOffset + index)),
        batch: {
          topic: Topics.incidentEvents,
          partition: 0,
          messages: events.map((event, index) => asConsumed(event, String(firstOffset + index))),
          heartbeat: async () => {},
          resolveOffset: (offset: string) => void resolved.push(offset),
        },
      };
    };
    const insertEffects = async (events: readonly InboxEvent[], context: InboxBatchContext) => {
      for (const { event } of events)
        await context.manager.query(`INSERT INTO "${schema}".effects (event_id) VALUES ($1)`, [
          event.id,
        ]);
    };

    it('hands a run of events to the handler at once, in order, with their offsets, each once however often it is read', async () => {
      const events = [someEvent(), someEvent(), someEvent()];
      const seen: InboxEvent[][] = [];
      const handler = async (run: readonly InboxEvent[], context: InboxBatchContext) => {
        seen.push([...run]);
        await insertEffects(run, context);
      };
      const first = batchOf(events);
      await processor.processBatch(first.batch, handler);
      expect(seen).toEqual([
        events.map((event, index) => ({ event, offset: first.offsets[index] })),
      ]);
      expect(first.resolved.at(-1)).toBe(first.offsets[2]);

      // Read again (a redelivery after a rebalance) with one new event and a repeated id:
      // only the new event reaches the handler.
      const fresh = someEvent();
      seen.length = 0;
      const again = batchOf([...events, fresh, fresh], Number(first.offsets[0]));
      await processor.processBatch(again.batch, handler);
      expect(seen).toEqual([[{ event: fresh, offset: again.offsets[3] }]]);
      for (const event of [...events, fresh]) expect(await effectsOf(event.id)).toBe(1);
    });

    it('isolates the event a handler fails on: the others are applied in order, it alone is dead-lettered', async () => {
      const [before, poison, after] = [someEvent(), someEvent(), someEvent()];
      const applied: string[] = [];
      const { batch, resolved, offsets } = batchOf([before, poison, after]);
      await processor.processBatch(batch, async (run, context) => {
        if (run.some(({ event }) => event.id === poison.id))
          throw new TypeError('cannot apply this one');
        await insertEffects(run, context);
        applied.push(...run.map(({ event }) => event.id));
      });
      expect(applied).toEqual([before.id, after.id]);
      expect(await effectsOf(poison.id)).toBe(0);
      expect(header(await deadLetterOf(poison.id), DeadLetterHeaders.attempts)).toBe('3');
      expect(resolved).toEqual(offsets);
    });

    it('dead-letters an unreadable record where it stands, between the runs before and after it', async () => {
      const [before, forged, after] = [
        someEvent(),
        { ...someEvent(), source: '/itsm/cmdb' },
        someEvent(),
      ];
      const runs: string[][] = [];
      const { batch, resolved, offsets } = batchOf([before, forged, after]);
      await processor.processBatch(batch, async (run, context) => {
        runs.push(run.map(({ event }) => event.id));
        await insertEffects(run, context);
      });
      expect(runs).toEqual([[before.id], [after.id]]);
      expect(header(await deadLetterOf(forged.id), DeadLetterHeaders.attempts)).toBe('0');
      expect(resolved).toEqual(offsets);
    });

    it('gives an unreachable database back to Kafka, with nothing applied or resolved', async () => {
      const events = [someEvent(), someEvent()];
      const outage = Object.assign(new Error('Connection terminated unexpectedly'), {
        code: '08006',
      });
      const { batch, resolved } = batchOf(events);
      await expect(
        processor.processBatch(batch, async (run, context) => {
          await insertEffects(run, context);
          throw outage;
        }),
      ).rejects.toBe(outage);
      expect(resolved).toEqual([]);
      for (const event of events) expect(await effectsOf(event.id)).toBe(0);
    });
  });

  describe('the events of a record behind its dead letter', () => {
    /** Two events of one record (same subject, so the same Kafka key) and one of another. */
    const recordEvents = () => {
      const subject = randomUUID();
      return [{ ...someEvent(), subject }, { ...someEvent(), subject }, someEvent()] as const;
    };
    const statusOf = async (eventId: string) => {
      const [row] = await dataSource.query<{ status: string }[]>(
        `SELECT status FROM "${schema}".dead_letters WHERE event_id = $1`,
        [eventId],
      );
      return row?.status;
    };

    it('holds a record’s later event behind the one dead-lettered, and applies other records', async () => {
      const [failing, later, other] = recordEvents();
      const applied: string[] = [];
      const handler = async (event: ItsmCloudEvent) => {
        if (event.id === failing.id) throw new TypeError('cannot apply this');
        applied.push(event.id);
      };
      expect(await processor.process(record(failing), handler)).toBe('dead-lettered');
      expect(await processor.process(record(later), handler)).toBe('held');
      expect(await processor.process(record(other), handler)).toBe('applied');
      expect(applied).toEqual([other.id]);
      expect(await statusOf(failing.id)).toBe('open');
      expect(await statusOf(later.id)).toBe('held');
      expect(header(await deadLetterOf(later.id), DeadLetterHeaders.errorType)).toBe(
        'HeldBehindDeadLetter',
      );

      // An operator's replay applies it, even though its record has dead letters.
      expect(
        await processor.process(record(failing), async () => undefined, { replay: true }),
      ).toBe('applied');
    });

    it('holds them in a batch too, the one that failed and those after it in the same run', async () => {
      const [failing, later, other] = recordEvents();
      const { batch, resolved, offsets } = batchOfRecords([failing, later, other]);
      const applied: string[] = [];
      const outcomes = await processor.processBatch(batch, async (run) => {
        if (run.some(({ event }) => event.id === failing.id))
          throw new TypeError('cannot apply this');
        applied.push(...run.map(({ event }) => event.id));
      });
      expect(outcomes).toEqual(['dead-lettered', 'held', 'applied']);
      expect(applied).toEqual([other.id]);
      expect(resolved).toEqual(offsets);
      expect(await statusOf(later.id)).toBe('held');

      // The next batch finds the record still held.
      const next = { ...someEvent(), subject: failing.subject };
      const followUp = batchOfRecords([next]);
      expect(await processor.processBatch(followUp.batch, async () => undefined)).toEqual(['held']);
    });

    const batchOfRecords = (events: ItsmCloudEvent[]) => {
      const first = Number(nextOffset());
      lastOffset = first + events.length;
      const resolved: string[] = [];
      const offsets = events.map((_, index) => String(first + index));
      return {
        resolved,
        offsets,
        batch: {
          topic: Topics.incidentEvents,
          partition: 0,
          messages: events.map((event, index) => asConsumed(event, offsets[index] ?? '0')),
          heartbeat: async () => {},
          resolveOffset: (offset: string) => void resolved.push(offset),
        },
      };
    };
  });
});
