import { EventTypes, Topics, fromKafkaRecord, type CiEventV1 } from '@itsm/contracts';
import { ServiceProcess, eventually, readWholeTopic, testKafka } from '@itsm/testing';
import { cmdbCaller, countRows, unique, type CmdbCall } from './support/cmdb-client';

interface Ci {
  id: string;
  class: string;
  name: string;
  status: string;
  attributes: Record<string, unknown>;
  version: number;
}

describe('CI classes and CIs (cmdb service, real PostgreSQL and Kafka)', () => {
  let cmdb: ServiceProcess;
  let call: CmdbCall;

  beforeAll(async () => {
    cmdb = await ServiceProcess.start('cmdb');
    call = cmdbCaller(cmdb.url);
  });

  afterAll(async () => {
    await cmdb?.stop();
  });

  it('seeds the built-in hierarchy, each class with its inherited attribute schema', async () => {
    const response = await call('get', '/api/v1/ci-classes');
    expect(response.status).toBe(200);
    const classes = (response.body as { items: { name: string; parent: string | null }[] }).items;
    expect(classes.map((definition) => definition.name)).toEqual(
      expect.arrayContaining([
        'business_service',
        'application',
        'application_instance',
        'database',
        'server',
        'physical_server',
        'virtual_server',
        'container_workload',
        'network_device',
        'storage',
        'cloud_resource',
      ]),
    );
    const virtual = await call('get', '/api/v1/ci-classes/virtual_server');
    const properties = (virtual.body as { attributeSchema: { properties: object } }).attributeSchema
      .properties;
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining([
        'os',
        'cpuCount',
        'memoryMb',
        'virtual',
        'hypervisor',
        'description',
      ]),
    );
  });

  it('validates attributes per class, inherited ones included', async () => {
    const server = await call('post', '/api/v1/cis', {
      class: 'virtual_server',
      name: unique('vm'),
      attributes: { os: 'Debian', cpuCount: 4, memoryMb: 8192, hypervisor: 'kvm', virtual: true },
    });
    expect(server.status).toBe(201);
    expect(server.headers.etag).toBe('"1"');
    const database = await call('post', '/api/v1/cis', {
      class: 'database',
      name: unique('db'),
      attributes: { engine: 'postgresql', port: 5432 },
    });
    expect(database.status).toBe(201);
  });

  it('refuses bad attributes with 400 problem+json naming each attribute, and stores nothing', async () => {
    const cisBefore = await countRows('cmdb.cis');
    const outboxBefore = await countRows('cmdb.ci_history');
    const response = await call('post', '/api/v1/cis', {
      class: 'database',
      name: unique('db'),
      attributes: { engine: 'dbase', cpuCount: 2, port: 'x' },
    });
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const fields = (response.body as { errors: { field: string }[] }).errors.map(
      (error) => error.field,
    );
    expect(new Set(fields)).toEqual(
      new Set(['attributes.engine', 'attributes.cpuCount', 'attributes.port']),
    );
    const missing = await call('post', '/api/v1/cis', { class: 'database', name: unique('db') });
    expect(missing.status).toBe(400);
    expect((missing.body as { errors: { field: string }[] }).errors).toEqual([
      { field: 'attributes.engine', message: 'is required' },
    ]);
    const abstract = await call('post', '/api/v1/cis', { class: 'configuration_item', name: 'x' });
    expect(abstract.status).toBe(400);
    expect(await countRows('cmdb.cis')).toBe(cisBefore);
    expect(await countRows('cmdb.ci_history')).toBe(outboxBefore);
  });

  it('adds a class and attributes through the API; subclasses inherit them', async () => {
    const name = unique('blade').replace(/-/g, '_');
    const created = await call('post', '/api/v1/ci-classes', {
      name,
      label: 'Blade server',
      parent: 'physical_server',
      attributes: { slot: { type: 'integer', minimum: 1, maximum: 16 } },
      required: ['slot'],
    });
    expect(created.status).toBe(201);
    const shadowing = await call('post', '/api/v1/ci-classes', {
      name: `${name}_x`,
      label: 'Bad',
      parent: name,
      attributes: { cpuCount: { type: 'string' } },
    });
    expect(shadowing.status).toBe(400);
    expect((shadowing.body as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'attributes.cpuCount',
    );

    const added = await call('post', '/api/v1/ci-classes/physical_server/attributes', {
      attributes: { powerSupplies: { type: 'integer', minimum: 1 } },
    });
    expect(added.status).toBe(200);
    const bladeName = unique('blade');
    const blade = await call('post', '/api/v1/cis', {
      class: name,
      name: bladeName,
      attributes: { slot: 3, powerSupplies: 2, cpuCount: 16 },
    });
    expect(blade.status).toBe(201);
    const badSlot = await call('post', '/api/v1/cis', {
      class: name,
      name: unique('blade'),
      attributes: { slot: 99 },
    });
    expect((badSlot.body as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'attributes.slot',
    );

    const servers = await call('get', `/api/v1/cis?class=server&search=${bladeName}`);
    expect((servers.body as { items: Ci[] }).items.map((ci) => ci.id)).toContain(
      (blade.body as Ci).id,
    );
  });

  it('changes a CI with If-Match, retires it, and publishes created, updated and retired events', async () => {
    const created = (
      await call('post', '/api/v1/cis', {
        class: 'physical_server',
        name: unique('host'),
        environment: 'production',
        identifiers: { serialNumber: unique('SN'), ipAddresses: ['10.1.2.3'] },
        attributes: { cpuCount: 8 },
      })
    ).body as Ci;
    const stale = await call(
      'patch',
      `/api/v1/cis/${created.id}`,
      { name: 'x' },
      { 'if-match': '"7"' },
    );
    expect(stale.status).toBe(412);
    const changed = await call(
      'patch',
      `/api/v1/cis/${created.id}`,
      { status: 'retired', attributes: { cpuCount: 16 } },
      { 'if-match': '"1"' },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      status: 'retired',
      version: 2,
      attributes: { cpuCount: 16 },
    });

    const byIdentifier = await call(
      'get',
      `/api/v1/cis?identifier=10.1.2.3&status=retired&environment=production`,
    );
    expect((byIdentifier.body as { items: Ci[] }).items.map((ci) => ci.id)).toContain(created.id);

    const events = await eventually(
      async () => {
        const records = (await readWholeTopic(testKafka(), Topics.cmdbEvents)).filter(
          ({ message }) => message.key?.toString() === created.id,
        );
        return records.length >= 3
          ? records.map(({ message }) => fromKafkaRecord(message))
          : undefined;
      },
      { description: 'the CI events on Kafka', timeoutMs: 30_000 },
    );
    expect(events.map((event) => event.type)).toEqual([
      EventTypes.cmdb.ciCreated,
      EventTypes.cmdb.ciUpdated,
      EventTypes.cmdb.ciRetired,
    ]);
    const updated = events[1]?.data as CiEventV1;
    expect(updated.changedFields.sort()).toEqual(['attributes.cpuCount', 'status']);
    expect(updated.previous).toEqual({ status: 'planned', 'attributes.cpuCount': 8 });
    expect(updated.actor).toBe('configuration_manager');
  });

  it('refuses a second CI with the serial number of another (409)', async () => {
    const serialNumber = unique('SN');
    const first = await call('post', '/api/v1/cis', {
      class: 'physical_server',
      name: unique('host'),
      identifiers: { serialNumber },
    });
    expect(first.status).toBe(201);
    const second = await call('post', '/api/v1/cis', {
      class: 'physical_server',
      name: unique('host'),
      identifiers: { serialNumber: serialNumber.toLowerCase() },
    });
    expect(second.status).toBe(409);
    expect((second.body as { ciIds: string[] }).ciIds).toEqual([(first.body as Ci).id]);
  });
});
