import { randomUUID } from 'node:crypto';
import request, { type Response } from 'supertest';
import {
  ChangeWindowEventTypes,
  EventValidator,
  Topics,
  fromKafkaRecord,
  type ChangeWindowEventV1,
  type ItsmCloudEvent,
} from '@itsm/contracts';
import {
  OpenApiConformance,
  RunningPlatform,
  directClient,
  eventually,
  queryTestDatabase,
  readWholeTopic,
  testKafka,
  tokenFor,
} from '@itsm/testing';

interface Occurrence {
  start: string;
  end: string;
}

interface WindowBody {
  id: string;
  name: string;
  kind: string;
  start: string;
  end: string;
  recurrence: string | null;
  timeZone: string | null;
  active: boolean;
  inForce: boolean;
  version: number;
  occurrences?: Occurrence[];
  [field: string]: unknown;
}

interface Page {
  items: WindowBody[];
  nextCursor: string | null;
}

const COLLECTION = '/api/v1/change-windows';

/**
 * Saturday 22:00 to Sunday 02:00 in Berlin every week, from the Saturday before the March
 * switch. Scoped to a CI of its own: a whole-estate maintenance window never ending would
 * put every change the other suites plan outside it.
 */
const SATURDAY_NIGHTS = {
  ciIds: [randomUUID()],
  name: 'Saturday night maintenance',
  kind: 'maintenance',
  start: '2026-03-21T22:00:00+01:00',
  end: '2026-03-22T02:00:00+01:00',
  recurrence: 'RRULE:FREQ=WEEKLY;BYDAY=SA',
  timeZone: 'Europe/Berlin',
};

/**
 * Change windows through the gateway, with the change service's real PostgreSQL and Kafka:
 * defining and validating them, their occurrences across a daylight saving time switch,
 * lists, changes with If-Match, freezes put in force and lifted, retiring, permissions,
 * and the events on the change topic. Each test names or dates its windows apart, so that
 * it reads only what it made among whatever else the run did.
 */
describe('change windows through the gateway', () => {
  let platform: RunningPlatform;
  let conformance: OpenApiConformance;
  const tokens = new Map<string, string>();
  const validator = new EventValidator();

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'change']);
    for (const user of ['change_manager', 'cab_member', 'agent', 'requester'])
      tokens.set(user, await tokenFor(platform.gatewayUrl, user));
    conformance = await OpenApiConformance.of(platform.service('change').url);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const as = (user: string) => ({ authorization: `Bearer ${tokens.get(user)}` });

  function create(body: object, user = 'change_manager'): request.Test {
    return request(platform.gatewayUrl).post(COLLECTION).set(as(user)).send(body);
  }

  function read(path: string, user = 'cab_member'): request.Test {
    return request(platform.gatewayUrl).get(`${COLLECTION}${path}`).set(as(user));
  }

  function patch(
    id: string,
    body: object,
    ifMatch?: string,
    user = 'change_manager',
  ): request.Test {
    const sent = request(platform.gatewayUrl).patch(`${COLLECTION}/${id}`).set(as(user));
    if (ifMatch) sent.set('if-match', ifMatch);
    return sent.send(body);
  }

  function post(id: string, step: 'enforce' | 'lift', user = 'change_manager'): request.Test {
    return request(platform.gatewayUrl).post(`${COLLECTION}/${id}/${step}`).set(as(user));
  }

  function retire(id: string, ifMatch?: string): request.Test {
    const sent = request(platform.gatewayUrl)
      .delete(`${COLLECTION}/${id}`)
      .set(as('change_manager'));
    return ifMatch ? sent.set('if-match', ifMatch) : sent;
  }

  async function defined(body: object): Promise<WindowBody> {
    return (await create(body).expect(201)).body as WindowBody;
  }

  function expectConforms(method: string, path: string, response: Response): void {
    expect(conformance.errors(method, path, response.status, response.body)).toEqual([]);
  }

  function expectProblem(response: Response, field?: string): void {
    expect(response.headers['content-type']).toContain('application/problem+json');
    if (field)
      expect((response.body as { errors: { field: string }[] }).errors).toEqual(
        expect.arrayContaining([expect.objectContaining({ field })]),
      );
  }

  /** The change topic's events about one window, in order, once there are `count`. */
  async function eventsOf(
    id: string,
    count: number,
  ): Promise<ItsmCloudEvent<ChangeWindowEventV1>[]> {
    return eventually(
      async () => {
        const events = (await readWholeTopic(testKafka(), Topics.changeEvents))
          .filter(({ message }) => message.key?.toString() === id)
          .map(({ message }) => fromKafkaRecord(message) as ItsmCloudEvent<ChangeWindowEventV1>);
        return events.length >= count ? events : undefined;
      },
      { description: `${count} event(s) of change window ${id}` },
    );
  }

  it('defines a recurring window: 201 with Location and ETag, normalised, readable by a CAB member, and announced', async () => {
    const ciId = randomUUID();
    const response = await create({
      ...SATURDAY_NIGHTS,
      timeZone: 'europe/berlin',
      ciIds: [ciId],
      ciClasses: ['server'],
      description: 'Patching of the web tier',
    }).expect(201);
    const window = response.body as WindowBody;
    expect(window).toMatchObject({
      name: 'Saturday night maintenance',
      kind: 'maintenance',
      description: 'Patching of the web tier',
      start: '2026-03-21T21:00:00.000Z',
      end: '2026-03-22T01:00:00.000Z',
      recurrence: 'FREQ=WEEKLY;BYDAY=SA',
      timeZone: 'Europe/Berlin',
      ciIds: [ciId],
      businessServiceIds: [],
      ciClasses: ['server'],
      active: true,
      inForce: false,
      createdBy: 'change_manager',
      updatedBy: 'change_manager',
      version: 1,
    });
    expect(response.headers.location).toBe(`${COLLECTION}/${window.id}`);
    expect(response.headers.etag).toBe('"1"');
    expectConforms('post', COLLECTION, response);

    const readBack = await read(`/${window.id}`).expect(200);
    expect(readBack.body).toEqual(window);
    expect(readBack.headers.etag).toBe('"1"');
    expectConforms('get', `${COLLECTION}/{id}`, readBack);

    const [event] = await eventsOf(window.id, 1);
    expect(event).toMatchObject({
      type: ChangeWindowEventTypes.created,
      source: '/itsm/change',
      subject: window.id,
      data: { window, previous: {} },
    });
    expect(event?.data.changedFields).toEqual(
      expect.arrayContaining(['name', 'kind', 'start', 'end', 'recurrence', 'timeZone', 'ciIds']),
    );
    expect(() => validator.assertValid(event.type, event.data)).not.toThrow();
    // Scoped to every server, it would put other suites' changes on servers outside it.
    await retire(window.id, '"1"').expect(200);
  });

  it('answers a retried create with the first answer and defines it once', async () => {
    const name = `Retried ${randomUUID()}`;
    const key = randomUUID();
    const body = { ...SATURDAY_NIGHTS, name };
    const first = await create(body).set('idempotency-key', key).expect(201);
    const again = await create(body).set('idempotency-key', key).expect(201);
    expect(again.body).toEqual(first.body);
    const [row] = await queryTestDatabase<{ n: number }>(
      'SELECT count(*)::int AS n FROM change.change_windows WHERE name = $1',
      [name],
    );
    expect(row?.n).toBe(1);
  });

  it.each([
    ['an end before the start', { end: '2026-03-21T21:00:00+01:00' }, 'end'],
    ['a start without its offset', { start: '2026-03-21T22:00:00' }, 'start'],
    ['a start that is no date', { start: 'Saturday night' }, 'start'],
    ['a start in the year 0', { start: '0000-03-21T22:00:00+01:00' }, 'start'],
    [
      'a rule that selects no day of any year',
      {
        start: '2026-01-30T22:00:00Z',
        end: '2026-01-30T23:00:00Z',
        recurrence: 'FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30',
      },
      'recurrence',
    ],
    ['no name', { name: undefined }, 'name'],
    ['a blank name', { name: '   ' }, 'name'],
    ['an unknown kind', { kind: 'outage' }, 'kind'],
    ['a recurrence that is no RRULE', { recurrence: 'every saturday' }, 'recurrence'],
    ['an hourly recurrence', { recurrence: 'FREQ=HOURLY' }, 'recurrence'],
    [
      'a recurrence with its own time of day',
      { recurrence: 'FREQ=WEEKLY;BYHOUR=22' },
      'recurrence',
    ],
    [
      'a recurrence that does not select the start',
      { recurrence: 'FREQ=WEEKLY;BYDAY=SU' },
      'recurrence',
    ],
    [
      'COUNT and UNTIL together',
      { recurrence: 'FREQ=WEEKLY;COUNT=2;UNTIL=20261231' },
      'recurrence',
    ],
    ['a recurrence without a time zone', { timeZone: undefined }, 'timeZone'],
    ['a time zone that does not exist', { timeZone: 'Europe/Atlantis' }, 'timeZone'],
    ['a bare offset for a time zone', { timeZone: '+01:00' }, 'timeZone'],
    ['a CI that is no UUID', { ciIds: ['web-01'] }, 'ciIds'],
    ['a field the API does not know', { severity: 'high' }, 'severity'],
  ])('refuses %s (%j) with a problem naming %s', async (_what, fields, field) => {
    const response = await create({ ...SATURDAY_NIGHTS, ...fields }).expect(400);
    expectProblem(response, field);
    expectConforms('post', COLLECTION, response);
  });

  it('lists a recurring window with its occurrences in a range across the switch to summer time, keeping 22:00 in Berlin', async () => {
    const name = `DST ${randomUUID()}`;
    // A date-only UNTIL ends with that day in the window's zone (stored as RFC 5545 wants it).
    const window = await defined({
      ...SATURDAY_NIGHTS,
      name,
      recurrence: 'FREQ=WEEKLY;BYDAY=SA;UNTIL=20261231',
    });
    expect(window.recurrence).toBe('FREQ=WEEKLY;BYDAY=SA;UNTIL=20261231T225959Z');
    const range = { from: '2026-03-20T00:00:00Z', to: '2026-04-06T00:00:00Z' };
    const expected = [
      { start: '2026-03-21T21:00:00.000Z', end: '2026-03-22T01:00:00.000Z' },
      { start: '2026-03-28T21:00:00.000Z', end: '2026-03-29T01:00:00.000Z' },
      { start: '2026-04-04T20:00:00.000Z', end: '2026-04-05T00:00:00.000Z' },
    ];

    const occurrences = await read(`/${window.id}/occurrences`).query(range).expect(200);
    expect(occurrences.body).toEqual({ items: expected });
    expectConforms('get', `${COLLECTION}/{id}/occurrences`, occurrences);

    const listed: WindowBody[] = [];
    let cursor: string | undefined;
    do {
      const page = await read('')
        .query({ ...range, kind: 'maintenance', limit: 100, ...(cursor ? { cursor } : {}) })
        .expect(200);
      expectConforms('get', COLLECTION, page);
      listed.push(...(page.body as Page).items);
      cursor = (page.body as Page).nextCursor ?? undefined;
    } while (cursor);
    expect(listed.find((item) => item.id === window.id)).toEqual({
      ...window,
      occurrences: expected,
    });
    expect(listed.every((item) => (item.occurrences ?? []).length > 0)).toBe(true);

    // Autumn: 22:00 in Berlin is 21:00 UTC again after 25 October.
    const autumn = await read(`/${window.id}/occurrences`)
      .query({ from: '2026-10-20T00:00:00Z', to: '2026-11-02T00:00:00Z' })
      .expect(200);
    expect((autumn.body as { items: Occurrence[] }).items.map((o) => o.start)).toEqual([
      '2026-10-24T20:00:00.000Z',
      '2026-10-31T21:00:00.000Z',
    ]);
  });

  it('refuses a range without both ends, backwards, or longer than 400 days', async () => {
    expectProblem(await read('').query({ from: '2026-03-01T00:00:00Z' }).expect(400), 'to');
    expectProblem(await read('').query({ to: '2026-03-01T00:00:00Z' }).expect(400), 'from');
    expectProblem(
      await read('')
        .query({ from: '2026-03-01T00:00:00Z', to: '2026-02-01T00:00:00Z' })
        .expect(400),
      'to',
    );
    const window = await defined({ ...SATURDAY_NIGHTS, name: `Range ${randomUUID()}` });
    expectProblem(
      await read(`/${window.id}/occurrences`)
        .query({ from: '2026-01-01T00:00:00Z', to: '2027-03-01T00:00:00Z' })
        .expect(400),
      'to',
    );
    expectProblem(await read(`/${window.id}/occurrences`).expect(400), 'from');
  });

  it('pages a filtered list by first start, leaving out windows with no occurrence in the range', async () => {
    // Blackouts in 2031, a year nothing else in the run uses.
    const days = ['2031-05-03', '2031-05-10', '2031-05-17'];
    const blackouts: WindowBody[] = [];
    for (const day of days)
      blackouts.push(
        await defined({
          name: `Blackout ${day}`,
          kind: 'blackout',
          start: `${day}T00:00:00Z`,
          end: `${day}T06:00:00Z`,
        }),
      );
    await defined({
      name: 'Later',
      kind: 'blackout',
      start: '2031-07-01T00:00:00Z',
      end: '2031-07-02T00:00:00Z',
    });
    const range = {
      from: '2031-05-01T00:00:00Z',
      to: '2031-06-01T00:00:00Z',
      kind: 'blackout,freeze',
    };
    const first = await read('')
      .query({ ...range, limit: 2 })
      .expect(200);
    const firstPage = first.body as Page;
    expect(firstPage.items.map((item) => item.id)).toEqual(blackouts.slice(0, 2).map((b) => b.id));
    expect(firstPage.nextCursor).toEqual(expect.any(String));
    const second = await read('')
      .query({ ...range, limit: 2, cursor: firstPage.nextCursor })
      .expect(200);
    expect((second.body as Page).items.map((item) => item.id)).toEqual([blackouts[2].id]);
    expect((second.body as Page).nextCursor).toBeNull();
    expectProblem(await read('').query({ cursor: 'not-a-cursor' }).expect(400), 'cursor');
    expectProblem(await read('').query({ kind: 'outage' }).expect(400), 'kind');
  });

  it('changes a window with If-Match: 428 without, 412 when stale, re-checked as a whole, announced with the previous values', async () => {
    const window = await defined({ ...SATURDAY_NIGHTS, name: `Patch ${randomUUID()}` });
    expectProblem(await patch(window.id, { name: 'x' }).expect(428));
    expectProblem(await patch(window.id, { name: 'x' }, '"7"').expect(412));
    expectProblem(await patch(window.id, { timeZone: null }, '"1"').expect(400), 'timeZone');
    expectProblem(await patch(window.id, { name: null }, '"1"').expect(400), 'name');

    const response = await patch(
      window.id,
      { name: 'Saturday late maintenance', start: '2026-03-21T23:00:00+01:00' },
      '"1"',
    ).expect(200);
    expect(response.body).toMatchObject({
      name: 'Saturday late maintenance',
      start: '2026-03-21T22:00:00.000Z',
      version: 2,
    });
    expect(response.headers.etag).toBe('"2"');
    expectConforms('patch', `${COLLECTION}/{id}`, response);

    const history = await read(`/${window.id}/history`).expect(200);
    expectConforms('get', `${COLLECTION}/{id}/history`, history);
    const entries = (history.body as { items: { field: string; actor: string }[] }).items;
    expect(entries.map((entry) => entry.field)).toEqual([
      'name',
      'kind',
      'start',
      'end',
      'recurrence',
      'timeZone',
      'ciIds',
      'active',
      'name',
      'start',
    ]);
    expect(entries.at(-1)).toMatchObject({
      field: 'start',
      oldValue: '2026-03-21T21:00:00.000Z',
      newValue: '2026-03-21T22:00:00.000Z',
      actor: 'change_manager',
    });

    const events = await eventsOf(window.id, 2);
    expect(events[1]).toMatchObject({
      type: ChangeWindowEventTypes.updated,
      data: {
        changedFields: ['name', 'start'],
        previous: { name: window.name, start: '2026-03-21T21:00:00.000Z' },
      },
    });
    expect(() => validator.assertValid(events[1].type, events[1].data)).not.toThrow();
  });

  it('puts a freeze in force and lifts it, refusing what a freeze in force does not allow', async () => {
    const freeze = await defined({
      name: `Freeze ${randomUUID()}`,
      kind: 'freeze',
      start: '2026-12-15T00:00:00Z',
      end: '2027-01-05T00:00:00Z',
      ciClasses: ['database'],
    });
    const enforced = await post(freeze.id, 'enforce').expect(200);
    expect(enforced.body).toMatchObject({
      inForce: true,
      enforcedBy: 'change_manager',
      version: 2,
    });
    expect(enforced.headers.etag).toBe('"2"');
    expectConforms('post', `${COLLECTION}/{id}/enforce`, enforced);

    const again = await post(freeze.id, 'enforce').expect(409);
    expectProblem(again);
    expect(again.body).toMatchObject({ code: 'ALREADY_IN_FORCE' });
    const rescoped = await patch(freeze.id, { ciClasses: ['server'] }, '"2"').expect(409);
    expect(rescoped.body).toMatchObject({
      code: 'FREEZE_IN_FORCE',
      detail: expect.stringContaining('lift it before changing ciClasses') as string,
    });
    expectProblem(await retire(freeze.id, '"2"').expect(409));
    const inForce = await read('').query({ inForce: true, kind: 'freeze', limit: 500 }).expect(200);
    expect((inForce.body as Page).items.map((item) => item.id)).toContain(freeze.id);

    const lifted = await post(freeze.id, 'lift').expect(200);
    expect(lifted.body).toMatchObject({ inForce: false, liftedBy: 'change_manager', version: 3 });
    expectProblem(await post(freeze.id, 'lift').expect(409));

    const maintenance = await defined({ ...SATURDAY_NIGHTS, name: `Not a freeze ${randomUUID()}` });
    const refused = await post(maintenance.id, 'enforce').expect(409);
    expectProblem(refused);
    expect(refused.body).toMatchObject({
      code: 'NOT_A_FREEZE',
      detail: expect.stringContaining('Only a freeze is put in force') as string,
    });
    expectProblem(await post(randomUUID(), 'enforce').expect(404));

    const events = await eventsOf(freeze.id, 3);
    expect(events.map((event) => event.type)).toEqual([
      ChangeWindowEventTypes.created,
      ChangeWindowEventTypes.enforced,
      ChangeWindowEventTypes.lifted,
    ]);
    expect(events[1]?.data.changedFields).toEqual(['inForce', 'enforcedAt', 'enforcedBy']);
    for (const event of events)
      expect(() => validator.assertValid(event.type, event.data)).not.toThrow();
  });

  it('retires a window: still readable, no longer active nor changeable, once', async () => {
    const window = await defined({ ...SATURDAY_NIGHTS, name: `Retire ${randomUUID()}` });
    expectProblem(await retire(window.id).expect(428));
    const retired = await retire(window.id, '"1"').expect(200);
    expect(retired.body).toMatchObject({ active: false, retiredBy: 'change_manager', version: 2 });
    expectConforms('delete', `${COLLECTION}/{id}`, retired);
    expect((await read(`/${window.id}`).expect(200)).body).toEqual(retired.body);
    expectProblem(await patch(window.id, { active: true }, '"2"').expect(409));
    const again = await retire(window.id, '"2"').expect(200);
    expect(again.body).toEqual(retired.body);
    const inactive = await read('').query({ active: false, limit: 500 }).expect(200);
    expect((inactive.body as Page).items.map((item) => item.id)).toContain(window.id);

    const events = await eventsOf(window.id, 2);
    expect(events.map((event) => event.type)).toEqual([
      ChangeWindowEventTypes.created,
      ChangeWindowEventTypes.retired,
    ]);
    expect(events[1]?.data.changedFields).toEqual(['active', 'retiredAt', 'retiredBy']);
  });

  it('lets change managers write, CAB members only read, agents read but not write, requesters nothing', async () => {
    const window = await defined({ ...SATURDAY_NIGHTS, name: `Permissions ${randomUUID()}` });
    expectProblem(await create(SATURDAY_NIGHTS, 'cab_member').expect(403));
    expectProblem(await create(SATURDAY_NIGHTS, 'agent').expect(403));
    expectProblem(await patch(window.id, { name: 'x' }, '"1"', 'agent').expect(403));
    expectProblem(await post(window.id, 'enforce', 'agent').expect(403));
    await read(`/${window.id}`, 'agent').expect(200);
    await read('', 'cab_member').expect(200);
    expectProblem(await read('', 'requester').expect(403));
    // The service checks again, whoever reaches it without the gateway's check.
    const change = platform.service('change').url;
    expectProblem(
      await directClient('change', change, 'agent')
        .post(COLLECTION)
        .send(SATURDAY_NIGHTS)
        .expect(403),
    );
    await directClient('change', change, 'cab_member')
      .get(`${COLLECTION}/${window.id}`)
      .expect(200);
  });

  it('shows the blackouts and freezes at /api/v1/blackout-windows, defining a blackout there', async () => {
    const blackouts = '/api/v1/blackout-windows';
    const body = {
      name: 'Year-end close',
      start: '2031-12-28T00:00:00Z',
      end: '2032-01-03T00:00:00Z',
      ciIds: [randomUUID()],
    };
    const created = await request(platform.gatewayUrl)
      .post(blackouts)
      .set(as('change_manager'))
      .send(body)
      .expect(201);
    const blackout = created.body as WindowBody;
    expect(blackout).toMatchObject({ name: 'Year-end close', kind: 'blackout', active: true });
    expect(created.headers['location']).toBe(`${COLLECTION}/${blackout.id}`);
    expectConforms('post', blackouts, created);
    await read(`/${blackout.id}`).expect(200);

    const maintenance = await defined({
      ...body,
      name: 'Year-end maintenance',
      kind: 'maintenance',
    });
    const refused = await request(platform.gatewayUrl)
      .post(blackouts)
      .set(as('change_manager'))
      .send({ ...body, kind: 'maintenance' })
      .expect(400);
    expectProblem(refused, 'kind');

    const range = '?from=2031-12-01T00:00:00Z&to=2032-02-01T00:00:00Z&limit=500';
    const listed = await request(platform.gatewayUrl)
      .get(`${blackouts}${range}`)
      .set(as('cab_member'))
      .expect(200);
    const ids = (listed.body as Page).items.map((item) => item.id);
    expect(ids).toContain(blackout.id);
    expect(ids).not.toContain(maintenance.id);
    await request(platform.gatewayUrl)
      .get(`${blackouts}/${blackout.id}`)
      .set(as('cab_member'))
      .expect(200);
    expectProblem(
      await request(platform.gatewayUrl)
        .get(`${blackouts}/${maintenance.id}`)
        .set(as('cab_member'))
        .expect(404),
    );
  });
});
