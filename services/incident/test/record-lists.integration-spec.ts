import { randomUUID } from 'node:crypto';
import { EventTypes, Topics, toKafkaRecord } from '@itsm/contracts';
import {
  RecordsApi,
  RunningPlatform,
  eventually,
  slaEvent,
  testKafka,
  type RecordKind,
} from '@itsm/testing';

interface Listed {
  id: string;
  number: string;
  openedAt: string;
  updatedAt: string;
  priority: string;
  title: string;
}

interface ListPage {
  items: Listed[];
  nextCursor: string | null;
}

/**
 * Every filter of the incident and request lists, through the gateway. Each group of
 * records carries a fresh tag so that a test counts only its own among whatever else the
 * run created.
 */
describe('incident and request lists and search through the gateway', () => {
  let platform: RunningPlatform;
  let agent: RecordsApi;
  let manager: RecordsApi;
  let requester: RecordsApi;
  const run = `run${randomUUID().slice(0, 8)}`;
  const tagged = (what: string) => `${run}-${what}`;
  const serviceId = randomUUID();
  const ciId = randomUUID();
  const ids: Record<string, string> = {};
  const opened: Record<string, Listed> = {};
  const updated: Record<string, Listed> = {};

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    manager = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    await agent.untilGroupsKnown(['service-desk', 'network']);

    const base = { description: '', tags: [run] };
    const make = async (
      name: string,
      api: RecordsApi,
      body: object,
      kind: RecordKind = 'incidents',
    ): Promise<Listed> => {
      const created = await api.create(kind, { ...base, ...body }).expect(201);
      ids[name] = (created.body as Listed).id;
      return created.body as Listed;
    };
    await make('vpn', agent, {
      title: 'VPN tunnel flaps',
      description: 'The Frankfurt concentrator drops sessions',
      impact: 1,
      urgency: 1,
      category: 'network',
      subcategory: 'vpn',
      assignmentGroup: 'network',
      businessServiceId: serviceId,
      ciIds: [ciId],
      externalRef: `ext-${run}`,
      tags: [run, 'remote'],
    });
    await make('mail', agent, {
      title: 'Mailbox full',
      impact: 3,
      urgency: 3,
      category: 'email',
      assignmentGroup: 'service-desk',
      assignee: 'agent',
      source: 'email',
    });
    await make('printer', requester, {
      title: 'Printer jams',
      impact: 2,
      urgency: 3,
      source: 'phone',
    });
    await manager.patch('incidents', ids.vpn, { major: true });
    await agent.transition('incidents', ids.mail, { to: 'in_progress' }).expect(200);
    await manager
      .addJournal('incidents', ids.printer, {
        kind: 'work_note',
        text: 'Toner cartridge counterfeit',
      })
      .expect(201);

    // Opened one after the other, then changed in another order: middle, early, late.
    const ranged = { tags: [tagged('ranges')], impact: 3, urgency: 3 };
    opened.early = await make('early', agent, { ...ranged, title: 'Early' });
    opened.middle = await make('middle', agent, { ...ranged, title: 'Middle' });
    opened.late = await make('late', agent, { ...ranged, title: 'Late' });
    for (const name of ['middle', 'early', 'late']) {
      const changed = await agent.patch('incidents', ids[name] ?? '', { category: 'ranges' });
      expect(changed.status).toBe(200);
      updated[name] = changed.body as Listed;
    }

    const requested = { tags: [tagged('requests')] };
    await make(
      'monitor',
      requester,
      { ...requested, title: 'Second monitor', catalogItem: 'monitor-27' },
      'requests',
    );
    await make(
      'laptop',
      agent,
      {
        ...requested,
        title: 'Developer laptop',
        catalogItem: 'laptop-standard',
        requester: 'requester',
        assignmentGroup: 'service-desk',
      },
      'requests',
    );
    await make(
      'phone',
      agent,
      { ...requested, title: 'Desk phone', catalogItem: 'phone' },
      'requests',
    );
    await manager.transition('requests', ids.laptop ?? '', { to: 'approved' }).expect(200);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function namesOf(
    kind: RecordKind,
    query: Record<string, string | number | boolean>,
    api = manager,
  ): Promise<string[]> {
    const response = await api.list(kind, { tag: run, limit: 100, ...query }).expect(200);
    const names = Object.entries(ids);
    return (response.body as ListPage).items
      .map((item) => names.find(([, id]) => id === item.id)?.[0] ?? item.id)
      .sort();
  }

  const numbersOf = (query: Record<string, string | number | boolean>, api = manager) =>
    namesOf('incidents', query, api);

  it.each([
    [{ state: 'in_progress' }, ['mail']],
    [{ state: 'new,in_progress' }, ['mail', 'printer', 'vpn']],
    [{ priority: 'P1' }, ['vpn']],
    [{ priority: 'P4,P5' }, ['mail', 'printer']],
    [{ assignmentGroup: 'network' }, ['vpn']],
    [{ assignee: 'agent' }, ['mail']],
    [{ unassigned: true }, ['printer', 'vpn']],
    [{ unassigned: false }, ['mail']],
    [{ requester: 'requester' }, ['printer']],
    [{ category: 'network', subcategory: 'vpn' }, ['vpn']],
    [{ subcategory: 'vpn' }, ['vpn']],
    [{ category: 'email' }, ['mail']],
    [{ major: true }, ['vpn']],
    [{ major: false }, ['mail', 'printer']],
    [{ source: 'phone' }, ['printer']],
    [{ tag: `${run},remote` }, ['vpn']],
  ])('filters by %j', async (query, expected) => {
    expect(await numbersOf(query)).toEqual(expected);
  });

  it('filters by business service, CI and external reference', async () => {
    expect(await numbersOf({ businessServiceId: serviceId })).toEqual(['vpn']);
    expect(await numbersOf({ ciId })).toEqual(['vpn']);
    expect(await numbersOf({ externalRef: `ext-${run}` })).toEqual(['vpn']);
  });

  it('filters by opened and updated ranges, each bounded on both sides (to exclusive)', async () => {
    const { early, middle, late } = opened;
    if (!early || !middle || !late) throw new Error('the ranged records were not opened');
    expect(early.openedAt < middle.openedAt && middle.openedAt < late.openedAt).toBe(true);
    const ranges = tagged('ranges');
    expect(
      await numbersOf({ tag: ranges, openedFrom: middle.openedAt, openedTo: late.openedAt }),
    ).toEqual(['middle']);
    expect(
      await numbersOf({ tag: ranges, openedFrom: early.openedAt, openedTo: late.openedAt }),
    ).toEqual(['early', 'middle']);
    expect(await numbersOf({ tag: ranges, openedFrom: late.openedAt })).toEqual(['late']);
    expect(await numbersOf({ tag: ranges, openedTo: middle.openedAt })).toEqual(['early']);

    // Changed middle, early, late: the change in the middle is the early record's.
    const [first, second, last] = [updated.middle, updated.early, updated.late];
    if (!first || !second || !last) throw new Error('the ranged records were not changed');
    expect(first.updatedAt < second.updatedAt && second.updatedAt < last.updatedAt).toBe(true);
    expect(
      await numbersOf({ tag: ranges, updatedFrom: second.updatedAt, updatedTo: last.updatedAt }),
    ).toEqual(['early']);
    expect(await numbersOf({ tag: ranges, updatedTo: second.updatedAt })).toEqual(['middle']);
    expect(await numbersOf({ tag: ranges, updatedFrom: last.updatedAt })).toEqual(['late']);
  });

  it('filters by escalation level: at least the level given', async () => {
    const escalated = tagged('escalation');
    const make = async (name: string) => {
      const created = await agent
        .create('incidents', {
          title: name,
          description: '',
          impact: 2,
          urgency: 2,
          tags: [escalated],
        })
        .expect(201);
      ids[name] = (created.body as Listed).id;
      return created.body as Listed;
    };
    const warned = await make('warned');
    const breached = await make('breached');
    await make('calm');
    const producer = testKafka().producer();
    await producer.connect();
    try {
      await producer.send({
        topic: Topics.slaEvents,
        messages: [
          toKafkaRecord(slaEvent(EventTypes.sla.warning, warned, 75)),
          toKafkaRecord(slaEvent(EventTypes.sla.breached, breached)),
        ],
      });
    } finally {
      await producer.disconnect();
    }
    const atLeastOne = await eventually(async () => {
      const found = await numbersOf({ tag: escalated, escalationLevel: 1 });
      return found.length === 2 ? found : undefined;
    });
    expect(atLeastOne).toEqual(['breached', 'warned']);
    expect(await numbersOf({ tag: escalated, escalationLevel: 2 })).toEqual(['breached']);
    expect(await numbersOf({ tag: escalated, escalationLevel: 0 })).toEqual([
      'breached',
      'calm',
      'warned',
    ]);
    const beyond = await manager.list('incidents', { escalationLevel: 3 }).expect(400);
    expect(beyond.body).toMatchObject({ errors: [{ field: 'escalationLevel' }] });
  });

  it('lists service requests with the same filters, the catalog item among them', async () => {
    const requests = tagged('requests');
    const of = (query: Record<string, string | number | boolean>, api = manager) =>
      namesOf('requests', { tag: requests, ...query }, api);
    expect(await of({})).toEqual(['laptop', 'monitor', 'phone']);
    expect(await of({ catalogItem: 'laptop-standard' })).toEqual(['laptop']);
    expect(await of({ state: 'approved' })).toEqual(['laptop']);
    expect(await of({ state: 'submitted,approved' })).toEqual(['laptop', 'monitor', 'phone']);
    expect(await of({ requester: 'requester' })).toEqual(['laptop', 'monitor']);
    // Opened without a group, monitor and phone went to the triage group.
    expect(await of({ assignmentGroup: 'service-desk' })).toEqual(['laptop', 'monitor', 'phone']);
    expect(await of({ assignmentGroup: 'service-desk', unassigned: true })).toEqual([
      'laptop',
      'monitor',
      'phone',
    ]);
    expect(await of({ q: 'monitors' })).toEqual(['monitor']);
    expect(await of({ priority: 'P5' })).toEqual(['laptop', 'monitor', 'phone']);
    expect(await of({}, requester)).toEqual(['laptop', 'monitor']);
    // Requests are not incidents: the incident list does not show them.
    expect(await numbersOf({ tag: requests })).toEqual([]);
    const incidentState = await manager.list('requests', { state: 'in_progress' }).expect(400);
    expect(incidentState.body).toMatchObject({ errors: [{ field: 'state' }] });
    // Nor do filters on what only the other type has answer an empty list: they are refused.
    const byCatalogItem = await manager.list('incidents', { catalogItem: 'laptop-standard' });
    expect(byCatalogItem.status).toBe(400);
    expect(byCatalogItem.body).toMatchObject({
      errors: [{ field: 'catalogItem', message: 'applies to service requests only' }],
    });
    const majorRequests = await manager.list('requests', {
      major: true,
      parentId: randomUUID(),
      problemId: randomUUID(),
    });
    expect(majorRequests.status).toBe(400);
    expect(
      (majorRequests.body as { errors: { field: string }[] }).errors.map((error) => error.field),
    ).toEqual(['major', 'parentId', 'problemId']);
  });

  it('searches title, description and journal by full text, with stemming', async () => {
    expect(await numbersOf({ q: 'tunnels' })).toEqual(['vpn']);
    expect(await numbersOf({ q: 'Frankfurt concentrator' })).toEqual(['vpn']);
    expect(await numbersOf({ q: 'counterfeit' })).toEqual(['printer']);
    expect(await numbersOf({ q: 'mailbox -printer' })).toEqual(['mail']);
    expect(await numbersOf({ q: 'nothing-matches-this' })).toEqual([]);
  });

  it('matches work notes only for those who may read them, never for the requester', async () => {
    const searched = tagged('search');
    const incident = (
      await agent
        .create('incidents', {
          title: 'Laptop swells',
          description: 'The case no longer closes',
          impact: 3,
          urgency: 3,
          requester: 'requester',
          assignmentGroup: 'service-desk',
          tags: [searched],
        })
        .expect(201)
    ).body as Listed;
    ids.swollen = incident.id;
    await agent
      .addJournal('incidents', incident.id, {
        kind: 'work_note',
        text: 'Replacement ordered from Contoso under warranty',
      })
      .expect(201);
    await agent
      .addJournal('incidents', incident.id, {
        kind: 'comment',
        text: 'A new battery is on its way',
      })
      .expect(201);
    const search = (q: string, api: RecordsApi) => numbersOf({ tag: searched, q }, api);
    expect(await search('Contoso', agent)).toEqual(['swollen']);
    expect(await search('warranty', manager)).toEqual(['swollen']);
    expect(await search('Contoso', requester)).toEqual([]);
    expect(await search('"ordered from Contoso"', requester)).toEqual([]);
    // What the requester may see still finds it: title, description and comments.
    expect(await search('swelling', requester)).toEqual(['swollen']);
    expect(await search('case', requester)).toEqual(['swollen']);
    expect(await search('batteries', requester)).toEqual(['swollen']);
    expect(await search('batteries -Contoso', requester)).toEqual(['swollen']);
    expect(await search('batteries -Contoso', agent)).toEqual([]);
  });

  it('sorts and pages with a cursor, every record once', async () => {
    const seen: Listed[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string | number> = { tag: run, limit: 1, sort: 'priority' };
      if (cursor) query.cursor = cursor;
      const page = (await manager.list('incidents', query).expect(200)).body as ListPage;
      seen.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.map((item) => item.priority)).toEqual(['P1', 'P4', 'P5']);
    const newestFirst = (await manager.list('incidents', { tag: run }).expect(200))
      .body as ListPage;
    expect(newestFirst.items.map((item) => item.openedAt)).toEqual(
      [...newestFirst.items.map((item) => item.openedAt)].sort().reverse(),
    );
  });

  it('sorts by priority oldest first within a priority, and pages through ties by cursor', async () => {
    const queue = tagged('queue');
    for (const [title, impact] of [
      ['first P1', 1],
      ['only P2', 2],
      ['second P1', 1],
      ['third P1', 1],
    ] as const) {
      await manager
        .create('incidents', { title, description: '', impact, urgency: impact, tags: [queue] })
        .expect(201);
    }
    const pagedBy = async (sort: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: Record<string, string | number> = { tag: queue, limit: 1, sort };
        if (cursor) query.cursor = cursor;
        const page = (await manager.list('incidents', query).expect(200)).body as ListPage;
        seen.push(...page.items.map((item) => item.title));
        cursor = page.nextCursor;
      } while (cursor);
      return seen;
    };
    expect(await pagedBy('priority')).toEqual(['first P1', 'second P1', 'third P1', 'only P2']);
    expect(await pagedBy('-priority')).toEqual(['only P2', 'third P1', 'second P1', 'first P1']);
  });

  it('shows requesters only their own records and agents every one, the requester’s among them', async () => {
    expect(await numbersOf({}, requester)).toEqual(['printer']);
    expect(await numbersOf({}, agent)).toEqual(['mail', 'printer', 'vpn']);
    expect(await numbersOf({ unassigned: true }, agent)).toEqual(['printer', 'vpn']);
  });

  it('refuses an unknown filter value or sort with a problem naming it', async () => {
    const badState = await manager.list('incidents', { state: 'new,bogus' }).expect(400);
    expect(badState.headers['content-type']).toContain('application/problem+json');
    expect(badState.body).toMatchObject({ errors: [{ field: 'state' }] });
    const requestState = await manager.list('incidents', { state: 'submitted' }).expect(400);
    expect(requestState.body).toMatchObject({ errors: [{ field: 'state' }] });
    const badPriority = await manager.list('incidents', { priority: 'P9' }).expect(400);
    expect(badPriority.body).toMatchObject({ errors: [{ field: 'priority' }] });
    for (const [field, value] of [
      ['source', 'pigeon'],
      ['unassigned', 'maybe'],
      ['major', 'yes'],
      ['escalationLevel', 'high'],
      ['ciId', 'not-a-uuid'],
      ['problemId', 'not-a-uuid'],
      ['updatedTo', 'tomorrow'],
    ] as const) {
      const refused = await manager.list('incidents', { [field]: value }).expect(400);
      const named = (refused.body as { errors: { field: string }[] }).errors.map(
        (error) => error.field,
      );
      expect([...new Set(named)]).toEqual([field]);
    }
    const badSort = await manager.list('incidents', { sort: 'colour' }).expect(400);
    expect(badSort.body).toMatchObject({ errors: [{ field: 'sort' }] });
    await manager.list('incidents', { openedFrom: 'yesterday' }).expect(400);
    await manager.list('incidents', { cursor: 'garbage' }).expect(400);
    // Cursors edited by hand, or carried over to a sort they were not made for.
    const forged = (position: Record<string, string>) =>
      Buffer.from(JSON.stringify(position)).toString('base64url');
    for (const [sort, cursor] of [
      ['priority', forged({ priority: 'P1', openedAt: '2026-12-01T00:00:00Z', id: 'not-a-uuid' })],
      ['priority', forged({ priority: 'P1', id: randomUUID() })],
      ['-openedAt', forged({ openedAt: 'P1', id: randomUUID() })],
      ['-openedAt', forged({ priority: 'P1', openedAt: 'x', id: randomUUID() })],
      ['updatedAt', forged({ updatedAt: '2026-13-01T00:00:00Z', id: randomUUID() })],
    ]) {
      const refused = await manager.list('incidents', { sort, cursor }).expect(400);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect(refused.body).toMatchObject({ errors: [{ field: 'cursor' }] });
    }
    const [listed] = ((await manager.list('incidents', { tag: run }).expect(200)).body as ListPage)
      .items;
    for (const pageOfRecord of [
      manager.history('incidents', listed.id).query({ cursor: forged({ id: '1 OR 1=1' }) }),
      manager.journal('incidents', listed.id).query({ cursor: forged({ at: 'noon', id: 'x' }) }),
    ]) {
      const refused = await pageOfRecord.expect(400);
      expect(refused.body).toMatchObject({ errors: [{ field: 'cursor' }] });
    }
  });
});
