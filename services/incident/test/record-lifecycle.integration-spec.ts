import { randomUUID } from 'node:crypto';
import { EventTypes, Topics, toKafkaRecord } from '@itsm/contracts';
import {
  RecordsApi,
  RunningPlatform,
  eventsOf,
  eventually,
  problemIncidentsLinkedEvent,
  testKafka,
  type ServiceRecordKind,
} from '@itsm/testing';
import { type Producer } from 'kafkajs';

interface RecordBody {
  id: string;
  number: string;
  state: string;
  priority: string;
  version: number;
  [field: string]: unknown;
}

const INCIDENT = { title: 'Printer on fire', description: 'Third floor', impact: 2, urgency: 2 };
const REQUEST = {
  title: 'New laptop',
  description: 'For the new starter',
  catalogItem: 'laptop-standard',
};

/** The specification (PRODUCT.md) pair by pair; the API must agree with it. */
const ALLOWED: Record<ServiceRecordKind, Record<string, string[]>> = {
  incidents: {
    new: ['in_progress', 'cancelled'],
    in_progress: ['on_hold', 'resolved', 'cancelled'],
    on_hold: ['in_progress', 'cancelled'],
    resolved: ['closed', 'in_progress'],
    closed: [],
    cancelled: [],
  },
  requests: {
    submitted: ['approved', 'rejected', 'cancelled'],
    approved: ['fulfilling', 'cancelled'],
    fulfilling: ['fulfilled', 'cancelled'],
    fulfilled: ['closed'],
    closed: [],
    rejected: [],
    cancelled: [],
  },
};

/** How to reach each state from the initial one. */
const PATH: Record<ServiceRecordKind, Record<string, string[]>> = {
  incidents: {
    new: [],
    in_progress: ['in_progress'],
    on_hold: ['in_progress', 'on_hold'],
    resolved: ['in_progress', 'resolved'],
    closed: ['in_progress', 'resolved', 'closed'],
    cancelled: ['cancelled'],
  },
  requests: {
    submitted: [],
    approved: ['approved'],
    fulfilling: ['approved', 'fulfilling'],
    fulfilled: ['approved', 'fulfilling', 'fulfilled'],
    closed: ['approved', 'fulfilling', 'fulfilled', 'closed'],
    rejected: ['rejected'],
    cancelled: ['cancelled'],
  },
};

function fieldsFor(from: string, to: string): Record<string, unknown> {
  if (from === 'resolved' && to === 'in_progress') return { reason: 'It is back' };
  const needs: Record<string, Record<string, unknown>> = {
    on_hold: { holdReason: 'awaiting_vendor' },
    resolved: { resolutionCode: 'solved_permanently', resolutionNotes: 'Replaced the fuser' },
    fulfilled: { resolutionNotes: 'Handed over' },
    cancelled: { reason: 'Raised twice' },
    rejected: { reason: 'Not in the catalog' },
  };
  return needs[to] ?? {};
}

/** With the default configuration. */
describe('incidents and requests through the gateway', () => {
  let platform: RunningPlatform;
  let producer: Producer;
  let agent: RecordsApi;
  let requester: RecordsApi;
  let manager: RecordsApi;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    manager = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    await agent.untilGroupsKnown(['service-desk', 'network']);
    producer = testKafka().producer();
    await producer.connect();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await platform?.stop();
  });

  /** The agent's P3 -> P1 override with its reason is in the history; the record's events once priority_changed is out. */
  async function expectOverrideRecorded(incidentId: string) {
    const history = (await agent.history('incidents', incidentId).expect(200)).body as {
      items: { field: string; oldValue: unknown; newValue: unknown; actor: string }[];
    };
    expect(history.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          field: 'priority',
          oldValue: 'P3',
          newValue: 'P1',
          actor: 'agent',
        }),
        expect.objectContaining({
          field: 'priorityOverrideReason',
          oldValue: null,
          newValue: 'Board meeting at 10',
        }),
      ]),
    );
    return eventually(async () => {
      const all = await eventsOf(incidentId);
      return all.some((event) => event.type === EventTypes.incident.priorityChanged)
        ? all
        : undefined;
    });
  }

  async function recordIn(kind: ServiceRecordKind, state: string): Promise<RecordBody> {
    const body = kind === 'incidents' ? INCIDENT : REQUEST;
    const created = await agent
      .create(kind, { ...body, assignmentGroup: 'service-desk' })
      .expect(201);
    let record = created.body as RecordBody;
    let from = record.state;
    for (const to of PATH[kind][state] ?? []) {
      const moved = await agent
        .transition(kind, record.id, { to, ...fieldsFor(from, to) })
        .expect(200);
      record = moved.body as RecordBody;
      from = to;
    }
    expect(record.state).toBe(state);
    return record;
  }

  const pairs = (['incidents', 'requests'] as const).flatMap((kind) =>
    Object.keys(ALLOWED[kind]).flatMap((from) =>
      [...Object.keys(ALLOWED[kind]), 'reopened'].map((to) => ({
        kind,
        from,
        to,
        allowed: (ALLOWED[kind][from] ?? []).includes(to),
      })),
    ),
  );

  it.each(pairs)('$kind: $from -> $to is allowed=$allowed', async ({ kind, from, to, allowed }) => {
    const record = await recordIn(kind, from);
    const response = await agent.transition(kind, record.id, { to, ...fieldsFor(from, to) });
    if (allowed) {
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ state: to, version: record.version + 1 });
    } else {
      expect(response.status).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(
        [...(response.body as { allowedTransitions: string[] }).allowedTransitions].sort(),
      ).toEqual([...(ALLOWED[kind][from] ?? [])].sort());
      const unchanged = await agent.get(kind, record.id).expect(200);
      expect(unchanged.body).toMatchObject({ state: from, version: record.version });
    }
  });

  it.each(
    (['incidents', 'requests'] as const).flatMap((kind) =>
      Object.keys(ALLOWED[kind]).map((state) => ({ kind, state })),
    ),
  )(
    '$kind in $state: GET transitions answers the moves open from there',
    async ({ kind, state }) => {
      const record = await recordIn(kind, state);
      const response = await agent
        .call('get', `/api/v1/${kind}/${record.id}/transitions`)
        .expect(200);
      const body = response.body as { id: string; state: string; transitions: { to: string }[] };
      expect(body).toMatchObject({ id: record.id, state });
      expect(body.transitions.map((move) => move.to).sort()).toEqual(
        [...(ALLOWED[kind][state] ?? [])].sort(),
      );
    },
  );

  it("answers GET transitions of a record outside the caller's scope with 404, as a missing one", async () => {
    const record = await recordIn('incidents', 'new');
    // Requesters see what they requested: the agent's record is not theirs.
    await requester.call('get', `/api/v1/incidents/${record.id}/transitions`).expect(404);
    await agent.call('get', `/api/v1/incidents/${randomUUID()}/transitions`).expect(404);
  });

  it('refuses a transition without the fields it needs, naming the field, and changes nothing', async () => {
    const record = await recordIn('incidents', 'in_progress');
    const response = await agent
      .transition('incidents', record.id, { to: 'resolved', resolutionCode: 'duplicate' })
      .expect(400);
    expect(response.body).toMatchObject({ errors: [{ field: 'resolutionNotes' }] });
    await agent
      .transition('incidents', record.id, { to: 'on_hold', holdReason: 'awaiting_change' })
      .expect(400);
    expect((await agent.get('incidents', record.id).expect(200)).body).toMatchObject({
      state: 'in_progress',
      version: record.version,
    });
  });

  it('derives the priority from the matrix and records a manual override with its reason', async () => {
    const created = await agent
      .create('incidents', { ...INCIDENT, impact: 1, urgency: 3 })
      .expect(201);
    const incident = created.body as RecordBody;
    expect(incident.priority).toBe('P3');

    const refused = await agent.patch('incidents', incident.id, { priority: 'P1' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errors: [{ field: 'priorityOverrideReason' }] });

    const overridden = await agent.patch('incidents', incident.id, {
      priority: 'P1',
      priorityOverrideReason: 'Board meeting at 10',
    });
    expect(overridden.status).toBe(200);
    expect(overridden.body).toMatchObject({
      priority: 'P1',
      priorityOverrideReason: 'Board meeting at 10',
      majorCandidate: true,
    });

    const events = await expectOverrideRecorded(incident.id);
    const changed = events.find((event) => event.type === EventTypes.incident.priorityChanged);
    expect(changed?.data).toMatchObject({
      incident: { priority: 'P1' },
      previous: { priority: 'P3' },
    });
  });

  it('overrides the priority at opening only with a reason, and records it as a PATCH override is', async () => {
    const withoutReason = await agent
      .create('incidents', { ...INCIDENT, impact: 1, urgency: 3, priority: 'P1' })
      .expect(400);
    expect(withoutReason.headers['content-type']).toContain('application/problem+json');
    expect(withoutReason.body).toMatchObject({ errors: [{ field: 'priorityOverrideReason' }] });
    const withoutPriority = await agent
      .create('incidents', { ...INCIDENT, priorityOverrideReason: 'Board meeting at 10' })
      .expect(400);
    expect(withoutPriority.body).toMatchObject({ errors: [{ field: 'priorityOverrideReason' }] });
    const refusedTag = `refused-${randomUUID().slice(0, 8)}`;
    await agent
      .create('incidents', { ...INCIDENT, tags: [refusedTag], priority: 'P1' })
      .expect(400);
    const stored = (await manager.list('incidents', { tag: refusedTag }).expect(200)).body as {
      items: unknown[];
    };
    expect(stored.items).toEqual([]);

    const created = await agent
      .create('incidents', {
        ...INCIDENT,
        impact: 1,
        urgency: 3,
        priority: 'P1',
        priorityOverrideReason: 'Board meeting at 10',
      })
      .expect(201);
    const incident = created.body as RecordBody;
    expect(incident).toMatchObject({
      priority: 'P1',
      priorityOverrideReason: 'Board meeting at 10',
      majorCandidate: true,
    });
    const events = await expectOverrideRecorded(incident.id);
    expect(events.map((event) => event.type)).toEqual([
      EventTypes.incident.created,
      EventTypes.incident.priorityChanged,
    ]);
    expect(events[1]?.data).toMatchObject({
      incident: { priority: 'P1', priorityOverrideReason: 'Board meeting at 10' },
      changedFields: ['priority', 'priorityOverrideReason'],
      previous: { priority: 'P3', priorityOverrideReason: null },
    });
  });

  it('refuses a stale update with 412 and one without If-Match with 428', async () => {
    const incident = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    await agent
      .patch('incidents', incident.id, { title: 'Printer still on fire' }, '"1"')
      .then((r) => expect(r.status).toBe(200));
    const stale = await agent.patch('incidents', incident.id, { title: 'Lost update' }, '"1"');
    expect(stale.status).toBe(412);
    expect((await agent.get('incidents', incident.id)).body).toMatchObject({
      title: 'Printer still on fire',
      version: 2,
    });
    const missing = await agent.patch('incidents', incident.id, { title: 'x' }, '');
    expect(missing.status).toBe(428);
  });

  it('refuses a transition whose If-Match is stale with 412 and takes one whose If-Match is current', async () => {
    const incident = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    await agent.patch('incidents', incident.id, { title: 'Printer smoking' }).then((r) => {
      expect(r.status).toBe(200);
    });
    const stale = await agent
      .transition('incidents', incident.id, { to: 'in_progress', assignmentGroup: 'service-desk' })
      .set('if-match', '"1"');
    expect(stale.status).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect((await agent.get('incidents', incident.id).expect(200)).body).toMatchObject({
      state: 'new',
      version: 2,
    });
    const current = await agent
      .transition('incidents', incident.id, { to: 'in_progress', assignmentGroup: 'service-desk' })
      .set('if-match', '"2"');
    expect(current.status).toBe(200);
    expect(current.body).toMatchObject({ state: 'in_progress', version: 3 });
  });

  it('creates once for one Idempotency-Key and answers the retry with the same incident', async () => {
    const key = randomUUID();
    const first = await agent.create('incidents', INCIDENT, { 'idempotency-key': key }).expect(201);
    const retry = await agent.create('incidents', INCIDENT, { 'idempotency-key': key }).expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    const id = (first.body as RecordBody).id;
    const created = await eventually(async () => {
      const events = (await eventsOf(id)).filter(
        (event) => event.type === EventTypes.incident.created,
      );
      return events.length > 0 ? events : undefined;
    });
    expect(created).toHaveLength(1);
  });

  it('assigns only to directory groups and their members, and says so in an assigned event', async () => {
    const incident = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    const unknownGroup = await agent.patch('incidents', incident.id, {
      assignmentGroup: 'no-such-team',
    });
    expect(unknownGroup.status).toBe(400);
    expect(unknownGroup.body).toMatchObject({ errors: [{ field: 'assignmentGroup' }] });
    const notMember = await agent.patch('incidents', incident.id, {
      assignmentGroup: 'network',
      assignee: 'agent',
    });
    expect(notMember.status).toBe(400);
    expect(notMember.body).toMatchObject({ errors: [{ field: 'assignee' }] });

    const assigned = await agent.patch('incidents', incident.id, {
      assignmentGroup: 'service-desk',
      assignee: 'agent',
    });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ assignmentGroup: 'service-desk', assignee: 'agent' });
    const event = await eventually(async () =>
      (await eventsOf(incident.id)).find(
        (candidate) => candidate.type === EventTypes.incident.assigned,
      ),
    );
    // The group was the triage group since opening; taking the record assigns only the agent.
    expect(event.data).toMatchObject({ changedFields: ['assignee'], previous: { assignee: null } });
    const moved = await agent.patch('incidents', incident.id, { assignmentGroup: 'network' });
    expect(moved.body).toMatchObject({ assignmentGroup: 'network', assignee: null });
  });

  it('keeps work notes from the requester and shows comments to them; a comment is the first response', async () => {
    const incident = (await requester.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    // The service desk works a requester's incident as soon as it is raised.
    await agent
      .addJournal('incidents', incident.id, { kind: 'work_note', text: 'Vendor ticket 4711' })
      .expect(201);
    await manager
      .addJournal('incidents', incident.id, { kind: 'comment', text: 'We are on it' })
      .expect(201);
    await requester
      .addJournal('incidents', incident.id, { kind: 'work_note', text: 'sneaky' })
      .expect(403);
    await requester
      .addJournal('incidents', incident.id, { kind: 'comment', text: 'Thanks' })
      .expect(201);

    const seenByRequester = (await requester.journal('incidents', incident.id).expect(200))
      .body as { items: { kind: string; text: string; author: string }[] };
    expect(seenByRequester.items.map((entry) => entry.text)).toEqual(['We are on it', 'Thanks']);
    const seenByManager = (await manager.journal('incidents', incident.id).expect(200)).body as {
      items: { kind: string; text: string }[];
    };
    expect(seenByManager.items.map((entry) => [entry.kind, entry.text])).toEqual([
      ['work_note', 'Vendor ticket 4711'],
      ['comment', 'We are on it'],
      ['comment', 'Thanks'],
    ]);
    const read = (await requester.get('incidents', incident.id).expect(200)).body as RecordBody;
    expect(read.firstResponseAt).toEqual(expect.any(String));
  });

  it('opens a record with a history of every field set, by whom, in order, and finds it by search at once', async () => {
    const word = `toner${randomUUID().slice(0, 8)}`;
    const incident = (
      await agent
        .create('incidents', {
          ...INCIDENT,
          impact: 1,
          urgency: 3,
          priority: 'P2',
          priorityOverrideReason: 'Payroll run tonight',
          description: `Streaks from the ${word} cartridge`,
          tags: ['printer'],
        })
        .expect(201)
    ).body as RecordBody;
    const history = (await agent.history('incidents', incident.id).expect(200)).body as {
      items: { field: string; oldValue: unknown; newValue: unknown; actor: string; at: string }[];
    };
    const byField = new Map(history.items.map((entry) => [entry.field, entry]));
    expect(byField.get('priority')).toMatchObject({ oldValue: 'P3', newValue: 'P2' });
    expect(byField.get('description')).toMatchObject({
      oldValue: null,
      newValue: `Streaks from the ${word} cartridge`,
    });
    expect(byField.get('tags')).toMatchObject({ oldValue: null, newValue: ['printer'] });
    expect(byField.get('openedAt')).toMatchObject({ newValue: incident.openedAt });
    expect(new Set(history.items.map((entry) => entry.actor))).toEqual(new Set(['agent']));
    expect(new Set(history.items.map((entry) => entry.at))).toEqual(new Set([incident.openedAt]));
    // In the order the record lists its fields: the history's ids follow the insert.
    const fields = history.items.map((entry) => entry.field);
    expect(fields.indexOf('title')).toBeLessThan(fields.indexOf('description'));
    expect(fields.indexOf('impact')).toBeLessThan(fields.indexOf('priority'));

    const found = (await agent.list('incidents', { q: word }).expect(200)).body as {
      items: { id: string }[];
    };
    expect(found.items.map((item) => item.id)).toEqual([incident.id]);
    const byTitle = (
      await agent.list('incidents', { q: `"${INCIDENT.title}" ${word}` }).expect(200)
    ).body as { items: { id: string }[] };
    expect(byTitle.items.map((item) => item.id)).toEqual([incident.id]);

    // A change rebuilds the document from the new fields, the journal so far and its own entries.
    await agent
      .addJournal('incidents', incident.id, { kind: 'work_note', text: `Fuser ${word}x swapped` })
      .expect(201);
    const patched = await agent.patch('incidents', incident.id, { title: `Banding ${word}y` });
    expect(patched.status).toBe(200);
    await agent
      .transition('incidents', incident.id, { to: 'cancelled', reason: `Duplicate of ${word}z` })
      .expect(200);
    const search = async (q: string) =>
      (
        (await agent.list('incidents', { q }).expect(200)).body as { items: { id: string }[] }
      ).items.map((item) => item.id);
    expect(await search(`${word}x`)).toEqual([incident.id]);
    expect(await search(`${word}y`)).toEqual([incident.id]);
    expect(await search(`${word}z`)).toEqual([incident.id]);
    expect(await search(`"${INCIDENT.title}" ${word}`)).toEqual([]);
  });

  it('keeps tags as a set and every field change in the history', async () => {
    const incident = (
      await agent.create('incidents', { ...INCIDENT, tags: ['Printer'] }).expect(201)
    ).body as RecordBody;
    const tagged = await agent.patch('incidents', incident.id, {
      tags: ['printer', 'Fire', 'fire'],
      category: 'hardware',
    });
    expect(tagged.body).toMatchObject({ tags: ['fire', 'printer'], category: 'hardware' });
    const history = (await agent.history('incidents', incident.id).expect(200)).body as {
      items: { field: string; newValue: unknown }[];
    };
    expect(history.items.map((entry) => entry.field)).toEqual(
      expect.arrayContaining(['title', 'tags', 'category', 'state', 'priority']),
    );
    expect(
      history.items.filter((entry) => entry.field === 'tags').map((entry) => entry.newValue),
    ).toEqual([['printer'], ['fire', 'printer']]);
  });

  it('declares a major incident, links children and resolves them with the parent', async () => {
    const parent = (
      await agent
        .create('incidents', {
          ...INCIDENT,
          impact: 1,
          urgency: 1,
          assignmentGroup: 'service-desk',
        })
        .expect(201)
    ).body as RecordBody;
    expect(parent).toMatchObject({ priority: 'P1', majorCandidate: true, major: false });
    const child = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    const notMajorYet = await agent.patch('incidents', child.id, { parentId: parent.id });
    expect(notMajorYet.status).toBe(400);
    expect(notMajorYet.body).toMatchObject({ errors: [{ field: 'parentId' }] });

    await agent
      .patch('incidents', parent.id, { major: true })
      .then((r) => expect(r.status).toBe(200));
    await agent
      .patch('incidents', child.id, { parentId: parent.id })
      .then((r) => expect(r.status).toBe(200));
    const children = (await agent.list('incidents', { parentId: parent.id }).expect(200)).body as {
      items: RecordBody[];
    };
    expect(children.items.map((item) => item.id)).toEqual([child.id]);

    await agent.resolveIncident(parent.id, {
      resolutionCode: 'solved_permanently',
      resolutionNotes: 'Power restored',
    });
    const resolvedChild = (await agent.get('incidents', child.id).expect(200)).body as RecordBody;
    expect(resolvedChild).toMatchObject({
      state: 'resolved',
      resolutionCode: 'solved_permanently',
    });
    expect(resolvedChild.resolutionNotes).toContain(parent.number);

    const parentEvents = await eventually(async () => {
      const events = await eventsOf(parent.id);
      return events.some((event) => event.type === EventTypes.incident.resolved)
        ? events
        : undefined;
    });
    expect(parentEvents.map((event) => event.type)).toEqual(
      expect.arrayContaining([
        EventTypes.incident.majorDeclared,
        EventTypes.incident.stateChanged,
        EventTypes.incident.resolved,
      ]),
    );
    const childEvents = await eventually(async () => {
      const events = await eventsOf(child.id);
      return events.some((event) => event.type === EventTypes.incident.resolved)
        ? events
        : undefined;
    });
    expect(childEvents.filter((event) => event.type === EventTypes.incident.resolved)).toHaveLength(
      1,
    );
  });

  it('emits an event for every kind of change, each carrying the record and what changed', async () => {
    const incident = (
      await agent.create('incidents', { ...INCIDENT, assignmentGroup: 'service-desk' }).expect(201)
    ).body as RecordBody;
    await agent.patch('incidents', incident.id, { title: 'Printer on fire, again', impact: 1 });
    await agent
      .transition('incidents', incident.id, { to: 'in_progress', assignee: 'agent' })
      .expect(200);
    await agent
      .transition('incidents', incident.id, {
        to: 'resolved',
        resolutionCode: 'solved_workaround',
        resolutionNotes: 'Extinguished',
      })
      .expect(200);
    await agent
      .transition('incidents', incident.id, { to: 'in_progress', reason: 'Smoking again' })
      .expect(200);
    await agent
      .transition('incidents', incident.id, {
        to: 'resolved',
        resolutionCode: 'solved_permanently',
        resolutionNotes: 'Replaced',
      })
      .expect(200);
    await agent.transition('incidents', incident.id, { to: 'closed' }).expect(200);

    const types = await eventually(async () => {
      const events = await eventsOf(incident.id);
      return events.some((event) => event.type === EventTypes.incident.closed)
        ? events.map((event) => event.type)
        : undefined;
    });
    expect(types).toEqual([
      EventTypes.incident.created,
      EventTypes.incident.updated,
      EventTypes.incident.priorityChanged,
      EventTypes.incident.assigned,
      EventTypes.incident.stateChanged,
      EventTypes.incident.stateChanged,
      EventTypes.incident.resolved,
      EventTypes.incident.stateChanged,
      EventTypes.incident.reopened,
      EventTypes.incident.stateChanged,
      EventTypes.incident.resolved,
      EventTypes.incident.stateChanged,
      EventTypes.incident.closed,
    ]);
    const closed = (await agent.get('incidents', incident.id).expect(200)).body as RecordBody;
    expect(closed).toMatchObject({ state: 'closed', reopenCount: 1 });
    expect(closed.closedAt).toEqual(expect.any(String));
  });

  it('numbers requests REQ and runs them through their fulfilment states', async () => {
    const request = (await requester.create('requests', REQUEST).expect(201)).body as RecordBody;
    expect(request).toMatchObject({
      number: expect.stringMatching(/^REQ\d{7}$/),
      state: 'submitted',
      type: 'request',
      catalogItem: 'laptop-standard',
    });
    await requester.transition('requests', request.id, { to: 'approved' }).expect(403);
    await manager.transition('requests', request.id, { to: 'approved' }).expect(200);
    const events = await eventually(async () => {
      const all = await eventsOf(request.id);
      return all.length >= 2 ? all : undefined;
    });
    expect(events.map((event) => event.type)).toEqual([
      EventTypes.request.created,
      EventTypes.request.stateChanged,
    ]);
    await agent.get('incidents', request.id).expect(404);
  });

  it('refuses bad input with a problem naming the field, and stores nothing', async () => {
    const response = await agent
      .create('incidents', { ...INCIDENT, impact: 4, ciIds: ['not-a-uuid'], source: 'pigeon' })
      .expect(400);
    const fields = (response.body as { errors: { field: string }[] }).errors.map(
      (error) => error.field,
    );
    expect(fields).toEqual(expect.arrayContaining(['impact', 'ciIds', 'source']));
    await agent.create('requests', { title: 'x', description: '' }).expect(400);
    const blank = await agent.create('incidents', { ...INCIDENT, title: '   ' }).expect(400);
    expect(blank.body).toMatchObject({ errors: [{ field: 'title' }] });
    // PostgreSQL text cannot hold U+0000: refused as the field's fault, not failed as a 500.
    const nul = await agent
      .create('incidents', { ...INCIDENT, title: 'Printer\u0000on fire', tags: ['ok', 'b\u0000d'] })
      .expect(400);
    expect(nul.body).toMatchObject({
      errors: [
        { field: 'title', message: 'must not contain the NUL character (U+0000)' },
        { field: 'tags[1]' },
      ],
    });
    const nulSearch = await agent.list('incidents', { q: 'printer\u0000' }).expect(400);
    expect(nulSearch.body).toMatchObject({ errors: [{ field: 'q' }] });
    const noted = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    const blankNote = await agent
      .addJournal('incidents', noted.id, { kind: 'work_note', text: ' \n ' })
      .expect(400);
    expect(blankNote.body).toMatchObject({ errors: [{ field: 'text' }] });
    // A record is addressed by its id; its number in the path is a 400 naming the id.
    const byNumber = await agent.get('incidents', 'INC0001001').expect(400);
    expect(byNumber.headers['content-type']).toContain('application/problem+json');
    expect(byNumber.body).toMatchObject({ errors: [{ field: 'id', message: 'must be a UUID' }] });
  });

  it('refuses a PATCH that blanks or nulls a field that cannot be empty, naming it, and changes nothing', async () => {
    const incident = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    for (const [field, value] of [
      ['title', ' \t '],
      ['title', null],
      ['description', null],
      ['impact', null],
      ['tags', null],
      ['ciIds', null],
      ['major', null],
    ] as const) {
      const refused = await agent.patch('incidents', incident.id, { [field]: value });
      expect(refused.status).toBe(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      const named = (refused.body as { errors: { field: string }[] }).errors.map(
        (error) => error.field,
      );
      expect([...new Set(named)]).toEqual([field]);
    }
    expect((await agent.get('incidents', incident.id).expect(200)).body).toMatchObject({
      title: INCIDENT.title,
      description: INCIDENT.description,
      version: 1,
    });
  });

  it('keeps the problem an incident is linked to from the problem service, read-only, in history and events, and lists by it', async () => {
    const incident = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    expect(incident.problemId).toBeNull();
    const other = (await agent.create('incidents', INCIDENT).expect(201)).body as RecordBody;
    const problemId = randomUUID();
    await producer.send({
      topic: Topics.problemEvents,
      messages: [
        toKafkaRecord(
          problemIncidentsLinkedEvent({ id: problemId, number: 'PRB0002001' }, [incident.id]),
        ),
      ],
    });
    const linked = await eventually(async () => {
      const body = (await agent.get('incidents', incident.id).expect(200)).body as RecordBody;
      return body.problemId === problemId ? body : undefined;
    });
    expect(linked.version).toBe(incident.version + 1);
    const history = (await agent.history('incidents', incident.id).expect(200)).body as {
      items: { field: string; oldValue: unknown; newValue: unknown; actor: string }[];
    };
    expect(history.items).toContainEqual(
      expect.objectContaining({
        field: 'problemId',
        oldValue: null,
        newValue: problemId,
        actor: 'system',
      }),
    );
    const updated = await eventually(async () =>
      (await eventsOf(incident.id)).find((event) => event.type === EventTypes.incident.updated),
    );
    expect(updated.data).toMatchObject({
      incident: { problemId },
      changedFields: ['problemId'],
      previous: { problemId: null },
    });

    const listed = (await agent.list('incidents', { problemId }).expect(200)).body as {
      items: RecordBody[];
    };
    expect(listed.items.map((item) => item.id)).toEqual([incident.id]);

    // Only the problem service sets it: a PATCH naming it is refused, and the request list
    // does not take it (each list takes only its own type's filters).
    const patched = await agent.patch('incidents', other.id, { problemId });
    expect(patched.status).toBe(400);
    expect(
      (patched.body as { errors: { field: string }[] }).errors.map((error) => error.field),
    ).toEqual(['problemId']);
    const requests = await agent.list('requests', { problemId }).expect(400);
    expect(requests.body).toMatchObject({ errors: [{ field: 'problemId' }] });
  });

  it('holds an incident awaiting its problem only when it is linked to one', async () => {
    const unlinked = await recordIn('incidents', 'in_progress');
    const refused = await agent
      .transition('incidents', unlinked.id, { to: 'on_hold', holdReason: 'awaiting_problem' })
      .expect(400);
    expect(refused.body).toMatchObject({
      errors: [
        { field: 'holdReason', message: 'awaiting_problem needs the incident linked to a problem' },
      ],
    });
    expect((await agent.get('incidents', unlinked.id).expect(200)).body).toMatchObject({
      state: 'in_progress',
      version: unlinked.version,
    });

    const problemId = randomUUID();
    await producer.send({
      topic: Topics.problemEvents,
      messages: [
        toKafkaRecord(
          problemIncidentsLinkedEvent({ id: problemId, number: 'PRB0002002' }, [unlinked.id]),
        ),
      ],
    });
    await eventually(async () => {
      const body = (await agent.get('incidents', unlinked.id).expect(200)).body as RecordBody;
      return body.problemId === problemId ? true : undefined;
    });
    const held = await agent
      .transition('incidents', unlinked.id, { to: 'on_hold', holdReason: 'awaiting_problem' })
      .expect(200);
    expect(held.body).toMatchObject({
      state: 'on_hold',
      holdReason: 'awaiting_problem',
      problemId,
    });
  });
});
