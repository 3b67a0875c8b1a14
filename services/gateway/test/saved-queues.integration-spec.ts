import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import { OpenApiConformance, RunningPlatform, tokenFor } from '@itsm/testing';

interface SavedQueue {
  id: string;
  name: string;
  list: string;
  parameters: Record<string, string>;
  position: number;
  isDefault: boolean;
  version: number;
}

const COLLECTION = '/api/v1/me/saved-queues';
const ITEM = `${COLLECTION}/{id}`;

/** Saved queues at the gateway, against its real PostgreSQL (docs/saved-queues.md). */
describe('saved queues', () => {
  let platform: RunningPlatform;
  let conformance: OpenApiConformance;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway']);
    conformance = await OpenApiConformance.of(platform.gatewayUrl);
    for (const user of ['agent', 'requester', 'incident_manager'])
      tokens.set(user, await tokenFor(platform.gatewayUrl, user));
    // The test database outlives runs: start each user with no queues.
    for (const user of tokens.keys())
      for (const queue of (await call(user, 'get', COLLECTION)).body.items as SavedQueue[])
        await call(user, 'delete', `${COLLECTION}/${queue.id}`);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  /** A request as `user`, its answer checked against the gateway's OpenAPI document. */
  async function call(
    user: string,
    method: 'get' | 'post' | 'patch' | 'delete',
    path: string,
    body?: object,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    let sent = request(platform.gatewayUrl)
      [method](path)
      .set('authorization', `Bearer ${tokens.get(user)}`);
    for (const [name, value] of Object.entries(headers)) sent = sent.set(name, value);
    const response = await (body ? sent.send(body) : sent);
    const template = path === COLLECTION ? COLLECTION : ITEM;
    const answered: unknown = response.status === 204 ? response.text : response.body;
    expect(conformance.errors(method, template, response.status, answered)).toEqual([]);
    if (response.status >= 400)
      expect(response.headers['content-type']).toContain('application/problem+json');
    return response;
  }

  const list = async (user: string) =>
    ((await call(user, 'get', COLLECTION)).body as { items: SavedQueue[] }).items;

  const patch = (user: string, queue: SavedQueue, body: object) =>
    call(user, 'patch', `${COLLECTION}/${queue.id}`, body, { 'if-match': `"${queue.version}"` });

  it('are created, listed in order, renamed, moved, made default and deleted', async () => {
    const p1 = await call('agent', 'post', COLLECTION, {
      name: 'Network P1s',
      list: 'incidents',
      parameters: { priority: 'P1', assignmentGroup: 'network', sort: 'priority' },
    });
    expect(p1.status).toBe(201);
    const first = p1.body as SavedQueue;
    expect(first).toMatchObject({
      name: 'Network P1s',
      list: 'incidents',
      parameters: { assignmentGroup: 'network', priority: 'P1', sort: 'priority' },
      position: 0,
      isDefault: false,
      version: 1,
    });
    expect(p1.headers.location).toBe(`${COLLECTION}/${first.id}`);
    expect(p1.headers.etag).toBe('"1"');

    const second = (
      await call('agent', 'post', COLLECTION, {
        name: 'Printers',
        list: 'requests',
        parameters: { catalogItem: 'printer', q: 'toner' },
        isDefault: true,
      })
    ).body as SavedQueue;
    const third = (
      await call('agent', 'post', COLLECTION, { name: 'Everything', list: 'incidents' })
    ).body as SavedQueue;
    expect(second).toMatchObject({ position: 1, isDefault: true });
    expect(third).toMatchObject({ position: 2, parameters: {} });
    expect((await list('agent')).map((queue) => queue.name)).toEqual([
      'Network P1s',
      'Printers',
      'Everything',
    ]);

    const one = await call('agent', 'get', `${COLLECTION}/${second.id}`);
    expect(one.body).toEqual(second);
    expect(one.headers.etag).toBe(`"${second.version}"`);

    // Rename and change its filters.
    const renamed = await patch('agent', first, {
      name: 'Network P1 and P2',
      parameters: { priority: 'P1,P2', assignmentGroup: 'network' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({
      name: 'Network P1 and P2',
      parameters: { priority: 'P1,P2', assignmentGroup: 'network' },
      version: 2,
    });
    expect(renamed.headers.etag).toBe('"2"');
    // The version read first is stale now; none at all is refused too.
    expect((await patch('agent', first, { name: 'Stale' })).status).toBe(412);
    expect((await call('agent', 'patch', `${COLLECTION}/${first.id}`, {})).status).toBe(428);

    // Move the last to the front: the others keep their order.
    const moved = await patch('agent', third, { position: 0 });
    expect(moved.body).toMatchObject({ position: 0 });
    expect((await list('agent')).map((queue) => [queue.name, queue.position])).toEqual([
      ['Everything', 0],
      ['Network P1 and P2', 1],
      ['Printers', 2],
    ]);

    // Another default: the first stops being one.
    const current = (await list('agent')).find((queue) => queue.id === first.id)!;
    await patch('agent', current, { isDefault: true });
    expect(
      (await list('agent')).filter((queue) => queue.isDefault).map((queue) => queue.name),
    ).toEqual(['Network P1 and P2']);

    // Delete the one in the middle: those after it move up.
    expect((await call('agent', 'delete', `${COLLECTION}/${first.id}`)).status).toBe(204);
    expect((await list('agent')).map((queue) => [queue.name, queue.position])).toEqual([
      ['Everything', 0],
      ['Printers', 1],
    ]);
    expect((await call('agent', 'get', `${COLLECTION}/${first.id}`)).status).toBe(404);
  });

  it('are each user’s own: another’s is not found, whoever asks', async () => {
    const mine = (
      await call('requester', 'post', COLLECTION, {
        name: 'My open incidents',
        list: 'incidents',
        parameters: { requester: 'requester', state: 'new,in_progress' },
      })
    ).body as SavedQueue;
    // The same name is free for someone else.
    expect(
      (
        await call('incident_manager', 'post', COLLECTION, {
          name: 'My open incidents',
          list: 'incidents',
        })
      ).status,
    ).toBe(201);

    expect((await list('incident_manager')).map((queue) => queue.id)).not.toContain(mine.id);
    const path = `${COLLECTION}/${mine.id}`;
    expect((await call('incident_manager', 'get', path)).status).toBe(404);
    expect(
      (await call('incident_manager', 'patch', path, { name: 'Taken over' }, { 'if-match': '"1"' }))
        .status,
    ).toBe(404);
    expect((await call('incident_manager', 'delete', path)).status).toBe(404);
    expect((await call('requester', 'get', path)).body).toMatchObject({
      name: 'My open incidents',
    });

    const missing = `${COLLECTION}/${randomUUID()}`;
    expect((await call('requester', 'delete', missing)).status).toBe(404);
    expect((await call('requester', 'patch', missing, {}, { 'if-match': '"1"' })).status).toBe(404);
    const malformed = await call('requester', 'get', `${COLLECTION}/INC0001001`);
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ errors: [{ field: 'id', message: 'must be a UUID' }] });

    await request(platform.gatewayUrl).get(COLLECTION).expect(401);
  });

  it('refuse a name taken (whatever its case), unknown parameters and bad values, naming the field', async () => {
    await call('agent', 'post', COLLECTION, { name: 'Database', list: 'incidents' });
    const taken = await call('agent', 'post', COLLECTION, { name: 'DATABASE', list: 'requests' });
    expect(taken.status).toBe(409);
    expect(taken.body).toMatchObject({
      type: 'https://itsm.dev/problems/saved-queue-exists',
      errors: [{ field: 'name' }],
    });
    const other = (await call('agent', 'post', COLLECTION, { name: 'Other', list: 'incidents' }))
      .body as SavedQueue;
    expect((await patch('agent', other, { name: 'database' })).status).toBe(409);

    const refusals: [object, string[]][] = [
      [{ name: 'x', list: 'incidents', parameters: { limit: '10' } }, ['parameters.limit']],
      [
        { name: 'x', list: 'incidents', parameters: { catalogItem: 'mouse' } },
        ['parameters.catalogItem'],
      ],
      [{ name: 'x', list: 'requests', parameters: { major: 'true' } }, ['parameters.major']],
      [{ name: 'x', list: 'incidents', parameters: { q: 'x'.repeat(501) } }, ['parameters.q']],
      [{ name: 'x', list: 'incidents', parameters: { state: 7 } }, ['parameters.state']],
      [{ name: 'x', list: 'incidents', parameters: ['state'] }, ['parameters', 'parameters[0]']],
      [{ name: ' padded', list: 'incidents' }, ['name']],
      [{ name: 'y'.repeat(101), list: 'incidents' }, ['name']],
      [{ name: 'x', list: 'changes' }, ['list']],
      [{ name: 'x', list: 'incidents', owner: 'admin' }, ['owner']],
    ];
    for (const [body, fields] of refusals) {
      const refused = await call('agent', 'post', COLLECTION, body);
      expect({ body, status: refused.status }).toEqual({ body, status: 400 });
      const named = (refused.body as { errors: { field: string }[] }).errors.map((e) => e.field);
      expect({ body, named: [...new Set(named)] }).toEqual({ body, named: fields });
    }
    // A list changed under parameters it does not take.
    const incidents = (
      await call('agent', 'post', COLLECTION, {
        name: 'Majors',
        list: 'incidents',
        parameters: { major: 'true' },
      })
    ).body as SavedQueue;
    const switched = await patch('agent', incidents, { list: 'requests' });
    expect(switched.status).toBe(400);
    expect(switched.body).toMatchObject({ errors: [{ field: 'parameters.major' }] });
    expect((await patch('agent', incidents, { position: 50 })).status).toBe(400);
  });

  it('are at most 50 per user', async () => {
    const existing = (await list('incident_manager')).length;
    for (let index = existing; index < 50; index++)
      expect(
        (
          await call('incident_manager', 'post', COLLECTION, {
            name: `Q${index}`,
            list: 'requests',
          })
        ).status,
      ).toBe(201);
    const refused = await call('incident_manager', 'post', COLLECTION, {
      name: 'One too many',
      list: 'requests',
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      type: 'https://itsm.dev/problems/too-many-saved-queues',
      limit: 50,
    });
    expect(await list('incident_manager')).toHaveLength(50);
  });
});
