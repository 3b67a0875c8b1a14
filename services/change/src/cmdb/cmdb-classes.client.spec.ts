import {
  degraded,
  type ServiceClient,
  type ServiceRead,
  type ServiceRequestOptions,
} from '@itsm/platform';
import { CmdbClassesClient, MAX_IDS_PER_LIST } from './cmdb-classes.client';

const HIERARCHY = [
  { name: 'configuration_item', parent: null },
  { name: 'server', parent: 'configuration_item' },
  { name: 'virtual_server', parent: 'server' },
  { name: 'database', parent: 'application_instance' },
  { name: 'application_instance', parent: 'configuration_item' },
];

/** The cmdb service's CI list (`ids` filter) and class hierarchy, as the change service sees them. */
class FakeCmdb implements Pick<ServiceClient, 'get'> {
  readonly paths: string[] = [];
  down = false;

  constructor(
    /** Visible CIs: id to class. */
    private readonly cis: Record<string, string>,
    readonly classes: { name: string; parent: string | null }[] = [...HIERARCHY],
  ) {}

  get<T>(path: string, options: ServiceRequestOptions<T> = {}): Promise<ServiceRead<T>> {
    this.paths.push(path);
    if (this.down) return Promise.resolve(degraded('cmdb did not answer within 100 ms'));
    const url = new URL(path, 'http://cmdb');
    const body =
      url.pathname === '/api/v1/ci-classes'
        ? { items: this.classes, nextCursor: null }
        : {
            items: (url.searchParams.get('ids') ?? '')
              .split(',')
              .filter((id) => this.cis[id])
              .map((id) => ({ id: id.toUpperCase(), class: this.cis[id], name: id })),
            nextCursor: null,
          };
    return Promise.resolve({
      degraded: false,
      value: options.parse ? options.parse(body) : (body as T),
    });
  }
}

describe('the classes of a change’s CIs, read from the CMDB', () => {
  it('answers each CI’s class with its ancestors, and the CIs it does not show', async () => {
    const cmdb = new FakeCmdb({ vm: 'virtual_server', db: 'database' });
    const read = await new CmdbClassesClient(cmdb, 1000).classesOf(['VM', 'db', 'secret', 'vm']);
    expect(read).toEqual({
      degraded: false,
      value: {
        classesById: {
          vm: ['virtual_server', 'server', 'configuration_item'],
          db: ['database', 'application_instance', 'configuration_item'],
        },
        unseenCiIds: ['secret'],
      },
    });
    expect(cmdb.paths).toEqual(['/api/v1/cis?ids=vm,db,secret&limit=3', '/api/v1/ci-classes']);
  });

  it('reads a hundred CIs a call, and the hierarchy again only for a class it does not know', async () => {
    const ids = Array.from({ length: MAX_IDS_PER_LIST + 1 }, (_, index) => `ci${index}`);
    const cmdb = new FakeCmdb(Object.fromEntries(ids.map((id) => [id, 'server'])));
    const client = new CmdbClassesClient(cmdb, 1000);
    const read = await client.classesOf(ids);
    expect(read.degraded || Object.keys(read.value.classesById).length).toBe(ids.length);
    expect(cmdb.paths.map((path) => path.split('?')[0])).toEqual([
      '/api/v1/cis',
      '/api/v1/cis',
      '/api/v1/ci-classes',
    ]);
    cmdb.paths.length = 0;
    await client.classesOf(['ci1']);
    expect(cmdb.paths).toEqual(['/api/v1/cis?ids=ci1&limit=1']);

    // A class added to the CMDB since the hierarchy was read: read again, once.
    const grown = new FakeCmdb({ vm: 'server', box: 'appliance' });
    const later = new CmdbClassesClient(grown, 1000);
    await later.classesOf(['vm']);
    grown.classes.push({ name: 'appliance', parent: 'server' });
    expect(await later.classesOf(['box'])).toMatchObject({
      value: { classesById: { box: ['appliance', 'server', 'configuration_item'] } },
    });
    expect(grown.paths.filter((path) => path === '/api/v1/ci-classes')).toHaveLength(2);
  });

  it('asks nothing for no CIs, and is degraded when the CMDB does not answer', async () => {
    const cmdb = new FakeCmdb({ vm: 'virtual_server' });
    const client = new CmdbClassesClient(cmdb, 1000);
    expect(await client.classesOf([])).toEqual({
      degraded: false,
      value: { classesById: {}, unseenCiIds: [] },
    });
    expect(cmdb.paths).toEqual([]);
    cmdb.down = true;
    expect(await client.classesOf(['vm'])).toEqual({
      degraded: true,
      reason: 'cmdb did not answer within 100 ms',
    });
  });
});
