import fc from 'fast-check';
import { ServiceProcess } from '@itsm/testing';
import { bruteForceReach, randomGraph } from '../src/impact/domain/impact-oracle';
import { type Step } from '../src/impact/domain/impact-traversal';
import {
  dependencyEdgesOf,
  type RelationshipType,
} from '../src/relationships/domain/relationship-rules';
import { cmdbCaller, unique, type CmdbCall } from './support/cmdb-client';

interface Impact {
  limit: number;
  truncated: boolean;
  reachedCount: number;
  items: { ciId: string; distance: number; path: string[] }[];
  businessServices: {
    ciId: string;
    criticality: number | null;
    distance: number;
    path: string[];
  }[];
}

interface Report {
  items: { key: string; ciId: string }[];
  conflicts: unknown[];
}

/** Records servers n0..n(k-1) and the relationships between them through an import; answers their ids. */
async function importGraph(
  call: CmdbCall,
  nodes: string[],
  relationships: { type: RelationshipType; from: string; to: string }[],
): Promise<Map<string, string>> {
  const response = await call('post', '/api/v1/cmdb/imports', {
    source: 'impact-test',
    items: nodes.map((node) => ({
      key: node,
      class: 'virtual_server',
      name: unique(node),
      identifiers: { cloudId: unique(node) },
    })),
    relationships: relationships.map(({ type, from, to }) => ({
      type,
      source: { key: from },
      target: { key: to },
    })),
  });
  expect(response.status).toBe(200);
  const report = response.body as Report;
  return new Map(report.items.map((item) => [item.key, item.ciId]));
}

describe('impact analysis against PostgreSQL', () => {
  let cmdb: ServiceProcess;
  let call: CmdbCall;

  beforeAll(async () => {
    cmdb = await ServiceProcess.start('cmdb', {
      CMDB_IMPACT_MAX_CIS: '1500',
      CMDB_IMPORT_SYNC_LIMIT: '5000',
    });
    call = cmdbCaller(cmdb.url);
  });

  afterAll(async () => {
    await cmdb?.stop();
  });

  const impact = async (ids: string[], direction: string, depth: number): Promise<Impact> => {
    const response = await call('post', '/api/v1/cis/impact', { ciIds: ids, direction, depth });
    expect(response.status).toBe(200);
    return response.body as Impact;
  };

  it('follows each type the way it depends, through a cycle and a diamond, to the business services', async () => {
    // svc <-provides- app -depends_on-> db -runs_on-> vm1 -hosted_on-> host; app -depends_on-> cache -runs_on-> vm2 -hosted_on-> host
    // vm1 -depends_on-> vm2 -depends_on-> vm1 (a cycle); host -connected_to- switch
    const name = (prefix: string) => unique(prefix);
    const response = await call('post', '/api/v1/cmdb/imports', {
      source: 'impact-test',
      items: [
        { key: 'svc', class: 'business_service', name: name('shop'), criticality: 1 },
        { key: 'svc2', class: 'business_service', name: name('reports'), criticality: 3 },
        { key: 'app', class: 'application', name: name('shop-app') },
        {
          key: 'db',
          class: 'database',
          name: name('shop-db'),
          identifiers: { fqdn: `${name('shop-db')}.db.example` },
          attributes: { engine: 'postgresql' },
        },
        { key: 'cache', class: 'application_instance', name: name('cache') },
        {
          key: 'vm1',
          class: 'virtual_server',
          name: name('vm1'),
          identifiers: { cloudId: name('i-') },
        },
        {
          key: 'vm2',
          class: 'virtual_server',
          name: name('vm2'),
          identifiers: { cloudId: name('i-') },
        },
        {
          key: 'host',
          class: 'physical_server',
          name: name('host'),
          identifiers: { serialNumber: name('SN') },
        },
        {
          key: 'switch',
          class: 'network_device',
          name: name('sw'),
          identifiers: { serialNumber: name('SW') },
          attributes: { deviceType: 'switch' },
        },
      ],
      relationships: [
        ['provides', 'app', 'svc'],
        ['provides', 'app', 'svc2'],
        ['depends_on', 'app', 'db'],
        ['depends_on', 'app', 'cache'],
        ['runs_on', 'db', 'vm1'],
        ['runs_on', 'cache', 'vm2'],
        ['hosted_on', 'vm1', 'host'],
        ['hosted_on', 'vm2', 'host'],
        ['depends_on', 'vm1', 'vm2'],
        ['depends_on', 'vm2', 'vm1'],
        ['connected_to', 'host', 'switch'],
      ].map(([type, from, to]) => ({ type, source: { key: from }, target: { key: to } })),
    });
    expect(response.status).toBe(200);
    const report = response.body as Report;
    expect(report.conflicts).toEqual([]);
    const id = new Map(report.items.map((item) => [item.key, item.ciId]));
    const key = new Map([...id].map(([k, v]) => [v, k]));
    const of = (result: Impact): Record<string, number> =>
      Object.fromEntries(result.items.map((item) => [String(key.get(item.ciId)), item.distance]));

    const fromSwitch = await impact([id.get('switch') as string], 'upstream', 10);
    expect(of(fromSwitch)).toEqual({
      host: 1,
      vm1: 2,
      vm2: 2,
      db: 3,
      cache: 3,
      app: 4,
      svc: 5,
      svc2: 5,
    });
    expect(
      fromSwitch.businessServices.map((service) => [key.get(service.ciId), service.criticality]),
    ).toEqual([
      ['svc', 1],
      ['svc2', 3],
    ]);
    const toApp = fromSwitch.items.find((item) => item.ciId === id.get('app'));
    expect(toApp?.path.map((ciId) => key.get(ciId))).toHaveLength(5);
    expect(toApp?.path[0]).toBe(id.get('switch'));

    expect(of(await impact([id.get('host') as string], 'upstream', 2))).toEqual({
      vm1: 1,
      vm2: 1,
      db: 2,
      cache: 2,
      switch: 1,
    });
    expect(of(await impact([id.get('svc') as string], 'downstream', 3))).toEqual({
      app: 1,
      db: 2,
      cache: 2,
      vm1: 3,
      vm2: 3,
    });
    expect(of(await impact([id.get('svc') as string], 'upstream', 3))).toEqual({});
    const single = await call(
      'get',
      `/api/v1/cis/${id.get('db')}/impact?direction=downstream&depth=1`,
    );
    expect(single.status).toBe(200);
    expect(of(single.body as Impact)).toEqual({ vm1: 1 });
  });

  it('answers the same CIs at the same distances as a brute-force walk, on random graphs with cycles', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 25 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('upstream', 'downstream'),
        async (nodeCount, edgeCount, seed, depth, direction) => {
          const graph = randomGraph(nodeCount, edgeCount, seed);
          const relationships: { type: RelationshipType; from: string; to: string }[] = graph.edges
            .filter((edge) => edge.from !== edge.to)
            .map((edge, index) => ({
              type: index % 3 === 0 ? 'connected_to' : 'depends_on',
              from: edge.from,
              to: edge.to,
            }));
          const ids = await importGraph(call, graph.nodes, relationships);
          const steps: Step[] = relationships.flatMap(({ type, from, to }) =>
            dependencyEdgesOf(type, from, to).map((edge) =>
              direction === 'downstream'
                ? { from: edge.dependentId, to: edge.dependencyId }
                : { from: edge.dependencyId, to: edge.dependentId },
            ),
          );
          const starts = graph.nodes.slice(0, 2);
          const expected = bruteForceReach(steps, starts, depth);
          const result = await impact(
            starts.map((node) => ids.get(node) as string),
            direction,
            depth,
          );
          const node = new Map([...ids].map(([k, v]) => [v, k]));
          expect(new Map(result.items.map((item) => [node.get(item.ciId), item.distance]))).toEqual(
            expected,
          );
          for (const item of result.items) expect(item.path).toHaveLength(item.distance + 1);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('lists the nearest CIs up to the limit, counts them all, and names every business service reached', async () => {
    // 30 servers depend on the hub; behind each, a business service depends on it (distance 2)
    const servers = Array.from({ length: 30 }, (_, index) => `v${index}`);
    const response = await call('post', '/api/v1/cmdb/imports', {
      source: 'impact-test',
      items: [
        {
          key: 'hub',
          class: 'virtual_server',
          name: unique('hub'),
          identifiers: { cloudId: unique('i-') },
        },
        ...servers.flatMap((server, index) => [
          {
            key: server,
            class: 'virtual_server',
            name: unique(server),
            identifiers: { cloudId: unique('i-') },
          },
          {
            key: `s${index}`,
            class: 'business_service',
            name: unique(`service-${index}`),
            criticality: (index % 4) + 1,
          },
        ]),
      ],
      relationships: servers.flatMap((server, index) => [
        { type: 'depends_on', source: { key: server }, target: { key: 'hub' } },
        { type: 'depends_on', source: { key: `s${index}` }, target: { key: server } },
      ]),
    });
    expect(response.status).toBe(200);
    const id = new Map((response.body as Report).items.map((item) => [item.key, item.ciId]));
    const hub = id.get('hub') as string;

    const limited = await call('get', `/api/v1/cis/${hub}/impact?depth=3&limit=10`);
    expect(limited.status).toBe(200);
    const answer = limited.body as Impact;
    expect(answer).toMatchObject({ limit: 10, reachedCount: 60, truncated: false });
    expect(answer.items).toHaveLength(10);
    expect(answer.items.every((item) => item.distance === 1)).toBe(true);
    expect(answer.businessServices).toHaveLength(30);
    expect(answer.businessServices.map((service) => service.criticality)).toEqual(
      [...answer.businessServices.map((service) => service.criticality)].sort(),
    );
    for (const service of answer.businessServices) {
      expect(service.distance).toBe(2);
      expect(service.path).toHaveLength(3);
      expect(service.path[0]).toBe(hub);
    }

    const everything = await impact([hub], 'upstream', 3);
    expect(everything).toMatchObject({ limit: 1000, reachedCount: 60 });
    expect(everything.items).toHaveLength(60);

    const tooMany = await call('post', '/api/v1/cis/impact', {
      ciIds: [hub],
      depth: 3,
      limit: 1501,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body).toMatchObject({
      errors: [{ field: 'limit', message: 'must be at most 1500' }],
    });
    const zero = await call('get', `/api/v1/cis/${hub}/impact?limit=0`);
    expect(zero.status).toBe(400);
    expect(JSON.stringify(zero.body)).toContain('"field":"limit"');
  });

  it('names only the CIs asked about among those reached, and still counts the whole walk', async () => {
    // a chain n0 <- n1 <- n2 <- n3 (each depends on the one before), and n4 on its own
    const id = await importGraph(
      call,
      ['n0', 'n1', 'n2', 'n3', 'n4'],
      [
        { type: 'depends_on', from: 'n1', to: 'n0' },
        { type: 'depends_on', from: 'n2', to: 'n1' },
        { type: 'depends_on', from: 'n3', to: 'n2' },
      ],
    );
    const ci = (node: string) => id.get(node) as string;
    const response = await call('post', '/api/v1/cis/impact', {
      ciIds: [ci('n0')],
      direction: 'upstream',
      depth: 2,
      among: [ci('n2'), ci('n3'), ci('n4')],
    });
    expect(response.status).toBe(200);
    const answer = response.body as Impact;
    expect(answer).toMatchObject({ reachedCount: 2, truncated: false, businessServices: [] });
    // n3 is three steps away, n4 not connected: only n2 is within reach
    expect(answer.items).toEqual([
      expect.objectContaining({
        ciId: ci('n2'),
        distance: 2,
        path: [ci('n0'), ci('n1'), ci('n2')],
      }),
    ]);

    const refused = await call('post', '/api/v1/cis/impact', {
      ciIds: [ci('n0')],
      among: ['not-a-uuid'],
    });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain('"field":"among');
  });

  it('finds the business services among more than a thousand CIs past the limit', async () => {
    // 1,200 servers and 5 business services all depend on the hub
    const servers = Array.from({ length: 1200 }, (_, index) => `v${index}`);
    const services = Array.from({ length: 5 }, (_, index) => `s${index}`);
    const response = await call('post', '/api/v1/cmdb/imports', {
      source: 'impact-test',
      items: [
        {
          key: 'hub',
          class: 'virtual_server',
          name: unique('hub'),
          identifiers: { cloudId: unique('i-') },
        },
        ...servers.map((key) => ({
          key,
          class: 'virtual_server',
          name: unique(key),
          identifiers: { cloudId: unique('i-') },
        })),
        ...services.map((key) => ({ key, class: 'business_service', name: unique(key) })),
      ],
      relationships: [...servers, ...services].map((key) => ({
        type: 'depends_on',
        source: { key },
        target: { key: 'hub' },
      })),
    });
    expect(response.status).toBe(200);
    const id = new Map((response.body as Report).items.map((item) => [item.key, item.ciId]));
    const result = await call('get', `/api/v1/cis/${id.get('hub')}/impact?depth=1&limit=10`);
    expect(result.status).toBe(200);
    const answer = result.body as Impact;
    expect(answer).toMatchObject({ reachedCount: 1205, truncated: false });
    expect(answer.items).toHaveLength(10);
    expect(answer.businessServices.map((service) => service.ciId).sort()).toEqual(
      services.map((key) => id.get(key)).sort(),
    );
  });

  it('stops at the cap on reached CIs and says so', async () => {
    const nodes = Array.from({ length: 1600 }, (_, index) => `n${index}`);
    const ids = await importGraph(
      call,
      nodes,
      nodes.slice(1).map((node) => ({ type: 'depends_on', from: node, to: 'n0' })),
    );
    const result = await impact([ids.get('n0') as string], 'upstream', 2);
    expect(result).toMatchObject({ truncated: true, reachedCount: 1500, limit: 1000 });
    expect(result.items).toHaveLength(1000);
    const unknown = await call('get', '/api/v1/cis/5f0c1f0e-0000-4000-8000-000000000000/impact');
    expect(unknown.status).toBe(404);
  });
});
