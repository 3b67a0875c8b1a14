import request from 'supertest';
import { EventTypes, Topics, fromKafkaRecord } from '@itsm/contracts';
import {
  RunningPlatform,
  countRows,
  eventually,
  readWholeTopic,
  testKafka,
  tokenFor,
} from '@itsm/testing';

interface Ci {
  id: string;
  class: string;
}

describe('the CMDB through the gateway', () => {
  let platform: RunningPlatform;
  let manager: string;
  let requester: string;
  let agent: string;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'cmdb']);
    manager = await tokenFor(platform.gatewayUrl, 'configuration_manager');
    requester = await tokenFor(platform.gatewayUrl, 'requester');
    agent = await tokenFor(platform.gatewayUrl, 'agent');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const as = (token: string) => ({
    get: (path: string) =>
      request(platform.gatewayUrl).get(path).set('authorization', `Bearer ${token}`),
    post: (path: string, body: object) =>
      request(platform.gatewayUrl).post(path).set('authorization', `Bearer ${token}`).send(body),
  });

  it('lets a configuration manager add a class, CIs and a relationship, read the impact, and publishes each change', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const className = `edge_router_${suffix}`;
    await as(manager)
      .post('/api/v1/ci-classes', {
        name: className,
        label: 'Edge router',
        parent: 'network_device',
        attributes: { bgpAsn: { type: 'integer', minimum: 1 } },
      })
      .expect(201);
    const router = (
      await as(manager)
        .post('/api/v1/cis', {
          class: className,
          name: `edge-${suffix}`,
          identifiers: { serialNumber: `SN-${suffix}` },
          attributes: { deviceType: 'router', bgpAsn: 64512 },
        })
        .expect(201)
    ).body as Ci;
    const server = (
      await as(manager)
        .post('/api/v1/cis', {
          class: 'physical_server',
          name: `db-host-${suffix}`,
          attributes: { cpuCount: 16 },
        })
        .expect(201)
    ).body as Ci;
    const service = (
      await as(manager)
        .post('/api/v1/cis', {
          class: 'business_service',
          name: `Payments ${suffix}`,
          criticality: 1,
        })
        .expect(201)
    ).body as Ci;
    const imported = await as(manager)
      .post('/api/v1/cmdb/imports', {
        source: 'e2e',
        items: [{ key: 'app', class: 'application', name: `payments-app-${suffix}` }],
        relationships: [
          { type: 'provides', source: { key: 'app' }, target: { ciId: service.id } },
          { type: 'depends_on', source: { key: 'app' }, target: { ciId: server.id } },
        ],
      })
      .expect(200);
    expect(imported.body).toMatchObject({ created: 1, relationships: { created: 2 } });
    const relationship = await as(manager)
      .post('/api/v1/relationships', {
        type: 'connected_to',
        sourceId: server.id,
        targetId: router.id,
      })
      .expect(201);

    const impact = await as(manager)
      .get(`/api/v1/cis/${router.id}/impact?direction=upstream&depth=4`)
      .expect(200);
    expect(impact.body).toMatchObject({
      businessServices: [{ ciId: service.id, criticality: 1, distance: 3 }],
    });
    const setImpact = await as(manager)
      .post('/api/v1/cis/impact', { ciIds: [router.id], direction: 'upstream', depth: 1 })
      .expect(200);
    expect(
      (setImpact.body as { items: { ciId: string }[] }).items.map((item) => item.ciId),
    ).toEqual([server.id]);

    const events = await eventually(
      async () => {
        const wanted = new Set([className, router.id, (relationship.body as { id: string }).id]);
        const found = (await readWholeTopic(testKafka(), Topics.cmdbEvents))
          .filter(({ message }) => wanted.has(message.key?.toString() ?? ''))
          .map(({ message }) => fromKafkaRecord(message).type);
        return found.length >= 3 ? found : undefined;
      },
      { description: 'the class, CI and relationship events on Kafka', timeoutMs: 30_000 },
    );
    expect(events.sort()).toEqual(
      [
        EventTypes.cmdb.ciClassCreated,
        EventTypes.cmdb.ciCreated,
        EventTypes.cmdb.relationshipCreated,
      ].sort(),
    );
  });

  it('lets an agent, who may only read the CMDB, run an impact analysis for a set of CIs but not change a CI', async () => {
    const ci = (
      await as(manager)
        .post('/api/v1/cis', { class: 'storage', name: `vol-${Date.now()}` })
        .expect(201)
    ).body as Ci;
    await as(agent)
      .post('/api/v1/cis/impact', { ciIds: [ci.id], direction: 'downstream', depth: 2 })
      .expect(200);
    await as(agent).post('/api/v1/cis', { class: 'storage', name: 'nope' }).expect(403);
  });

  it('refuses a requester every CMDB write (and read) with 403, and stores nothing', async () => {
    const before = await countRows('cmdb.cis');
    const refused = await as(requester).post('/api/v1/cis', {
      class: 'physical_server',
      name: 'sneaky',
    });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toContain('application/problem+json');
    await as(requester).post('/api/v1/cmdb/imports', { source: 'x', items: [] }).expect(403);
    await as(requester).get('/api/v1/cis').expect(403);
    expect(await countRows('cmdb.cis')).toBe(before);
  });
});
