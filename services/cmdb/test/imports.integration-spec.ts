import { ServiceProcess, countRows, eventually, queryTestDatabase } from '@itsm/testing';
import { cmdbCaller, unique, type CmdbCall } from './support/cmdb-client';

interface Report {
  created: number;
  updated: number;
  unchanged: number;
  conflicts: { index: number; kind: string; reason: string; ciIds: string[] }[];
  items: {
    key?: string;
    ciId: string | null;
    outcome: string;
    heldBack?: { field: string; heldBy: string }[];
  }[];
  relationships: { created: number; unchanged: number };
}

interface Ci {
  id: string;
  name: string;
  attributes: Record<string, unknown>;
  identifiers: Record<string, unknown>;
  sources: string[];
  version: number;
  lastDiscoveredAt: string | null;
}

describe('discovery imports: identification and reconciliation', () => {
  let cmdb: ServiceProcess;
  let call: CmdbCall;

  beforeAll(async () => {
    cmdb = await ServiceProcess.start('cmdb', {
      // Highest first: the asset register beats the hypervisor's inventory.
      CMDB_SOURCE_PRECEDENCE: 'manual,asset_register,vcenter',
      CMDB_IMPORT_SYNC_LIMIT: '50',
      CMDB_IMPORT_BATCH_SIZE: '20',
      CMDB_IMPORT_POLL_INTERVAL_MS: '100',
    });
    call = cmdbCaller(cmdb.url);
  });

  afterAll(async () => {
    await cmdb?.stop();
  });

  const importing = async (body: object): Promise<Report> => {
    const response = await call('post', '/api/v1/cmdb/imports', body);
    expect(response.status).toBe(200);
    return response.body as Report;
  };
  const read = async (id: string): Promise<Ci> =>
    (await call('get', `/api/v1/cis/${id}`)).body as Ci;

  it('matches the same serial number under a new name and renames the CI', async () => {
    const serialNumber = unique('SN');
    const first = await importing({
      source: 'vcenter',
      items: [
        {
          class: 'physical_server',
          name: unique('old'),
          identifiers: { serialNumber },
          attributes: { cpuCount: 8 },
        },
      ],
    });
    expect(first).toMatchObject({ created: 1, updated: 0, unchanged: 0, conflicts: [] });
    const newName = unique('new');
    const second = await importing({
      source: 'vcenter',
      items: [
        {
          class: 'physical_server',
          name: newName,
          identifiers: { serialNumber: serialNumber.toLowerCase(), hostname: 'renamed01' },
        },
      ],
    });
    expect(second).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
    expect(second.items[0]?.ciId).toBe(first.items[0]?.ciId);
    const ci = await read(first.items[0]?.ciId as string);
    expect(ci).toMatchObject({ name: newName, version: 2, attributes: { cpuCount: 8 } });
    expect(ci.identifiers).toMatchObject({ hostname: 'renamed01' });
  });

  it('reconciles two sources by precedence: the lower one fills gaps but never overwrites', async () => {
    const fqdn = `${unique('app')}.corp.example`;
    await importing({
      source: 'asset_register',
      items: [
        {
          class: 'virtual_server',
          name: 'from-register',
          identifiers: { fqdn },
          attributes: { cpuCount: 4 },
        },
      ],
    });
    const fromVcenter = await importing({
      source: 'vcenter',
      items: [
        {
          class: 'virtual_server',
          name: 'from-vcenter',
          identifiers: { fqdn },
          attributes: { cpuCount: 8, memoryMb: 16384, hypervisor: 'vmware' },
        },
      ],
    });
    expect(fromVcenter).toMatchObject({ created: 0, updated: 1 });
    expect(fromVcenter.items[0]?.heldBack).toEqual([
      { field: 'name', heldBy: 'asset_register' },
      { field: 'attributes.cpuCount', heldBy: 'asset_register' },
    ]);
    const id = fromVcenter.items[0]?.ciId as string;
    expect(await read(id)).toMatchObject({
      name: 'from-register',
      attributes: { cpuCount: 4, memoryMb: 16384, hypervisor: 'vmware' },
      sources: ['asset_register', 'vcenter'],
    });
    const fromRegister = await importing({
      source: 'asset_register',
      items: [
        {
          class: 'virtual_server',
          name: 'from-register',
          identifiers: { fqdn },
          attributes: { memoryMb: 32768 },
        },
      ],
    });
    expect(fromRegister).toMatchObject({ updated: 1 });
    expect((await read(id)).attributes).toMatchObject({ memoryMb: 32768 });
  });

  it('reconciles per attribute where a class says so: memoryMb prefers vcenter, the name the asset register', async () => {
    // Globally the asset register beats vcenter (CMDB_SOURCE_PRECEDENCE above).
    const parent = unique('vm_rec').replace(/-/g, '_');
    const created = await call('post', '/api/v1/ci-classes', {
      name: parent,
      label: 'VM with reconciliation rules',
      parent: 'virtual_server',
      sourcePrecedence: { 'attributes.memoryMb': ['vcenter', 'asset_register'] },
    });
    expect(created.status).toBe(201);
    const named = await call(
      'patch',
      `/api/v1/ci-classes/${parent}`,
      {
        sourcePrecedence: {
          'attributes.memoryMb': ['vcenter', 'asset_register'],
          name: ['asset_register'],
        },
      },
      { 'if-match': created.headers.etag },
    );
    expect(named.status).toBe(200);
    // A subclass inherits its parent's lists.
    const child = `${parent}_x`;
    const childClass = await call('post', '/api/v1/ci-classes', {
      name: child,
      label: 'Its subclass',
      parent,
    });
    expect(childClass.body).toMatchObject({
      sourcePrecedence: {},
      effectiveSourcePrecedence: {
        'attributes.memoryMb': ['vcenter', 'asset_register'],
        name: ['asset_register'],
      },
    });

    const cloudId = unique('vm');
    const item = (name: string, attributes: object) => ({
      class: child,
      name,
      identifiers: { cloudId },
      attributes,
    });
    const fromRegister = await importing({
      source: 'asset_register',
      items: [item('from-register', { memoryMb: 8192, cpuCount: 4 })],
    });
    expect(fromRegister).toMatchObject({ created: 1 });
    const id = fromRegister.items[0]?.ciId as string;

    const fromVcenter = await importing({
      source: 'vcenter',
      items: [item('from-vcenter', { memoryMb: 16384, cpuCount: 8 })],
    });
    expect(fromVcenter).toMatchObject({ updated: 1 });
    expect(fromVcenter.items[0]?.heldBack).toEqual([
      { field: 'name', heldBy: 'asset_register' },
      { field: 'attributes.cpuCount', heldBy: 'asset_register' },
    ]);

    const registerAgain = await importing({
      source: 'asset_register',
      items: [item('from-register-2', { memoryMb: 4096 })],
    });
    expect(registerAgain).toMatchObject({ updated: 1 });
    expect(registerAgain.items[0]?.heldBack).toEqual([
      { field: 'attributes.memoryMb', heldBy: 'vcenter' },
    ]);
    expect(await read(id)).toMatchObject({
      name: 'from-register-2',
      attributes: { memoryMb: 16384, cpuCount: 4 },
      sources: ['asset_register', 'vcenter'],
    });
  });

  it('reports identifiers that match two different CIs as a conflict and applies nothing for that item', async () => {
    const serialNumber = unique('SN');
    const hostname = unique('host');
    const created = await importing({
      source: 'vcenter',
      items: [
        { class: 'physical_server', name: unique('a'), identifiers: { serialNumber } },
        { class: 'physical_server', name: unique('b'), identifiers: { hostname } },
      ],
    });
    const [a, b] = created.items.map((item) => item.ciId as string);
    const conflicting = await importing({
      source: 'vcenter',
      items: [
        {
          class: 'physical_server',
          name: 'both',
          identifiers: { serialNumber, hostname },
          attributes: { cpuCount: 2 },
        },
        {
          class: 'physical_server',
          name: unique('fine'),
          identifiers: { serialNumber: unique('SN') },
        },
      ],
    });
    expect(conflicting).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect(conflicting.conflicts).toEqual([
      expect.objectContaining({
        index: 0,
        kind: 'item',
        reason: 'identifiers_disagree',
        ciIds: [a, b],
      }),
    ]);
    expect((await read(a)).version).toBe(1);
    expect((await read(b)).version).toBe(1);
  });

  it('reads nulls in an import as not seen, never as a removal', async () => {
    const cloudId = unique('i-');
    const item = { class: 'virtual_server', name: unique('vm'), identifiers: { cloudId } };
    const [created] = (
      await importing({
        source: 'vcenter',
        items: [{ ...item, environment: 'production', attributes: { cpuCount: 8 } }],
      })
    ).items;
    const again = await importing({
      source: 'vcenter',
      items: [{ ...item, environment: null, ownerGroup: null }],
    });
    expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 1, conflicts: [] });
    expect(await read(created.ciId!)).toMatchObject({
      environment: 'production',
      attributes: { cpuCount: 8 },
      version: 1,
    });
  });

  it('refuses an item with none of its class identifiers, so that a re-run cannot duplicate it', async () => {
    const body = {
      source: 'vcenter',
      items: [
        { class: 'physical_server', name: unique('anonymous'), attributes: { cpuCount: 4 } },
        // A business service is identified by its name, so its name is enough.
        { class: 'business_service', name: unique('Payroll') },
      ],
    };
    const cis = await countRows('cmdb.cis');
    const first = await importing(body);
    expect(first).toMatchObject({ created: 1, updated: 0, unchanged: 0 });
    expect(first.items[0]).toMatchObject({ ciId: null, outcome: 'conflict' });
    expect(first.conflicts).toEqual([
      expect.objectContaining({ index: 0, kind: 'item', reason: 'no_identifier', ciIds: [] }),
    ]);
    const again = await importing(body);
    expect(again).toMatchObject({ created: 0, unchanged: 1 });
    expect(again.conflicts).toEqual([expect.objectContaining({ reason: 'no_identifier' })]);
    expect(await countRows('cmdb.cis')).toBe(cis + 1);
  });

  it('creates a CI once when two imports that both see it as new run at the same time', async () => {
    const body = {
      source: 'vcenter',
      items: [
        {
          class: 'physical_server',
          name: unique('race'),
          identifiers: { serialNumber: unique('SN') },
        },
      ],
    };
    const reports = await Promise.all([importing(body), importing(body)]);
    expect(reports.map((report) => report.created).sort()).toEqual([0, 1]);
    expect(new Set(reports.map((report) => report.items[0]?.ciId)).size).toBe(1);
  });

  it('changes nothing when the same import runs again, except when each CI was last seen', async () => {
    const body = {
      source: 'vcenter',
      items: [
        {
          key: 'host',
          class: 'physical_server',
          name: unique('h'),
          identifiers: { serialNumber: unique('SN') },
        },
        {
          key: 'vm',
          class: 'virtual_server',
          name: unique('v'),
          identifiers: { cloudId: unique('vm') },
          attributes: { cpuCount: 2 },
        },
      ],
      relationships: [{ type: 'hosted_on', source: { key: 'vm' }, target: { key: 'host' } }],
    };
    const first = await importing(body);
    expect(first).toMatchObject({ created: 2, relationships: { created: 1, unchanged: 0 } });
    const before = await read(first.items[1]?.ciId as string);
    const history = await countRows('cmdb.ci_history');
    const relationships = await countRows('cmdb.relationships');
    // The relay deletes published rows, so the outbox's id sequence tells whether any was written.
    const outboxRowsWritten = async () => {
      const [row] = await queryTestDatabase<{ n: string }>(
        `SELECT last_value::text AS n FROM cmdb.outbox_id_seq`,
      );
      return row?.n;
    };
    const outboxBefore = await outboxRowsWritten();
    const again = await importing(body);
    expect(again).toMatchObject({
      created: 0,
      updated: 0,
      unchanged: 2,
      conflicts: [],
      relationships: { created: 0, unchanged: 1 },
    });
    const after = await read(first.items[1]?.ciId as string);
    expect(after.version).toBe(before.version);
    expect(
      after.lastDiscoveredAt &&
        before.lastDiscoveredAt &&
        after.lastDiscoveredAt >= before.lastDiscoveredAt,
    ).toBe(true);
    expect(await countRows('cmdb.ci_history')).toBe(history);
    expect(await countRows('cmdb.relationships')).toBe(relationships);
    expect(await outboxRowsWritten()).toBe(outboxBefore);
  });

  it('relates items by key and existing CIs by identifiers, and reports what it cannot relate', async () => {
    const serialNumber = unique('SN');
    await importing({
      source: 'vcenter',
      items: [{ class: 'physical_server', name: unique('h'), identifiers: { serialNumber } }],
    });
    const report = await importing({
      source: 'vcenter',
      items: [
        {
          key: 'vm',
          class: 'virtual_server',
          name: unique('v'),
          identifiers: { cloudId: unique('vm') },
        },
      ],
      relationships: [
        { type: 'hosted_on', source: { key: 'vm' }, target: { identifiers: { serialNumber } } },
        {
          type: 'hosted_on',
          source: { key: 'vm' },
          target: { identifiers: { serialNumber: 'NOPE' } },
        },
        { type: 'provides', source: { key: 'vm' }, target: { identifiers: { serialNumber } } },
      ],
    });
    expect(report.relationships).toEqual({ created: 1, unchanged: 0 });
    expect(report.conflicts.map((conflict) => [conflict.index, conflict.reason])).toEqual([
      [1, 'unresolved_reference'],
      [2, 'relationship_not_allowed'],
    ]);
  });

  it('refuses an import with bad items whole, naming each field, and stores nothing', async () => {
    const cisBefore = await countRows('cmdb.cis');
    const response = await call('post', '/api/v1/cmdb/imports', {
      source: 'vcenter',
      items: [
        { class: 'virtual_server', name: unique('ok') },
        { class: 'virtual_server', name: unique('bad'), attributes: { cpuCount: 'many' } },
        { class: 'no_such_class', name: 'x' },
      ],
      relationships: [
        {
          type: 'depends_on',
          source: { key: 'missing' },
          target: { ciId: '5f0c1f0e-0000-4000-8000-000000000000' },
        },
      ],
    });
    expect(response.status).toBe(400);
    expect(
      (response.body as { errors: { field: string }[] }).errors.map((error) => error.field),
    ).toEqual(['items[1].attributes.cpuCount', 'items[2].class', 'relationships[0].source.key']);
    // An import cannot pose as people's own edits, which outrank every discovery source.
    const posing = await call('post', '/api/v1/cmdb/imports', {
      source: 'manual',
      items: [
        { class: 'virtual_server', name: unique('posing'), identifiers: { cloudId: unique('i-') } },
      ],
    });
    expect(posing.status).toBe(400);
    expect(posing.body).toMatchObject({ errors: [{ field: 'source' }] });
    expect(await countRows('cmdb.cis')).toBe(cisBefore);
  });

  it('runs a large import as a job, in batches, whose progress and report can be polled', async () => {
    const items = Array.from({ length: 45 }, (_, index) => ({
      key: `k${index}`,
      class: 'virtual_server',
      name: unique(`bulk${index}`),
      identifiers: { cloudId: unique('bulk') },
    }));
    const relationships = items
      .slice(1)
      .map((item) => ({ type: 'depends_on', source: { key: item.key }, target: { key: 'k0' } }));
    const accepted = await call('post', '/api/v1/cmdb/imports', {
      source: 'vcenter',
      items,
      relationships,
    });
    expect(accepted.status).toBe(202);
    const jobId = (accepted.body as { id: string }).id;
    expect(accepted.headers.location).toBe(`/api/v1/cmdb/imports/${jobId}`);
    const done = await eventually(
      async () => {
        const job = (await call('get', `/api/v1/cmdb/imports/${jobId}`)).body as {
          state: string;
          report: Report | null;
          processedItems: number;
        };
        return job.state === 'completed' || job.state === 'failed' ? job : undefined;
      },
      { description: 'the import job to end', timeoutMs: 60_000 },
    );
    expect(done).toMatchObject({ state: 'completed', processedItems: 45 });
    expect(done.report).toMatchObject({ created: 45, relationships: { created: 44 } });
  });
});
