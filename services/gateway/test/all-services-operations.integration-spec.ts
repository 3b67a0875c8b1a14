import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Admin, type Producer } from 'kafkajs';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  JSON_CONTENT_TYPE,
  Topics,
  toKafkaRecord,
} from '@itsm/contracts';
import {
  DEV_PASSWORD,
  REPO_ROOT,
  RecordsApi,
  RunningPlatform,
  changeCompletedEvent,
  connectedProducer,
  eventually,
  freePort,
  queryTestDatabase,
  testKafka,
} from '@itsm/testing';

const execFileAsync = promisify(execFile);

interface DeadLetter {
  id: string;
  service: string;
  ref: string;
  key: string | null;
  eventId: string | null;
  status: string;
  settledBy: string | null;
  settleNote: string | null;
}

interface ParkedEvent {
  id: string;
  service: string;
  ref: string;
  key: string;
  error: string;
}

/** The services not started here: the gateway finds nobody at their address. */
const ABSENT = ['problem', 'change', 'slm', 'cmdb', 'reporting'];
const PROBLEM_JSON = /^application\/problem\+json/;

/**
 * `/api/v1/operations/outbox` and `/api/v1/operations/dead-letters` of every service at
 * once, served by the gateway: a parked event and a dead letter of the incident service
 * listed with their service, settled by their id alone and audited with the operator's
 * name; the services that do not answer named, never failing the answer.
 */
describe('every service’s operations through the gateway', () => {
  let platform: RunningPlatform;
  let operator: RecordsApi;
  let agent: RecordsApi;
  let producer: Producer;
  let kafkaAdmin: Admin;
  const topic = `itsm.test.all-operations.${randomUUID()}`;

  beforeAll(async () => {
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    platform = await RunningPlatform.start(
      ['gateway', 'incident'],
      Object.fromEntries(ABSENT.map((service) => [`${service.toUpperCase()}_URL`, nowhere])),
    );
    operator = await RecordsApi.as(platform.gatewayUrl, 'operator');
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    producer = await connectedProducer(testKafka());
    kafkaAdmin = testKafka().admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await platform?.stop();
    for (const schema of ['incident', 'gateway'])
      await queryTestDatabase(`DELETE FROM ${schema}.outbox WHERE topic = $1`, [topic]);
    await producer?.disconnect();
    await kafkaAdmin?.deleteTopics({ topics: [topic] });
    await kafkaAdmin?.disconnect();
  });

  /** An event in a service's outbox as the relay leaves one Kafka refused; its row id. */
  const parkedRow = async (schema: string, key: string, id?: string): Promise<string> => {
    const event = {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: randomUUID(),
      source: `/itsm/${schema}`,
      type: 'itsm.test.happened.v1',
      subject: key,
      time: new Date().toISOString(),
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: 'urn:test',
      data: {},
    };
    const [row] = await queryTestDatabase<{ id: string }>(
      `INSERT INTO ${schema}.outbox (id, event_id, topic, message_key, event, parked_at, park_error)
       VALUES (coalesce($5::bigint, nextval(pg_get_serial_sequence('${schema}.outbox', 'id'))),
               $1, $2, $3, $4, now(), 'MESSAGE_TOO_LARGE: refused by the test')
       RETURNING id::text AS id`,
      [event.id, topic, key, JSON.stringify(event), id ?? null],
    );
    return row?.id ?? '';
  };

  /** A change's completion the incident service's consumer reads; broken, it is dead-lettered. */
  const publishCompleted = async (changeId: string, breakSchema = false): Promise<string> => {
    const event = changeCompletedEvent({ id: changeId });
    const record = toKafkaRecord(event);
    const value = breakSchema ? JSON.stringify({ change: 'not a change' }) : record.value;
    await producer.send({ topic: Topics.changeEvents, messages: [{ ...record, value }] });
    return event.id;
  };

  const lettersOf = async (key: string, query = ''): Promise<DeadLetter[]> =>
    (
      (await operator.call('get', `/api/v1/operations/dead-letters?key=${key}${query}`).expect(200))
        .body as { items: DeadLetter[] }
    ).items;

  it('lists every service’s parked events with their service, and retries one by its id alone', async () => {
    const key = randomUUID();
    const id = await parkedRow('incident', key);

    const listed = await operator.call('get', '/api/v1/operations/outbox').expect(200);
    const body = listed.body as {
      parkedCount: number;
      services: { service: string }[];
      parked: ParkedEvent[];
      unreachable: string[];
    };
    expect(body.unreachable).toEqual(ABSENT);
    expect(body.services.map((one) => one.service)).toEqual(['gateway', 'incident']);
    expect(body.parkedCount).toBeGreaterThanOrEqual(1);
    expect(body.parked.find((row) => row.id === id)).toMatchObject({
      service: 'incident',
      ref: `incident-${id}`,
      key,
      error: 'MESSAGE_TOO_LARGE: refused by the test',
    });

    const retried = await operator
      .call('post', `/api/v1/operations/outbox/${id}/retry`)
      .expect(202);
    expect(retried.headers['content-location']).toBe(`/api/v1/operations/outbox/incident/${id}`);
    expect(retried.body).toMatchObject({ id, key });
    await eventually(
      async () => {
        const [row] = await queryTestDatabase<{ n: number }>(
          `SELECT count(*)::int AS n FROM incident.outbox WHERE message_key = $1`,
          [key],
        );
        return row?.n === 0 ? true : undefined;
      },
      { description: 'the retried event published and gone from the outbox' },
    );

    const again = await operator.call('post', `/api/v1/operations/outbox/${id}/retry`).expect(404);
    expect(again.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(again.body).toMatchObject({ status: 404, unreachable: ABSENT });
  });

  it('refuses an id two services both have, naming them, and leaves both parked', async () => {
    const id = await parkedRow('incident', randomUUID());
    await parkedRow('gateway', randomUUID(), id);
    const refused = await operator
      .call('post', `/api/v1/operations/outbox/${id}/retry`)
      .expect(409);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(refused.body).toMatchObject({
      type: 'https://itsm.dev/problems/operations-id-ambiguous',
      services: ['gateway', 'incident'],
    });
    const [row] = await queryTestDatabase<{ n: number }>(
      `SELECT (SELECT count(*) FROM incident.outbox WHERE id = $1 AND parked_at IS NOT NULL)::int
            + (SELECT count(*) FROM gateway.outbox WHERE id = $1 AND parked_at IS NOT NULL)::int AS n`,
      [id],
    );
    expect(row?.n).toBe(2);
    // Named by its ref (as the list gives it), or at its service's path, each is retried.
    const listed = (await operator.call('get', '/api/v1/operations/outbox').expect(200)).body as {
      parked: ParkedEvent[];
    };
    expect(
      listed.parked
        .filter((row) => row.id === id)
        .map((row) => row.ref)
        .sort(),
    ).toEqual([`gateway-${id}`, `incident-${id}`]);
    const byRef = await operator
      .call('post', `/api/v1/operations/outbox/gateway-${id}/retry`)
      .expect(202);
    expect(byRef.headers['content-location']).toBe(`/api/v1/operations/outbox/gateway/${id}`);
    await operator.call('post', `/api/v1/operations/outbox/incident/${id}/retry`).expect(202);
  });

  it('lists every service’s dead letters with their service, and settles them by id alone, audited', async () => {
    const changeId = randomUUID();
    const broken = await publishCompleted(changeId, true);
    const later = await publishCompleted(changeId);
    const [poison, held] = await eventually(
      async () => {
        const letters = await lettersOf(changeId);
        return letters.length === 2 ? letters : undefined;
      },
      { description: 'the broken event dead-lettered and the later one held' },
    );
    expect(poison).toMatchObject({
      service: 'incident',
      ref: `incident-${poison?.id}`,
      eventId: broken,
      status: 'open',
    });
    expect(held).toMatchObject({ service: 'incident', eventId: later, status: 'held' });
    const all = (await operator.call('get', `/api/v1/operations/dead-letters?key=${changeId}`))
      .body as { unreachable: string[] };
    expect(all.unreachable).toEqual(ABSENT);

    // Paged one at a time, each service's list is gone through in order.
    const first = (
      await operator
        .call('get', `/api/v1/operations/dead-letters?key=${changeId}&limit=1`)
        .expect(200)
    ).body as { items: DeadLetter[]; next: string | null };
    expect(first.items.map((letter) => letter.id)).toEqual([poison?.id]);
    expect(first.next).toEqual(expect.any(String));
    const second = (
      await operator
        .call(
          'get',
          `/api/v1/operations/dead-letters?key=${changeId}&limit=1&after=${first.next ?? ''}`,
        )
        .expect(200)
    ).body as { items: DeadLetter[]; next: string | null };
    expect(second.items.map((letter) => letter.id)).toEqual([held?.id]);

    const detail = await operator.call('get', `/api/v1/operations/dead-letters/${poison?.ref}`);
    expect(detail.status).toBe(200);
    expect(detail.headers['content-location']).toBe(
      `/api/v1/operations/dead-letters/incident/${poison?.id}`,
    );
    expect(detail.body).toMatchObject({ eventId: broken, value: '{"change":"not a change"}' });

    // The owning service's own refusal comes back as it gave it.
    const refused = await operator
      .call('post', `/api/v1/operations/dead-letters/${held?.id}/replay`)
      .send({})
      .expect(409);
    expect(refused.headers['content-type']).toMatch(PROBLEM_JSON);
    expect(refused.body).toMatchObject({
      type: 'https://itsm.dev/problems/earlier-dead-letter-unsettled',
      earlierId: poison?.id,
    });
    await operator
      .call('post', `/api/v1/operations/dead-letters/${poison?.id}/discard`)
      .send({})
      .expect(400);

    const discarded = await operator
      .call('post', `/api/v1/operations/dead-letters/${poison?.id}/discard`)
      .send({ reason: 'a broken event of the change service' })
      .expect(200);
    expect(discarded.body).toMatchObject({ status: 'discarded', settledBy: 'operator' });
    const replayed = await operator
      .call('post', `/api/v1/operations/dead-letters/${held?.id}/replay`)
      .send({ note: 'after the discard' })
      .expect(200);
    expect(replayed.body).toMatchObject({
      replayed: [{ id: held?.id, status: 'replayed', settledBy: 'operator' }],
      failed: null,
    });

    // The audit trail is the owning service's own, with the operator who did it.
    const own = (
      await operator
        .call('get', `/api/v1/operations/dead-letters/incident?key=${changeId}`)
        .expect(200)
    ).body as { items: DeadLetter[] };
    expect(own.items).toMatchObject([
      {
        id: poison?.id,
        status: 'discarded',
        settledBy: 'operator',
        settleNote: 'a broken event of the change service',
      },
      { id: held?.id, status: 'replayed', settledBy: 'operator', settleNote: 'after the discard' },
    ]);
  });

  it('is on the operator’s command line without naming the service', async () => {
    const changeId = randomUUID();
    const broken = await publishCompleted(changeId, true);
    await eventually(async () => ((await lettersOf(changeId)).length === 1 ? true : undefined), {
      description: 'the broken event dead-lettered',
    });
    const ops = (...args: string[]) =>
      execFileAsync(
        process.execPath,
        [
          '--disable-warning=MODULE_TYPELESS_PACKAGE_JSON',
          join(REPO_ROOT, 'tools/itsm-ops.ts'),
          ...args,
        ],
        {
          env: {
            PATH: process.env.PATH ?? '',
            ITSM_URL: platform.gatewayUrl,
            ITSM_USERNAME: 'operator',
            ITSM_PASSWORD: DEV_PASSWORD,
          },
        },
      );
    const listed = JSON.parse((await ops('dead-letters', '--key', changeId)).stdout) as {
      items: DeadLetter[];
      unreachable: string[];
    };
    expect(listed.items).toMatchObject([{ service: 'incident', eventId: broken, status: 'open' }]);
    expect(listed.unreachable).toEqual(ABSENT);
    const id = listed.items[0]?.id ?? '';
    expect(JSON.parse((await ops('dead-letter', id)).stdout)).toMatchObject({ eventId: broken });
    const discarded = JSON.parse(
      (await ops('discard', id, '--reason', 'dropped from the command line')).stdout,
    ) as DeadLetter;
    expect(discarded).toMatchObject({ status: 'discarded', settledBy: 'operator' });
    const outbox = JSON.parse((await ops('outbox')).stdout) as { unreachable: string[] };
    expect(outbox.unreachable).toEqual(ABSENT);
    expect(JSON.parse((await ops('outbox', 'gateway')).stdout)).toMatchObject({
      service: 'gateway',
    });
  });

  it('answers an id no service has with 404 problem+json, and a bad one with 400', async () => {
    for (const [method, path, body] of [
      ['get', '/api/v1/operations/dead-letters/987654321987', undefined],
      ['post', '/api/v1/operations/dead-letters/987654321987/replay', {}],
      ['post', '/api/v1/operations/dead-letters/987654321987/discard', { reason: 'none' }],
      ['post', '/api/v1/operations/outbox/987654321987/retry', undefined],
    ] as const) {
      const sent = operator.call(method, path);
      const answer = await (body ? sent.send(body) : sent);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
      expect(answer.body).toMatchObject({ status: 404, unreachable: ABSENT });
    }
    for (const id of ['0', 'nowhere-1', 'incident-0']) {
      const badId = await operator.call('get', `/api/v1/operations/dead-letters/${id}`).expect(400);
      expect(badId.body).toMatchObject({ errors: [{ field: 'id' }] });
    }
    // A ref is asked of its service only: another's row of the same id is not found by it.
    await operator.call('get', '/api/v1/operations/dead-letters/gateway-987654321987').expect(404);
    const badQuery = await operator
      .call('get', '/api/v1/operations/dead-letters?status=lost&after=not-ours')
      .expect(400);
    expect(badQuery.body).toMatchObject({
      errors: expect.arrayContaining([
        expect.objectContaining({ field: 'status' }),
        expect.objectContaining({ field: 'after' }),
      ]) as unknown,
    });
    await operator.call('get', '/api/v1/operations/outbox?limit=0').expect(400);
  });

  it('is for operators only', async () => {
    for (const [method, path] of [
      ['get', '/api/v1/operations/outbox'],
      ['post', '/api/v1/operations/outbox/1/retry'],
      ['get', '/api/v1/operations/dead-letters'],
      ['get', '/api/v1/operations/dead-letters/1'],
      ['post', '/api/v1/operations/dead-letters/1/replay'],
      ['post', '/api/v1/operations/dead-letters/1/discard'],
    ] as const) {
      const answer = await agent.call(method, path).send({ reason: 'not mine' });
      expect({ path, status: answer.status }).toEqual({ path, status: 403 });
      expect(answer.headers['content-type']).toMatch(PROBLEM_JSON);
    }
  });

  it('still answers each service’s own paths', async () => {
    for (const service of ['gateway', 'incident']) {
      const outbox = await operator.call('get', `/api/v1/operations/outbox/${service}`).expect(200);
      expect(outbox.body).toMatchObject({ service });
      const letters = await operator
        .call('get', `/api/v1/operations/dead-letters/${service}`)
        .expect(200);
      expect(letters.body).toMatchObject({ service });
    }
    await operator.call('get', '/api/v1/operations/outbox/incident/987654321987').expect(404);
  });
});
