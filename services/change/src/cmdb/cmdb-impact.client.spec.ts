import {
  ServiceCallRefused,
  degraded,
  problemType,
  type ServiceClient,
  type ServiceRead,
  type ServiceRequestOptions,
} from '@itsm/platform';
import { CmdbImpactClient } from './cmdb-impact.client';

interface Ci {
  class: string;
  criticality?: number;
  restricted?: boolean;
}

interface ImpactBody {
  ciIds: string[];
  direction: 'upstream' | 'downstream';
  depth: number;
  limit?: number;
  among?: string[];
}

/**
 * The cmdb service's impact analysis as the change service sees it, over a graph in memory:
 * breadth first, start CIs not listed, restricted CIs walked through, counted and withheld,
 * an unknown or restricted start CI refused (404 alone, 400 naming `ciIds[i]` among several).
 */
class FakeCmdb implements Pick<ServiceClient, 'post'> {
  readonly requests: ImpactBody[] = [];
  answer?: (body: ImpactBody, signal?: AbortSignal) => Promise<ServiceRead<unknown>> | undefined;

  constructor(
    private readonly cis: Record<string, Ci>,
    /** dependent -> what it depends on */
    private readonly dependsOn: [string, string][],
    private readonly defaultLimit = 1000,
    /** The CMDB's cap on the CIs one walk reaches (CMDB_IMPACT_MAX_CIS). */
    private readonly maxReached = Infinity,
  ) {}

  async post<T>(
    path: string,
    body: unknown,
    options: ServiceRequestOptions<T> = {},
  ): Promise<ServiceRead<T>> {
    expect(path).toBe('/api/v1/cis/impact');
    const request = body as ImpactBody;
    this.requests.push(request);
    const answered = this.answer?.(request, options.signal);
    if (answered) return (await answered) as ServiceRead<T>;
    const invisible = request.ciIds.flatMap((id, index) =>
      !this.cis[id] || this.cis[id].restricted ? [index] : [],
    );
    if (invisible.length > 0 && request.ciIds.length === 1)
      throw new ServiceCallRefused(
        'cmdb',
        404,
        { method: 'POST', target: path },
        { type: problemType('not-found'), title: 'CI not found', status: 404 },
      );
    if (invisible.length > 0)
      throw new ServiceCallRefused(
        'cmdb',
        400,
        { method: 'POST', target: path },
        {
          type: problemType('validation-error'),
          title: 'Your request is not valid',
          status: 400,
          errors: invisible.map((index) => ({ field: `ciIds[${index}]`, message: 'is not a CI' })),
        },
      );
    const analysis = this.walk(request);
    return { degraded: false, value: options.parse ? options.parse(analysis) : (analysis as T) };
  }

  private walk({ ciIds, direction, depth, among, limit }: ImpactBody) {
    const reached = new Map<string, string[]>(ciIds.map((id) => [id, [id]]));
    let frontier = [...ciIds];
    let truncated = false;
    for (let level = 1; level <= depth && frontier.length > 0 && !truncated; level++) {
      const next: string[] = [];
      for (const from of frontier)
        for (const [dependent, dependency] of this.dependsOn) {
          const [a, b] =
            direction === 'upstream' ? [dependency, dependent] : [dependent, dependency];
          if (a !== from || reached.has(b)) continue;
          if (reached.size - ciIds.length >= this.maxReached) {
            truncated = true;
            break;
          }
          reached.set(b, [...(reached.get(from) ?? []), b]);
          next.push(b);
        }
      frontier = next;
    }
    const all = [...reached].filter(([id]) => !ciIds.includes(id));
    const shown = (path: string[]) =>
      path.map((id) => (this.cis[id]?.restricted ? 'restricted' : id));
    const item = ([id, path]: [string, string[]]) => ({
      ciId: id,
      class: this.cis[id]?.class ?? 'server',
      name: `ci ${id}`,
      status: 'operational',
      criticality: this.cis[id]?.criticality ?? null,
      distance: path.length - 1,
      path: shown(path),
    });
    const visible = all.filter(([id]) => !this.cis[id]?.restricted);
    const listed = among ? visible.filter(([id]) => among.includes(id)) : visible;
    const shownLimit = limit ?? among?.length ?? this.defaultLimit;
    return {
      ciIds,
      direction,
      depth,
      limit: shownLimit,
      truncated,
      reachedCount: all.length,
      withheldCount: all.length - visible.length,
      items: listed.slice(0, shownLimit).map(item),
      businessServices: listed
        .filter(([id]) => this.cis[id]?.class === 'business_service')
        .map(item)
        .sort((a, b) => (a.criticality ?? 5) - (b.criticality ?? 5)),
    };
  }
}

//   shop (svc, 1)   payroll (svc, 2, restricted)   reports (svc, 3)
//        |                  |                          |
//       app ----------> vault (restricted) <--------- etl
//        |                  |
//        +------------->   db
//                           |
//                          vm          (each arrow: depends on)
const cis: Record<string, Ci> = {
  shop: { class: 'business_service', criticality: 1 },
  payroll: { class: 'business_service', criticality: 2, restricted: true },
  reports: { class: 'business_service', criticality: 3 },
  app: { class: 'application' },
  vault: { class: 'application', restricted: true },
  etl: { class: 'application' },
  db: { class: 'database' },
  vm: { class: 'virtual_server' },
};
const dependsOn: [string, string][] = [
  ['shop', 'app'],
  ['payroll', 'vault'],
  ['reports', 'etl'],
  ['app', 'vault'],
  ['app', 'db'],
  ['vault', 'db'],
  ['etl', 'vault'],
  ['db', 'vm'],
];

describe('the change service’s window on the CMDB', () => {
  it('answers the business services upstream, most critical first, restricted ones counted only', async () => {
    const cmdb = new FakeCmdb(cis, dependsOn);
    const read = await new CmdbImpactClient(cmdb, 1000).upstreamBusinessServices(['vm'], 5);
    expect(read).toEqual({
      degraded: false,
      value: {
        businessServices: [
          expect.objectContaining({ ciId: 'shop', criticality: 1, distance: 3 }),
          expect.objectContaining({ ciId: 'reports', criticality: 3, distance: 4 }),
        ],
        reachedCount: 7,
        withheldCount: 2,
        truncated: false,
        unseenCiIds: [],
      },
    });
    // Business services come whatever the limit: nothing else is listed.
    expect(cmdb.requests).toEqual([{ ciIds: ['vm'], direction: 'upstream', depth: 5, limit: 1 }]);
  });

  it('leaves out CIs the CMDB does not show it, says which, and walks from the rest', async () => {
    const cmdb = new FakeCmdb(cis, dependsOn);
    const client = new CmdbImpactClient(cmdb, 1000);
    const read = await client.upstreamBusinessServices(['etl', 'vault', 'nope'], 2);
    expect(read).toMatchObject({
      degraded: false,
      value: {
        businessServices: [expect.objectContaining({ ciId: 'reports' })],
        unseenCiIds: ['vault', 'nope'],
      },
    });
    expect(cmdb.requests.map((request) => request.ciIds)).toEqual([
      ['etl', 'vault', 'nope'],
      ['etl'],
    ]);
    await expect(client.upstreamBusinessServices(['vault'], 2)).resolves.toEqual({
      degraded: false,
      value: expect.objectContaining({ businessServices: [], unseenCiIds: ['vault'] }),
    });
    await expect(client.upstreamBusinessServices([], 2)).resolves.toMatchObject({
      value: { businessServices: [], reachedCount: 0 },
    });
    expect(cmdb.requests).toHaveLength(3);
  });

  it('passes a degraded read on, and throws a refusal that is not about the CIs', async () => {
    const cmdb = new FakeCmdb(cis, dependsOn);
    const client = new CmdbImpactClient(cmdb, 1000);
    cmdb.answer = () => Promise.resolve(degraded('cmdb answered 503'));
    await expect(client.upstreamBusinessServices(['db'], 2)).resolves.toEqual({
      degraded: true,
      reason: 'cmdb answered 503',
    });
    const forbidden = new ServiceCallRefused(
      'cmdb',
      403,
      { method: 'POST', target: '/x' },
      {
        type: 'about:blank',
        title: 'Forbidden',
        status: 403,
      },
    );
    cmdb.answer = () => Promise.reject(forbidden);
    await expect(client.upstreamBusinessServices(['db'], 2)).rejects.toBe(forbidden);
    const tooDeep = new ServiceCallRefused(
      'cmdb',
      400,
      { method: 'POST', target: '/x' },
      {
        type: problemType('validation-error'),
        title: 'Your request is not valid',
        status: 400,
        errors: [{ field: 'depth', message: 'must be at most 10' }],
      },
    );
    cmdb.answer = () => Promise.reject(tooDeep);
    await expect(client.upstreamBusinessServices(['db'], 20)).rejects.toBe(tooDeep);
    await expect(client.upstreamBusinessServices(['db'], 0)).rejects.toThrow(RangeError);
  });

  it('has the answer checked as an impact analysis, so that another shape reads as degraded', async () => {
    let checked = false;
    const client = new CmdbImpactClient(
      {
        post: <T>(_path: string, _body: unknown, options?: ServiceRequestOptions<T>) => {
          expect(() => options?.parse?.({ items: 'none' })).toThrow(/not an impact analysis/);
          checked = true;
          return Promise.resolve(degraded('cmdb answered something unexpected'));
        },
      },
      1000,
    );
    await expect(client.upstreamBusinessServices(['db'], 2)).resolves.toMatchObject({
      degraded: true,
    });
    expect(checked).toBe(true);
  });

  it('finds which of a change’s CIs depend on each other within the hops, from each dependent’s side', async () => {
    const cmdb = new FakeCmdb(cis, dependsOn);
    const client = new CmdbImpactClient(cmdb, 1000);
    const near = await client.dependencies(['app', 'db', 'vm', 'etl'], 1);
    expect(near).toEqual({
      degraded: false,
      value: {
        dependencies: [
          {
            ciId: 'app',
            relatedCiId: 'db',
            direction: 'downstream',
            distance: 1,
            path: ['app', 'db'],
          },
          {
            ciId: 'db',
            relatedCiId: 'vm',
            direction: 'downstream',
            distance: 1,
            path: ['db', 'vm'],
          },
        ],
        incompleteCiIds: [],
        unseenCiIds: [],
      },
    });
    expect(cmdb.requests.every((request) => request.direction === 'downstream')).toBe(true);
    const further = await client.dependencies(['app', 'vm'], 2);
    expect(further).toMatchObject({
      value: {
        dependencies: [{ ciId: 'app', relatedCiId: 'vm', distance: 2, path: ['app', 'db', 'vm'] }],
      },
    });
  });

  it('finds which CIs are within the hops of another set, either way, through restricted CIs', async () => {
    const cmdb = new FakeCmdb(cis, dependsOn);
    const client = new CmdbImpactClient(cmdb, 1000);
    const read = await client.dependencies(['app', 'vm'], 2, ['db', 'payroll', 'shop']);
    // One walk each way from both CIs at once, listing only the CIs asked about.
    const among = ['db', 'payroll', 'shop'];
    expect(cmdb.requests).toEqual([
      { ciIds: ['app', 'vm'], direction: 'downstream', depth: 2, among },
      { ciIds: ['app', 'vm'], direction: 'upstream', depth: 2, among },
    ]);
    expect(read).toEqual({
      degraded: false,
      value: {
        dependencies: [
          {
            ciId: 'app',
            relatedCiId: 'db',
            direction: 'downstream',
            distance: 1,
            path: ['app', 'db'],
          },
          {
            ciId: 'app',
            relatedCiId: 'shop',
            direction: 'upstream',
            distance: 1,
            path: ['app', 'shop'],
          },
          { ciId: 'vm', relatedCiId: 'db', direction: 'upstream', distance: 1, path: ['vm', 'db'] },
        ],
        incompleteCiIds: [],
        unseenCiIds: [],
      },
    });
    // Through the restricted vault, whose step is anonymous; a restricted CI given is not walked from.
    const throughVault = await client.dependencies(['payroll', 'etl'], 2, ['db']);
    expect(throughVault).toEqual({
      degraded: false,
      value: {
        dependencies: [
          {
            ciId: 'etl',
            relatedCiId: 'db',
            direction: 'downstream',
            distance: 2,
            path: ['etl', 'restricted', 'db'],
          },
        ],
        incompleteCiIds: [],
        unseenCiIds: ['payroll'],
      },
    });
  });

  it('says whose neighbourhood the CMDB walked only in part', async () => {
    // The CMDB stops a walk at three CIs reached.
    const cmdb = new FakeCmdb(cis, dependsOn, 1000, 3);
    const client = new CmdbImpactClient(cmdb, 1000);
    // app reaches vault, db and vm downstream: three, all of them.
    const read = await client.dependencies(['vm', 'app'], 3);
    expect(read).toMatchObject({
      value: { dependencies: [{ ciId: 'app', relatedCiId: 'vm' }], incompleteCiIds: [] },
    });
    // vm has six CIs upstream within three steps: the walk stopped before shop.
    const upstream = await client.dependencies(['vm'], 3, ['shop']);
    expect(upstream).toMatchObject({ value: { dependencies: [], incompleteCiIds: ['vm'] } });
  });

  it('walks from each CI against another set in a direction the walk from all of them stopped short', async () => {
    // The CMDB stops a walk at two CIs reached: db and etl together have three upstream.
    const cmdb = new FakeCmdb(cis, dependsOn, 1000, 2);
    const read = await new CmdbImpactClient(cmdb, 1000).dependencies(['db', 'etl'], 1, ['app']);
    expect(read).toEqual({
      degraded: false,
      value: {
        dependencies: [
          {
            ciId: 'db',
            relatedCiId: 'app',
            direction: 'upstream',
            distance: 1,
            path: ['db', 'app'],
          },
        ],
        incompleteCiIds: [],
        unseenCiIds: [],
      },
    });
    // Downstream (vm and vault) was walked whole; upstream was not.
    expect(cmdb.requests.map(({ ciIds, direction }) => [ciIds, direction])).toEqual([
      [['db', 'etl'], 'downstream'],
      [['db', 'etl'], 'upstream'],
      [['db'], 'upstream'],
      [['etl'], 'upstream'],
    ]);
  });

  it('lists the nearest CIs, as the CMDB does by default, when asked about more CIs than one walk lists', async () => {
    const cmdb = new FakeCmdb(cis, dependsOn);
    const others = ['db', ...Array.from({ length: 1000 }, (_, index) => `elsewhere-${index}`)];
    const read = await new CmdbImpactClient(cmdb, 1000).dependencies(['app', 'vm'], 1, others);
    expect(read).toMatchObject({
      value: {
        dependencies: [
          { ciId: 'app', relatedCiId: 'db' },
          { ciId: 'vm', relatedCiId: 'db' },
        ],
      },
    });
    expect(cmdb.requests.every((request) => request.among === undefined)).toBe(true);
  });

  it('is degraded as a whole when one walk is, and stops the others', async () => {
    const cmdb = new FakeCmdb(cis, dependsOn);
    cmdb.answer = (body, signal) => {
      if (body.ciIds[0] === 'db')
        return Promise.resolve(degraded('cmdb did not answer within 100 ms'));
      // The others answer only once abandoned, as the client does when its signal aborts.
      return new Promise((resolve) =>
        signal?.addEventListener('abort', () => resolve(degraded('abandoned')), { once: true }),
      );
    };
    const read = await new CmdbImpactClient(cmdb, 60_000).dependencies(
      ['app', 'db', 'vm', 'etl', 'shop', 'reports'],
      2,
    );
    expect(read).toEqual({ degraded: true, reason: 'cmdb did not answer within 100 ms' });
    // Four at a time: the last two were never asked for.
    expect(cmdb.requests.map((request) => request.ciIds[0])).toEqual(['app', 'db', 'vm', 'etl']);
  });
});
