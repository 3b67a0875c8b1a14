import { randomUUID } from 'node:crypto';
import { type Admin } from 'kafkajs';
import { CLOUD_EVENTS_SPEC_VERSION, JSON_CONTENT_TYPE } from '@itsm/contracts';
import {
  RecordsApi,
  RunningPlatform,
  eventually,
  queryTestDatabase,
  testKafka,
} from '@itsm/testing';

interface OutboxBody {
  service: string;
  pending: number;
  parkedCount: number;
  parked: { id: string; eventId: string; key: string; error: string; waiting: number }[];
}

/**
 * `/api/v1/operations/outbox/{service}` through the gateway: each service's parked events,
 * for operators only, and a retry that puts one back in line.
 */
describe('outbox operations through the gateway', () => {
  let platform: RunningPlatform;
  let admin: RecordsApi;
  let agent: RecordsApi;
  let kafkaAdmin: Admin;
  const topic = `itsm.test.outbox-operations.${randomUUID()}`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    admin = await RecordsApi.as(platform.gatewayUrl, 'admin');
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    kafkaAdmin = testKafka().admin();
    await kafkaAdmin.connect();
    await kafkaAdmin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });
  });

  afterAll(async () => {
    await platform?.stop();
    await queryTestDatabase(`DELETE FROM incident.outbox WHERE topic = $1`, [topic]);
    await kafkaAdmin?.deleteTopics({ topics: [topic] });
    await kafkaAdmin?.disconnect();
  });

  /** An event of the incident service's outbox as the relay leaves one Kafka refused. */
  const parkedRow = async (key: string): Promise<string> => {
    const event = {
      specversion: CLOUD_EVENTS_SPEC_VERSION,
      id: randomUUID(),
      source: '/itsm/incident',
      type: 'itsm.test.happened.v1',
      subject: key,
      time: new Date().toISOString(),
      datacontenttype: JSON_CONTENT_TYPE,
      dataschema: 'urn:test',
      data: {},
    };
    const [row] = await queryTestDatabase<{ id: string }>(
      `INSERT INTO incident.outbox (event_id, topic, message_key, event, parked_at, park_error)
       VALUES ($1, $2, $3, $4, now(), 'MESSAGE_TOO_LARGE: refused by the test') RETURNING id::text AS id`,
      [event.id, topic, key, JSON.stringify(event)],
    );
    return row?.id ?? '';
  };

  it('lists a service’s parked events to an operator and retries one', async () => {
    const key = randomUUID();
    const id = await parkedRow(key);

    const listed = (await admin.call('get', '/api/v1/operations/outbox/incident').expect(200))
      .body as OutboxBody;
    expect(listed.service).toBe('incident');
    expect(listed.parkedCount).toBeGreaterThanOrEqual(1);
    expect(listed.parked.find((row) => row.id === id)).toMatchObject({
      key,
      error: 'MESSAGE_TOO_LARGE: refused by the test',
      waiting: 0,
    });

    const metrics = async () =>
      (await fetch(`${platform.service('incident').metricsUrl}/metrics`)).text();
    expect(await metrics()).toMatch(/^itsm_outbox_parked_events [1-9]/m);

    await admin.call('post', `/api/v1/operations/outbox/incident/${id}/retry`).expect(202);
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
    expect(await metrics()).toMatch(/^itsm_outbox_parked_events 0$/m);
    const answer = await admin.call('post', `/api/v1/operations/outbox/incident/${id}/retry`);
    expect(answer.status).toBe(404);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('answers for the gateway’s own outbox too', async () => {
    const listed = (await admin.call('get', '/api/v1/operations/outbox/gateway').expect(200))
      .body as OutboxBody;
    expect(listed).toMatchObject({ service: 'gateway', parkedCount: 0, parked: [] });
  });

  it('is for operators only, and names the field at fault', async () => {
    for (const service of ['incident', 'gateway'])
      await agent.call('get', `/api/v1/operations/outbox/${service}`).expect(403);
    const refused = await admin
      .call('post', '/api/v1/operations/outbox/incident/not-a-row/retry')
      .expect(400);
    expect(refused.body).toMatchObject({ errors: [{ field: 'id' }] });
    await admin.call('get', '/api/v1/operations/outbox/incident?limit=0').expect(400);
  });
});
