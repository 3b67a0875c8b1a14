import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { RecordsApi, RunningPlatform, freePort, tokenFor } from '@itsm/testing';

interface ChangeBody {
  id: string;
  number: string;
  onHold: boolean;
  riskReasons: string[];
  [field: string]: unknown;
}

interface Created {
  id: string;
  name: string;
}

const unique = (prefix: string) => `${prefix}_${Math.random().toString(36).slice(2, 10)}`;
const OUTSIDE = /Outside a maintenance window/;

/**
 * Windows scoped by CI class through the gateway, with the classes read from a real cmdb
 * service: classes and CIs made through the cmdb API, blackouts, freezes and maintenance
 * windows scoped to those classes only (no other suite's CI has them). Dates are in 2034,
 * which no other suite plans in.
 */
describe('change windows scoped by CI class', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  let appliance: string;
  let edge: string;
  /** A CI of `edge`, a subclass of `appliance` (itself a `server`). */
  let router: Created;
  /** A CI of another class. */
  let app: Created;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change', 'cmdb']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    const admin = await tokenFor(platform.gatewayUrl, 'admin');
    const post = async (path: string, body: object): Promise<Created> => {
      const response = await request(platform.gatewayUrl)
        .post(path)
        .set('authorization', `Bearer ${admin}`)
        .send(body);
      expect([response.status, response.body]).toEqual([201, expect.anything()]);
      return response.body as Created;
    };
    appliance = unique('appliance');
    edge = unique('edge');
    await post('/api/v1/ci-classes', { name: appliance, label: 'Appliance', parent: 'server' });
    await post('/api/v1/ci-classes', { name: edge, label: 'Edge router', parent: appliance });
    router = await post('/api/v1/cis', { class: edge, name: `${edge}-router` });
    app = await post('/api/v1/cis', { class: 'application', name: `${edge}-app` });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function defineWindow(body: object): Promise<Created> {
    const response = await manager
      .call('post', '/api/v1/change-windows')
      .send({ name: unique('Window'), ...body })
      .expect(201);
    return response.body as Created;
  }

  async function raise(body: object): Promise<ChangeBody> {
    const response = await manager.create('changes', { title: 'Patch', ...body });
    if (response.status !== 201) {
      throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body as ChangeBody;
  }

  const planned = (start: string, end: string) => ({ plannedStart: start, plannedEnd: end });

  it('refuses a change on a CI of a class a blackout covers (an ancestor class too), not one on another class', async () => {
    const blackout = await defineWindow({
      kind: 'blackout',
      start: '2034-03-01T00:00:00Z',
      end: '2034-03-03T00:00:00Z',
      ciClasses: [appliance],
    });
    const during = planned('2034-03-01T20:00:00Z', '2034-03-01T22:00:00Z');
    const refused = await manager.create('changes', {
      title: 'Patch the router',
      ciIds: [router.id],
      ...during,
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      code: 'SCHEDULE_REFUSED',
      detail: expect.stringContaining(`covers CI ${router.id}`) as string,
    });
    expect(JSON.stringify(refused.body)).toContain('blackout');

    const elsewhere = await raise({ ciIds: [app.id], ...during });
    const conflicts = await manager.call('get', `/api/v1/changes/${elsewhere.id}/conflicts`);
    expect(conflicts.body).toMatchObject({ conflicts: [], classCheckDegraded: null });

    // Moving a change on the router into the blackout is refused the same way.
    const later = await raise({
      ciIds: [router.id],
      ...planned('2034-03-04T20:00:00Z', '2034-03-04T22:00:00Z'),
    });
    const moved = await manager.patch('changes', later.id, during);
    expect([moved.status, (moved.body as { code?: string }).code]).toEqual([
      409,
      'SCHEDULE_REFUSED',
    ]);
    const check = await manager.call('get', `/api/v1/changes/${later.id}/conflicts`).expect(200);
    expect(check.body).toMatchObject({ conflicts: [], refused: false, classCheckDegraded: null });
    await manager.call('delete', `/api/v1/change-windows/${blackout.id}`).set('if-match', '"1"');
  });

  it('holds the in-flight changes on CIs of a freeze’s class when it is put in force, and only those', async () => {
    const when = planned('2034-05-10T20:00:00Z', '2034-05-10T22:00:00Z');
    const onRouter = await raise({ ciIds: [router.id], ...when });
    const onApp = await raise({ ciIds: [app.id], ...when });
    const freeze = await defineWindow({
      kind: 'freeze',
      start: '2034-06-01T00:00:00Z',
      end: '2034-06-02T00:00:00Z',
      ciClasses: [edge],
    });
    await manager.call('post', `/api/v1/change-windows/${freeze.id}/enforce`).expect(200);
    try {
      const held = (await manager.get('changes', onRouter.id).expect(200)).body as ChangeBody;
      expect(held).toMatchObject({ onHold: true, heldByWindowId: freeze.id });
      expect((await manager.get('changes', onApp.id).expect(200)).body).toMatchObject({
        onHold: false,
      });
      // And while in force it refuses a new change on a CI of its class.
      const refused = await manager.create('changes', {
        title: 'Patch the router again',
        ciIds: [router.id],
        ...planned('2034-05-11T20:00:00Z', '2034-05-11T22:00:00Z'),
      });
      expect([refused.status, (refused.body as { code?: string }).code]).toEqual([
        409,
        'SCHEDULE_REFUSED',
      ]);
    } finally {
      await manager.call('post', `/api/v1/change-windows/${freeze.id}/lift`).expect(200);
    }
    expect((await manager.get('changes', onRouter.id).expect(200)).body).toMatchObject({
      onHold: false,
    });
  });

  it('rates a change planned outside the maintenance windows of its CI’s class higher, saying why, and not one inside', async () => {
    await defineWindow({
      kind: 'maintenance',
      start: '2034-07-05T20:00:00Z',
      end: '2034-07-05T23:00:00Z',
      ciClasses: [edge],
    });
    const inside = await raise({
      ciIds: [router.id],
      ...planned('2034-07-05T21:00:00Z', '2034-07-05T22:00:00Z'),
    });
    expect(inside.riskReasons.join(' ')).not.toMatch(OUTSIDE);
    const outside = await raise({
      ciIds: [router.id],
      ...planned('2034-07-05T22:00:00Z', '2034-07-06T01:00:00Z'),
    });
    expect(outside).toMatchObject({ risk: 'moderate', riskSource: 'condition' });
    expect(outside.riskReasons.join(' ')).toMatch(OUTSIDE);
    const conflicts = await manager.call('get', `/api/v1/changes/${outside.id}/conflicts`);
    expect((conflicts.body as { conflicts: { kind: string }[] }).conflicts).toEqual([
      expect.objectContaining({ kind: 'outside_maintenance_window', ciId: router.id }),
    ]);
    // A change on another class is not held to those windows.
    const onApp = await raise({
      ciIds: [app.id],
      ...planned('2034-07-05T22:00:00Z', '2034-07-06T01:00:00Z'),
    });
    expect(onApp.riskReasons.join(' ')).not.toMatch(OUTSIDE);

    // Moving the change inside the window assesses its risk again, and out again too.
    const movedIn = await manager.patch(
      'changes',
      outside.id,
      planned('2034-07-05T20:30:00Z', '2034-07-05T22:30:00Z'),
    );
    expect(movedIn.status).toBe(200);
    expect((movedIn.body as ChangeBody).riskReasons.join(' ')).not.toMatch(OUTSIDE);
    const movedOut = await manager.patch('changes', inside.id, {
      plannedEnd: '2034-07-05T23:30:00Z',
    });
    expect(movedOut.status).toBe(200);
    expect((movedOut.body as ChangeBody).riskReasons.join(' ')).toMatch(OUTSIDE);
  });
});

describe('change windows scoped by CI class, the CMDB away', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;

  beforeAll(async () => {
    // Nothing listens there: every read of the CMDB is degraded at once.
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    platform = await RunningPlatform.start(['gateway', 'change'], { CMDB_URL: nowhere });
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('lets the change through, not applying the class scopes, and says so', async () => {
    const blackout = await manager
      .call('post', '/api/v1/change-windows')
      .send({
        name: unique('Blackout'),
        kind: 'blackout',
        start: '2034-09-01T00:00:00Z',
        end: '2034-09-03T00:00:00Z',
        ciClasses: [unique('appliance')],
      })
      .expect(201);
    const raised = await manager.create('changes', {
      title: 'Patch',
      ciIds: [randomUUID()],
      plannedStart: '2034-09-01T20:00:00Z',
      plannedEnd: '2034-09-01T22:00:00Z',
    });
    expect(raised.status).toBe(201);
    const check = await manager
      .call('get', `/api/v1/changes/${(raised.body as ChangeBody).id}/conflicts`)
      .expect(200);
    expect(check.body).toMatchObject({
      conflicts: [],
      refused: false,
      classCheckDegraded: expect.stringContaining('cmdb') as string,
    });
    const slot = await manager
      .call(
        'get',
        `/api/v1/changes/${(raised.body as ChangeBody).id}/next-free-slot?after=2034-08-31T00:00:00Z`,
      )
      .expect(200);
    expect(slot.body).toMatchObject({ classCheckDegraded: expect.any(String) as string });
    await manager
      .call('delete', `/api/v1/change-windows/${(blackout.body as Created).id}`)
      .set('if-match', '"1"')
      .expect(200);
  });
});
