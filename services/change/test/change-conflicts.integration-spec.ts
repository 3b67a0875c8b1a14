import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EventValidator, Topics } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually, tokenFor } from '@itsm/testing';

interface ChangeBody {
  id: string;
  number: string;
  [field: string]: unknown;
}

interface Conflict {
  kind: string;
  message: string;
  ciId: string | null;
  otherChangeId: string | null;
  windowId: string | null;
  refused: boolean;
}

interface Ci {
  id: string;
}

const validator = new EventValidator();
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/**
 * Conflict detection and the schedule through the gateway, with a real CMDB graph built
 * through the cmdb API. Dates are in 2029, which nothing else in a run plans in, and every
 * window is scoped to CIs this file made.
 */
describe('change conflicts and the schedule', () => {
  let platform: RunningPlatform;
  let manager: RecordsApi;
  const ci: Record<'a' | 'b' | 'c' | 'd' | 'x', Ci> = {} as never;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change', 'cmdb']);
    manager = await RecordsApi.as(platform.gatewayUrl, 'change_manager');
    const admin = await tokenFor(platform.gatewayUrl, 'admin');
    const post = async (path: string, body: object): Promise<Ci> => {
      const response = await request(platform.gatewayUrl)
        .post(path)
        .set('authorization', `Bearer ${admin}`)
        .send(body);
      expect([response.status, response.body]).toEqual([201, expect.anything()]);
      return response.body as Ci;
    };
    const prefix = unique('conflicts');
    for (const name of ['a', 'b', 'c', 'd', 'x'] as const) {
      ci[name] = await post('/api/v1/cis', { class: 'application', name: `${prefix}-${name}` });
    }
    // a depends on b, b on c: a and c are two hops apart; d is three hops from a (c depends on d).
    await post('/api/v1/relationships', {
      type: 'depends_on',
      sourceId: ci.a.id,
      targetId: ci.b.id,
    });
    await post('/api/v1/relationships', {
      type: 'depends_on',
      sourceId: ci.b.id,
      targetId: ci.c.id,
    });
    await post('/api/v1/relationships', {
      type: 'depends_on',
      sourceId: ci.c.id,
      targetId: ci.d.id,
    });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function raise(body: object): Promise<ChangeBody> {
    const response = await manager.create('changes', { title: 'Patch', ...body });
    if (response.status !== 201) {
      throw new Error(`create answered ${response.status}: ${JSON.stringify(response.body)}`);
    }
    return response.body as ChangeBody;
  }

  async function conflictsOf(id: string): Promise<Conflict[]> {
    const response = await manager.call('get', `/api/v1/changes/${id}/conflicts`).expect(200);
    return (response.body as { conflicts: Conflict[] }).conflicts;
  }

  const window = (start: string, end: string) => ({ plannedStart: start, plannedEnd: end });

  it('finds another change on the same CI overlapping in time, and announces it', async () => {
    const first = await raise({
      ciIds: [ci.x.id],
      ...window('2029-02-01T20:00:00Z', '2029-02-01T22:00:00Z'),
    });
    const second = await raise({
      ciIds: [ci.x.id],
      ...window('2029-02-01T21:00:00Z', '2029-02-01T23:00:00Z'),
    });
    const found = await conflictsOf(second.id);
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'same_ci',
        ciId: ci.x.id,
        otherChangeId: first.id,
        refused: false,
      }),
    ]);
    expect(found[0].message).toContain(first.number);
    const events = await eventually(async () => {
      const all = await eventsOf(second.id, Topics.changeEvents);
      return all.some((event) => event.type === 'itsm.change.conflicts_detected.v1')
        ? all
        : undefined;
    });
    for (const event of events) validator.assertValid(event.type, event.data);
    const later = await raise({
      ciIds: [ci.x.id],
      ...window('2029-02-02T20:00:00Z', '2029-02-02T22:00:00Z'),
    });
    expect(await conflictsOf(later.id)).toEqual([]);
  });

  it('finds CIs depending on each other within two hops in the CMDB, not three', async () => {
    const onA = await raise({
      ciIds: [ci.a.id],
      ...window('2029-03-01T20:00:00Z', '2029-03-01T22:00:00Z'),
    });
    const onC = await raise({
      ciIds: [ci.c.id],
      ...window('2029-03-01T21:00:00Z', '2029-03-01T23:00:00Z'),
    });
    const found = await conflictsOf(onA.id);
    expect(found).toEqual([
      expect.objectContaining({ kind: 'dependent_ci', ciId: ci.a.id, otherChangeId: onC.id }),
    ]);
    expect(found[0].message).toContain('2 hops');
    const onD = await raise({
      ciIds: [ci.d.id],
      ...window('2029-03-05T20:00:00Z', '2029-03-05T22:00:00Z'),
    });
    const onAAgain = await raise({
      ciIds: [ci.a.id],
      ...window('2029-03-05T20:00:00Z', '2029-03-05T22:00:00Z'),
    });
    expect(
      (await conflictsOf(onAAgain.id)).filter((conflict) => conflict.otherChangeId === onD.id),
    ).toEqual([]);
  });

  it('refuses a change inside a blackout, unless an emergency one with an override reason', async () => {
    const blackout = await manager
      .call('post', '/api/v1/change-windows')
      .send({
        name: unique('Quarter close'),
        kind: 'blackout',
        start: '2029-04-01T00:00:00Z',
        end: '2029-04-03T00:00:00Z',
        ciIds: [ci.b.id],
      })
      .expect(201);
    const refused = await manager
      .create('changes', {
        title: 'Patch b',
        ciIds: [ci.b.id],
        ...window('2029-04-02T10:00:00Z', '2029-04-02T11:00:00Z'),
      })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'SCHEDULE_REFUSED' });
    expect(JSON.stringify(refused.body)).toContain('Quarter close');
    const noReason = await manager
      .create('changes', {
        title: 'Patch b',
        model: 'emergency',
        ciIds: [ci.b.id],
        ...window('2029-04-02T10:00:00Z', '2029-04-02T11:00:00Z'),
      })
      .expect(409);
    expect(noReason.body).toMatchObject({ code: 'SCHEDULE_REFUSED' });
    const overridden = await raise({
      title: 'Patch b',
      model: 'emergency',
      blackoutOverrideReason: 'Actively exploited vulnerability',
      ciIds: [ci.b.id],
      ...window('2029-04-02T10:00:00Z', '2029-04-02T11:00:00Z'),
    });
    expect(await conflictsOf(overridden.id)).toEqual([
      expect.objectContaining({
        kind: 'blackout',
        windowId: (blackout.body as { id: string }).id,
        refused: false,
      }),
    ]);
    await manager
      .create('changes', {
        title: 'x',
        blackoutOverrideReason: 'Because',
        ...window('2029-05-01T10:00:00Z', '2029-05-01T11:00:00Z'),
      })
      .expect(400);

    // Moved into the blackout later: refused too, and nothing changes.
    const outside = await raise({
      ciIds: [ci.b.id],
      ...window('2029-04-05T10:00:00Z', '2029-04-05T11:00:00Z'),
    });
    const moved = await manager.patch(
      'changes',
      outside.id,
      window('2029-04-02T12:00:00Z', '2029-04-02T13:00:00Z'),
    );
    expect(moved.status).toBe(409);
    expect(
      ((await manager.get('changes', outside.id).expect(200)).body as { plannedStart: string })
        .plannedStart,
    ).toBe('2029-04-05T10:00:00.000Z');

    const slot = await manager
      .call('get', `/api/v1/changes/${outside.id}/next-free-slot`)
      .query({ after: '2029-04-01T12:00:00Z' })
      .expect(200);
    expect(slot.body).toMatchObject({
      slot: { start: '2029-04-03T00:00:00.000Z', end: '2029-04-03T01:00:00.000Z' },
    });
  });

  it('flags a change outside the maintenance windows of its CI, across a daylight saving time switch', async () => {
    await manager
      .call('post', '/api/v1/change-windows')
      .send({
        name: unique('Saturday nights'),
        kind: 'maintenance',
        start: '2029-03-10T22:00:00+01:00',
        end: '2029-03-11T02:00:00+01:00',
        recurrence: 'RRULE:FREQ=WEEKLY;BYDAY=SA',
        timeZone: 'Europe/Berlin',
        ciIds: [ci.d.id],
      })
      .expect(201);
    // 22:00 in Berlin is 21:00 UTC before the switch (25 March 2029) and 20:00 UTC after it.
    const afterSwitch = await raise({
      ciIds: [ci.d.id],
      ...window('2029-04-07T20:15:00Z', '2029-04-07T20:45:00Z'),
    });
    expect(await conflictsOf(afterSwitch.id)).toEqual([]);
    const beforeSwitch = await raise({
      ciIds: [ci.d.id],
      ...window('2029-03-17T20:15:00Z', '2029-03-17T20:45:00Z'),
    });
    expect(await conflictsOf(beforeSwitch.id)).toEqual([
      expect.objectContaining({ kind: 'outside_maintenance_window', ciId: ci.d.id }),
    ]);
  });

  it('answers the schedule of a range: its changes and its windows with their occurrences', async () => {
    const change = await raise({
      ciIds: [ci.c.id],
      ...window('2029-06-10T08:00:00Z', '2029-06-10T09:00:00Z'),
    });
    const schedule = await manager
      .call('get', '/api/v1/changes/schedule')
      .query({ from: '2029-06-01T00:00:00Z', to: '2029-07-01T00:00:00Z' })
      .expect(200);
    const body = schedule.body as {
      changes: { id: string }[];
      windows: { occurrences: unknown[] }[];
    };
    expect(body.changes.map((item) => item.id)).toContain(change.id);
    const calendar = await manager
      .call('get', '/api/v1/change-calendar')
      .query({ from: '2029-06-01T00:00:00Z', to: '2029-07-01T00:00:00Z', ciId: ci.c.id })
      .expect(200);
    expect((calendar.body as { changes: { id: string }[] }).changes.map((item) => item.id)).toEqual(
      [change.id],
    );
    await manager
      .call('get', '/api/v1/changes/schedule')
      .query({ from: '2029-07-01T00:00:00Z', to: '2029-06-01T00:00:00Z' })
      .expect(400);
  });

  it('holds the in-flight changes a freeze in force covers, refuses new ones, and releases them when lifted', async () => {
    const frozenCi = randomUUID();
    const held = await raise({
      ciIds: [frozenCi],
      ...window('2029-08-10T20:00:00Z', '2029-08-10T21:00:00Z'),
    });
    const elsewhere = await raise({
      ciIds: [randomUUID()],
      ...window('2029-08-10T20:00:00Z', '2029-08-10T21:00:00Z'),
    });
    const created = await manager
      .call('post', '/api/v1/change-windows')
      .send({
        name: unique('Incident freeze'),
        kind: 'freeze',
        start: '2029-08-01T00:00:00Z',
        end: '2029-08-31T00:00:00Z',
        ciIds: [frozenCi],
      })
      .expect(201);
    const freeze = created.body as { id: string; name: string };
    await manager.call('post', `/api/v1/change-windows/${freeze.id}/enforce`).expect(200);

    const onHold = (await manager.get('changes', held.id).expect(200)).body as ChangeBody;
    expect(onHold).toMatchObject({ onHold: true, heldByWindowId: freeze.id });
    expect(onHold.holdReason).toContain(freeze.name);
    expect(
      ((await manager.get('changes', elsewhere.id).expect(200)).body as ChangeBody).onHold,
    ).toBe(false);
    const stuck = await manager
      .transition('changes', held.id, { to: 'assess', assignmentGroup: 'network' })
      .expect(409);
    expect(JSON.stringify(stuck.body)).toContain(freeze.name);
    const refused = await manager
      .create('changes', {
        title: 'During the freeze',
        ciIds: [frozenCi],
        ...window('2029-09-10T20:00:00Z', '2029-09-10T21:00:00Z'),
      })
      .expect(409);
    expect(refused.body).toMatchObject({ code: 'SCHEDULE_REFUSED' });

    await manager.call('post', `/api/v1/change-windows/${freeze.id}/lift`).expect(200);
    expect((await manager.get('changes', held.id).expect(200)).body).toMatchObject({
      onHold: false,
      heldByWindowId: null,
    });
    await manager
      .transition('changes', held.id, { to: 'assess', assignmentGroup: 'network' })
      .expect(200);
    // Lifted, the freeze no longer refuses what it refused in force, past its own dates.
    await manager
      .create('changes', {
        title: 'After the freeze',
        ciIds: [frozenCi],
        ...window('2029-09-10T20:00:00Z', '2029-09-10T21:00:00Z'),
      })
      .expect(201);
    const events = await eventually(async () => {
      const all = await eventsOf(held.id, Topics.changeEvents);
      return all.some((event) => event.type === 'itsm.change.released.v1') ? all : undefined;
    });
    expect(events.map((event) => event.type)).toContain('itsm.change.put_on_hold.v1');
  });
});
