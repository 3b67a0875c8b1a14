import { randomUUID } from 'node:crypto';
import {
  EventTypes,
  Topics,
  fromKafkaRecord,
  type CiClassEventV1,
  type CiEventV1,
} from '@itsm/contracts';
import {
  OpenApiConformance,
  ServiceProcess,
  countRows,
  eventually,
  queryTestDatabase,
  readWholeTopic,
  testKafka,
} from '@itsm/testing';
import { cmdbCaller, unique, type CmdbCall } from './support/cmdb-client';

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
    const addedVersion = (added.body as { version: number }).version;
    const addingNothing = await call('post', '/api/v1/ci-classes/physical_server/attributes', {
      attributes: {},
    });
    expect(addingNothing.status).toBe(400);
    expect((addingNothing.body as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'attributes',
    );
    const unchanged = await call('get', '/api/v1/ci-classes/physical_server');
    expect((unchanged.body as { version: number }).version).toBe(addedVersion);
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

    // A batch read by id: unknown ids are left out, not an error; more than 100 is a 400.
    const byIds = await call('get', `/api/v1/cis?ids=${created.id.toUpperCase()},${randomUUID()}`);
    expect((byIds.body as { items: Ci[] }).items.map((ci) => ci.id)).toEqual([created.id]);
    const tooMany = Array.from({ length: 101 }, () => randomUUID()).join(',');
    expect((await call('get', `/api/v1/cis?ids=${tooMany}`)).status).toBe(400);
    expect((await call('get', '/api/v1/cis?ids=not-a-uuid')).status).toBe(400);

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

  it('refuses a change that gives a CI the serial number of another (409), and keeps the CI as it was', async () => {
    const serialNumber = unique('SN');
    const other = (
      await call('post', '/api/v1/cis', {
        class: 'physical_server',
        name: unique('host'),
        identifiers: { serialNumber },
      })
    ).body as Ci;
    const ci = (
      await call('post', '/api/v1/cis', {
        class: 'physical_server',
        name: unique('host'),
        identifiers: { serialNumber: unique('SN') },
      })
    ).body as Ci & { identifiers: Record<string, unknown> };
    const clash = await call(
      'patch',
      `/api/v1/cis/${ci.id}`,
      { identifiers: { serialNumber: serialNumber.toLowerCase() } },
      { 'if-match': '"1"' },
    );
    expect(clash.status).toBe(409);
    expect(clash.headers['content-type']).toContain('application/problem+json');
    expect(clash.body).toMatchObject({
      ciIds: [other.id],
      errors: [{ field: 'identifiers.serialNumber', message: 'belongs to another CI' }],
    });
    const unchanged = (await call('get', `/api/v1/cis/${ci.id}`)).body as typeof ci;
    expect(unchanged).toMatchObject({ version: 1, identifiers: ci.identifiers });

    // Its own identifiers, given again with a new host name, are no clash.
    const fine = await call(
      'patch',
      `/api/v1/cis/${ci.id}`,
      { identifiers: { ...ci.identifiers, hostname: unique('renamed') } },
      { 'if-match': '"1"' },
    );
    expect(fine.status).toBe(200);
    expect((fine.body as Ci).version).toBe(2);

    // A null clears an identifier, and the CI is no longer found by it.
    const foundBySerial = async () =>
      (
        (await call('get', `/api/v1/cis?identifier=${String(ci.identifiers.serialNumber)}`))
          .body as { items: Ci[] }
      ).items.map((item) => item.id);
    expect(await foundBySerial()).toContain(ci.id);
    const cleared = await call(
      'patch',
      `/api/v1/cis/${ci.id}`,
      { identifiers: { serialNumber: null } },
      { 'if-match': '"2"' },
    );
    expect(cleared.status).toBe(200);
    const clearedCi = cleared.body as Ci & { identifiers: Record<string, unknown> };
    expect(clearedCi.version).toBe(3);
    expect(clearedCi.identifiers.serialNumber).toBeUndefined();
    expect(clearedCi.identifiers.hostname).toBeDefined();
    expect(await foundBySerial()).not.toContain(ci.id);
  });

  it("changes a built-in class's identification rules with If-Match, publishes it, and the next import identifies by them", async () => {
    const read = await call('get', '/api/v1/ci-classes/storage');
    expect(read.status).toBe(200);
    const etag = read.headers.etag;
    const before = read.body as { version: number; effectiveIdentificationRules: string[] };
    expect(etag).toBe(`"${before.version}"`);

    const withoutIfMatch = await call('patch', '/api/v1/ci-classes/storage', {
      identificationRules: ['name'],
    });
    expect(withoutIfMatch.status).toBe(428);
    const stale = await call(
      'patch',
      '/api/v1/ci-classes/storage',
      { identificationRules: ['name'] },
      { 'if-match': `"${before.version + 5}"` },
    );
    expect(stale.status).toBe(412);
    const unknownKind = await call(
      'patch',
      '/api/v1/ci-classes/storage',
      { identificationRules: ['serialNumber', 'macAddress'] },
      { 'if-match': etag },
    );
    expect(unknownKind.status).toBe(400);
    expect(unknownKind.headers['content-type']).toContain('application/problem+json');
    expect(
      (unknownKind.body as { errors: { field: string }[] }).errors.map((error) => error.field),
    ).toEqual(['identificationRules']);
    const unknownField = await call(
      'patch',
      '/api/v1/ci-classes/storage',
      { sourcePrecedence: { 'attributes.colour': ['vcenter'] } },
      { 'if-match': etag },
    );
    expect(unknownField.status).toBe(400);
    expect(
      (unknownField.body as { errors: { field: string }[] }).errors.map((error) => error.field),
    ).toEqual(['sourcePrecedence.attributes.colour']);
    expect(((await call('get', '/api/v1/ci-classes/storage')).body as Ci).version).toBe(
      before.version,
    );

    const changed = await call(
      'patch',
      '/api/v1/ci-classes/storage',
      { identificationRules: ['name'], description: 'Volumes, identified by name' },
      { 'if-match': etag },
    );
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).toBe(`"${before.version + 1}"`);
    expect(changed.body).toMatchObject({
      identificationRules: ['name'],
      effectiveIdentificationRules: ['name'],
      description: 'Volumes, identified by name',
      version: before.version + 1,
    });

    try {
      const name = unique('vol');
      const imported = async (serialNumber: string) =>
        (
          await call('post', '/api/v1/cmdb/imports', {
            source: 'storage-array',
            items: [{ class: 'storage', name, identifiers: { serialNumber } }],
          })
        ).body as { created: number; updated: number; items: { ciId: string }[] };
      const first = await imported(unique('SN'));
      const second = await imported(unique('SN'));
      expect(first.created).toBe(1);
      // By name now: the new serial number is the same volume's, not a second volume.
      expect(second).toMatchObject({ created: 0, updated: 1 });
      expect(second.items[0]?.ciId).toBe(first.items[0]?.ciId);

      const event = await eventually(
        async () =>
          (await readWholeTopic(testKafka(), Topics.cmdbEvents))
            .filter(({ message }) => message.key?.toString() === 'storage')
            .map(({ message }) => fromKafkaRecord(message))
            .find(
              (candidate) =>
                candidate.type === EventTypes.cmdb.ciClassUpdated &&
                (candidate.data as CiClassEventV1).ciClass.version === before.version + 1,
            ),
        { description: 'the class change on Kafka', timeoutMs: 30_000 },
      );
      expect(event.data).toMatchObject({
        changedFields: ['description', 'identificationRules'],
        actor: 'configuration_manager',
        ciClass: { name: 'storage', identificationRules: ['name'] },
      });
    } finally {
      // Back to the built-in rules, for the suites that follow.
      const restored = await call(
        'patch',
        '/api/v1/ci-classes/storage',
        { identificationRules: null },
        { 'if-match': `"${before.version + 1}"` },
      );
      expect(restored.body).toMatchObject({
        identificationRules: null,
        effectiveIdentificationRules: before.effectiveIdentificationRules,
      });
    }
  });

  it('lists the CIs discovery has not seen for staleDays days, and none that it saw since', async () => {
    const prefix = unique('stale');
    const report = (
      await call('post', '/api/v1/cmdb/imports', {
        source: 'vcenter',
        items: ['long-ago', 'recently'].map((name) => ({
          class: 'virtual_server',
          name: `${prefix}-${name}`,
          identifiers: { cloudId: unique('vm') },
        })),
      })
    ).body as { items: { ciId: string }[] };
    const [longAgo, recently] = report.items.map((item) => item.ciId);
    // As if the discovery that saw it last ran 40 days ago.
    await queryTestDatabase(
      `UPDATE cmdb.cis SET last_discovered_at = now() - interval '40 days' WHERE id = $1`,
      [longAgo],
    );
    const stale = async (days: number) =>
      (
        (await call('get', `/api/v1/cis?staleDays=${days}&search=${prefix}`)).body as {
          items: Ci[];
        }
      ).items.map((ci) => ci.id);
    expect(await stale(30)).toEqual([longAgo]);
    expect(await stale(50)).toEqual([]);
    expect((await stale(0)).sort()).toEqual([longAgo, recently].sort());

    // The fuzzer's 10000000000000 days made the cut-off an invalid date, and the query a 500.
    for (const days of [-1, 36_501, 10_000_000_000_000]) {
      const bad = await call('get', `/api/v1/cis?staleDays=${days}`);
      expect(bad.status).toBe(400);
      expect((bad.body as { errors: { field: string }[] }).errors[0]?.field).toBe('staleDays');
    }
  });

  it('answers classes as its document describes them: the root without a parent, inherited rules as null', async () => {
    const document = await OpenApiConformance.of(cmdb.url);
    const list = await call('get', '/api/v1/ci-classes');
    expect(document.errors('get', '/api/v1/ci-classes', 200, list.body)).toEqual([]);
    const root = await call('get', '/api/v1/ci-classes/configuration_item');
    expect(root.body).toMatchObject({ parent: null });
    expect(document.errors('get', '/api/v1/ci-classes/{name}', 200, root.body)).toEqual([]);
    const created = await call('post', '/api/v1/ci-classes', {
      name: unique('lb').replace(/-/g, '_'),
      label: 'Load balancer',
      parent: 'network_device',
    });
    expect(created.body).toMatchObject({ identificationRules: null });
    expect(document.errors('post', '/api/v1/ci-classes', 201, created.body)).toEqual([]);
  });

  it('answers an import and a history as its document describes them', async () => {
    const document = await OpenApiConformance.of(cmdb.url);
    const imported = await call('post', '/api/v1/cmdb/imports', {
      source: 'vcenter',
      items: [
        {
          class: 'virtual_server',
          name: unique('keyless'),
          identifiers: { cloudId: unique('vm') },
        },
      ],
    });
    expect(document.errors('post', '/api/v1/cmdb/imports', imported.status, imported.body)).toEqual(
      [],
    );
    const [item] = (imported.body as { items: { ciId: string }[] }).items;
    const history = await call('get', `/api/v1/cis/${item.ciId}/history`);
    expect(history.status).toBe(200);
    expect(document.errors('get', '/api/v1/cis/{id}/history', 200, history.body)).toEqual([]);
  });

  it('refuses an imported relationship without a target, naming it, rather than failing on it', async () => {
    const response = await call('post', '/api/v1/cmdb/imports', {
      source: 'vcenter',
      items: [],
      relationships: [{ type: 'depends_on', source: { key: 'a' } }],
    });
    expect(response.status).toBe(400);
    expect((response.body as { errors: { field: string }[] }).errors.map((e) => e.field)).toContain(
      'relationships[0].target',
    );
  });
});
