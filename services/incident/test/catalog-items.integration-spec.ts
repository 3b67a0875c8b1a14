import { randomUUID } from 'node:crypto';
import { EventTypes } from '@itsm/contracts';
import { RecordsApi, RunningPlatform, eventsOf, eventually } from '@itsm/testing';

interface CatalogItemBody {
  key: string;
  name: string;
  category: string;
  fulfilmentGroup: string | null;
  active: boolean;
  version: number;
  [field: string]: unknown;
}

/** The service catalogue through the gateway, and requests raised from it (issue 21). */
describe('the service catalogue through the gateway', () => {
  let platform: RunningPlatform;
  let admin: RecordsApi;
  let requester: RecordsApi;
  let owner: RecordsApi;
  // Keys of this run only: the catalogue outlives it, and other specs name items as free text.
  const run = randomUUID().slice(0, 8);
  const category = `Hardware ${run}`;
  const laptop = `laptop-${run}`;
  const monitor = `monitor-${run}`;
  const desk = `desk-${run}`;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    admin = await RecordsApi.as(platform.gatewayUrl, 'admin');
    requester = await RecordsApi.as(platform.gatewayUrl, 'requester');
    owner = await RecordsApi.as(platform.gatewayUrl, 'service_level_manager');
    await admin.untilGroupsKnown(['service-desk', 'network']);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const add = (api: RecordsApi, body: object) =>
    api.call('post', '/api/v1/catalog-items').send(body);

  it('adds items, answers them by key with their ETag, and refuses a key taken or malformed', async () => {
    const created = await add(admin, {
      key: laptop,
      name: 'Standard laptop',
      description: 'A 14" laptop with the standard image',
      category,
      fulfilmentGroup: 'network',
    }).expect(201);
    expect(created.headers.location).toBe(`/api/v1/catalog-items/${laptop}`);
    expect(created.headers.etag).toBe('"1"');
    expect(created.body).toMatchObject({
      key: laptop,
      name: 'Standard laptop',
      category,
      fulfilmentGroup: 'network',
      active: true,
      createdBy: 'admin',
      version: 1,
    });
    await add(owner, { key: monitor, name: 'Second monitor', category }).expect(201);
    await add(admin, { key: desk, name: 'Standing desk', category: `Furniture ${run}` }).expect(
      201,
    );

    const read = await admin.call('get', `/api/v1/catalog-items/${laptop}`).expect(200);
    expect(read.headers.etag).toBe('"1"');
    expect(read.body).toEqual(created.body);

    const taken = await add(admin, { key: laptop, name: 'Again', category }).expect(409);
    expect(taken.body).toMatchObject({ type: 'https://itsm.dev/problems/catalog-item-exists' });
    const malformed = await add(admin, { key: 'Not A Slug', name: 'x', category }).expect(400);
    expect(malformed.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(malformed.body.errors).toEqual([expect.objectContaining({ field: 'key' })]);
    const unknownGroup = await add(admin, {
      key: `printer-${run}`,
      name: 'Printer',
      category,
      fulfilmentGroup: `nobody-${run}`,
    }).expect(400);
    expect(unknownGroup.body.errors).toEqual([
      expect.objectContaining({ field: 'fulfilmentGroup' }),
    ]);
    const missing = await requester.call('get', `/api/v1/catalog-items/none-${run}`).expect(404);
    expect(missing.headers['content-type']).toMatch(/application\/problem\+json/);
  });

  it('lists by category then name, searches, filters by category and pages by cursor', async () => {
    const list = async (query: Record<string, string | number | boolean>) =>
      (await requester.call('get', '/api/v1/catalog-items').query(query).expect(200)).body as {
        items: CatalogItemBody[];
        nextCursor: string | null;
      };

    expect((await list({ q: run })).items.map((item) => item.key)).toEqual([desk, monitor, laptop]);
    expect((await list({ q: `laptop ${run}` })).items.map((item) => item.key)).toEqual([laptop]);
    expect((await list({ q: `14" ${run}` })).items.map((item) => item.key)).toEqual([laptop]);
    expect((await list({ category })).items.map((item) => item.key)).toEqual([monitor, laptop]);

    const first = await list({ q: run, limit: 2 });
    expect(first.items.map((item) => item.key)).toEqual([desk, monitor]);
    const second = await list({ q: run, limit: 2, cursor: first.nextCursor ?? '' });
    expect(second).toEqual({ items: [expect.objectContaining({ key: laptop })], nextCursor: null });

    await requester.call('get', '/api/v1/catalog-items').query({ cursor: 'forged' }).expect(400);
  });

  it('raises a request from an active item into its fulfilment group; free text still goes to triage', async () => {
    const fromCatalog = await requester
      .create('requests', { title: 'A laptop', description: 'For me', catalogItem: laptop })
      .expect(201);
    expect(fromCatalog.body).toMatchObject({ catalogItem: laptop, assignmentGroup: 'network' });

    const named = await admin
      .create('requests', {
        title: 'A laptop',
        description: 'For the desk',
        catalogItem: laptop,
        assignmentGroup: 'service-desk',
      })
      .expect(201);
    expect(named.body).toMatchObject({ assignmentGroup: 'service-desk' });

    const freeText = await requester
      .create('requests', { title: 'A chair', description: 'Any', catalogItem: `chair-${run}` })
      .expect(201);
    expect(freeText.body).toMatchObject({
      catalogItem: `chair-${run}`,
      assignmentGroup: 'service-desk',
    });
  });

  it('retires an item (If-Match): no new request may name it, and an event says so', async () => {
    const read = await owner.call('get', `/api/v1/catalog-items/${laptop}`).expect(200);
    await owner
      .call('patch', `/api/v1/catalog-items/${laptop}`)
      .send({ active: false })
      .expect(428);
    await owner
      .call('patch', `/api/v1/catalog-items/${laptop}`)
      .set('if-match', '"99"')
      .send({ active: false })
      .expect(412);
    const retired = await owner
      .call('patch', `/api/v1/catalog-items/${laptop}`)
      .set('if-match', read.headers.etag)
      .send({ active: false })
      .expect(200);
    expect(retired.headers.etag).toBe('"2"');
    expect(retired.body).toMatchObject({ active: false, updatedBy: 'service_level_manager' });

    const listed = await requester
      .call('get', '/api/v1/catalog-items')
      .query({ q: run, active: true })
      .expect(200);
    expect((listed.body as { items: CatalogItemBody[] }).items.map((item) => item.key)).toEqual([
      desk,
      monitor,
    ]);

    const refused = await requester
      .create('requests', { title: 'A laptop', description: 'Again', catalogItem: laptop })
      .expect(422);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({
      type: 'https://itsm.dev/problems/catalog-item-retired',
      status: 422,
      errors: [expect.objectContaining({ field: 'catalogItem' })],
    });

    const events = await eventually(
      async () => {
        const found = await eventsOf(laptop);
        return found.length >= 2 ? found : undefined;
      },
      { description: 'the catalogue item events on Kafka' },
    );
    expect(events.map((event) => event.type)).toEqual([
      EventTypes.catalogItem.created,
      EventTypes.catalogItem.updated,
    ]);
    expect(events[1]?.data).toMatchObject({
      item: { key: laptop, active: false, version: 2 },
      changedFields: ['active'],
      previous: { active: true },
    });
  });

  it('lets a requester browse but not manage the catalogue', async () => {
    await requester.call('get', `/api/v1/catalog-items/${monitor}`).expect(200);
    await add(requester, { key: `chair-${run}`, name: 'Chair', category }).expect(403);
    await requester
      .call('patch', `/api/v1/catalog-items/${monitor}`)
      .set('if-match', '"1"')
      .send({ active: false })
      .expect(403);
    const agent = await RecordsApi.as(platform.gatewayUrl, 'agent');
    await agent.call('get', '/api/v1/catalog-items').expect(200);
    await add(agent, { key: `chair-${run}`, name: 'Chair', category }).expect(403);
  });
});
