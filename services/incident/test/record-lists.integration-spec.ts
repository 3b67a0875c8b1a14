import { randomUUID } from 'node:crypto';
import { RecordsApi, RunningPlatform } from '@itsm/testing';

interface Listed {
  id: string;
  number: string;
  openedAt: string;
  priority: string;
}

interface ListPage {
  items: Listed[];
  nextCursor: string | null;
}

/**
 * Every filter of the incident list, through the gateway. Each test tags its records with
 * a fresh tag so that it counts only its own among whatever else the run created.
 */
describe('incident lists and search through the gateway', () => {
  let platform: RunningPlatform;
  let agent: RecordsApi;
  let manager: RecordsApi;
  let requester: RecordsApi;
  const run = `run${randomUUID().slice(0, 8)}`;
  const serviceId = randomUUID();
  const ciId = randomUUID();
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    manager = await RecordsApi.as(platform.gatewayUrl, 'incident_manager');
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    await agent.untilGroupsKnown(['service-desk', 'network']);

    const base = { description: '', tags: [run] };
    const make = async (name: string, api: RecordsApi, body: object) => {
      const created = await api.create('incidents', { ...base, ...body }).expect(201);
      ids[name] = (created.body as Listed).id;
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
  });

  afterAll(async () => {
    await platform?.stop();
  });

  async function numbersOf(
    query: Record<string, string | number | boolean>,
    api = manager,
  ): Promise<string[]> {
    const response = await api.list('incidents', { tag: run, limit: 100, ...query }).expect(200);
    const names = Object.entries(ids);
    return (response.body as ListPage).items
      .map((item) => names.find(([, id]) => id === item.id)?.[0] ?? item.id)
      .sort();
  }

  it.each([
    [{ state: 'in_progress' }, ['mail']],
    [{ state: 'new,in_progress' }, ['mail', 'printer', 'vpn']],
    [{ priority: 'P1' }, ['vpn']],
    [{ priority: 'P4,P5' }, ['mail', 'printer']],
    [{ assignmentGroup: 'network' }, ['vpn']],
    [{ assignee: 'agent' }, ['mail']],
    [{ unassigned: true }, ['printer', 'vpn']],
    [{ requester: 'requester' }, ['printer']],
    [{ category: 'network', subcategory: 'vpn' }, ['vpn']],
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

  it('filters by opened and updated ranges', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    expect(await numbersOf({ openedFrom: past })).toEqual(['mail', 'printer', 'vpn']);
    expect(await numbersOf({ openedFrom: future })).toEqual([]);
    expect(await numbersOf({ updatedTo: past })).toEqual([]);
    const mail = (await manager.get('incidents', ids.mail).expect(200)).body as {
      updatedAt: string;
    };
    expect(await numbersOf({ updatedFrom: mail.updatedAt })).toContain('mail');
  });

  it('searches title, description and journal by full text, with stemming', async () => {
    expect(await numbersOf({ q: 'tunnels' })).toEqual(['vpn']);
    expect(await numbersOf({ q: 'Frankfurt concentrator' })).toEqual(['vpn']);
    expect(await numbersOf({ q: 'counterfeit' })).toEqual(['printer']);
    expect(await numbersOf({ q: 'mailbox -printer' })).toEqual(['mail']);
    expect(await numbersOf({ q: 'nothing-matches-this' })).toEqual([]);
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

  it('shows each caller only what they may see', async () => {
    expect(await numbersOf({}, requester)).toEqual(['printer']);
    expect(await numbersOf({}, agent)).toEqual(['mail', 'vpn']);
  });

  it('refuses an unknown filter value or sort with a problem naming it', async () => {
    const badPriority = await manager.list('incidents', { priority: 'P9' }).expect(400);
    expect(badPriority.body).toMatchObject({ errors: [{ field: 'priority' }] });
    const badSort = await manager.list('incidents', { sort: 'colour' }).expect(400);
    expect(badSort.body).toMatchObject({ errors: [{ field: 'sort' }] });
    await manager.list('incidents', { openedFrom: 'yesterday' }).expect(400);
    await manager.list('incidents', { cursor: 'garbage' }).expect(400);
  });
});
