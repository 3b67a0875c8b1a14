import {
  MANUAL_SOURCE,
  SourcePrecedence,
  discoveredValues,
  newCi,
  normalizeIdentifiers,
  reconcile,
  restrictionProblems,
  type Ci,
} from './ci';

const now = new Date('2026-11-22T10:00:00Z');
const later = new Date('2026-11-22T11:00:00Z');
const precedence = new SourcePrecedence(['manual', 'sccm', 'vcenter']);

function server(source = 'sccm'): Ci {
  return newCi(
    'b1a0f6a8-5f0e-4a0e-9d53-0a3c7a1d0001',
    'virtual_server',
    {
      name: 'web01',
      identifiers: { serialNumber: 'vm-1', fqdn: 'WEB01.corp.example.' },
      attributes: { cpuCount: 4, os: 'Ubuntu' },
    },
    source,
    now,
    'operational',
  );
}

describe('identifiers', () => {
  it('are compared normalized: FQDN and host name lower case, the host name from the FQDN, serials upper case, IPs sorted once', () => {
    expect(
      normalizeIdentifiers({
        serialNumber: ' cz123 ',
        fqdn: 'Web01.Corp.Example.',
        ipAddresses: ['10.0.0.2', '10.0.0.1', '10.0.0.2'],
        cloudId: '',
      }),
    ).toEqual({
      serialNumber: 'CZ123',
      fqdn: 'web01.corp.example',
      hostname: 'web01',
      ipAddresses: ['10.0.0.1', '10.0.0.2'],
    });
  });
});

describe('reconciliation by source precedence', () => {
  it('attributes every value of a new CI to its source', () => {
    const ci = server();
    expect(ci.version).toBe(1);
    expect(ci.sources).toEqual(['sccm']);
    expect(ci.provenance).toMatchObject({
      name: 'sccm',
      'attributes.cpuCount': 'sccm',
      'identifiers.serialNumber': 'sccm',
    });
  });

  it('lets a source change its own values and those of lower-precedence sources', () => {
    const result = reconcile(
      server('vcenter'),
      { attributes: { cpuCount: 8 } },
      'sccm',
      precedence,
      later,
    );
    expect(result.changedFields).toEqual(['attributes.cpuCount']);
    expect(result.previous).toEqual({ 'attributes.cpuCount': 4 });
    expect(result.ci).toMatchObject({ version: 2, updatedAt: later, sources: ['vcenter', 'sccm'] });
    expect(result.ci.provenance['attributes.cpuCount']).toBe('sccm');
  });

  it('never lets a lower-precedence source overwrite a higher one, but lets it fill what is empty', () => {
    const result = reconcile(
      server('sccm'),
      { name: 'web01-new', attributes: { cpuCount: 2, memoryMb: 4096 } },
      'vcenter',
      precedence,
      later,
    );
    expect(result.changedFields).toEqual(['attributes.memoryMb']);
    expect(result.heldBack).toEqual([
      { field: 'name', heldBy: 'sccm' },
      { field: 'attributes.cpuCount', heldBy: 'sccm' },
    ]);
    expect(result.ci.name).toBe('web01');
  });

  it('ranks a source that is not listed below every listed one', () => {
    const result = reconcile(
      server('sccm'),
      { attributes: { cpuCount: 1 } },
      'spreadsheet',
      precedence,
      later,
    );
    expect(result.changedFields).toEqual([]);
    expect(result.ci.version).toBe(1);
  });

  it('ranks sources per field where a class says so, and by the global order elsewhere', () => {
    // Globally sccm beats vcenter; for memoryMb the class prefers vcenter.
    const perField = precedence.withFieldOrders({ 'attributes.memoryMb': ['vcenter'] });
    const fromSccm = reconcile(
      server('sccm'),
      { attributes: { memoryMb: 2048 } },
      'sccm',
      perField,
      now,
    ).ci;
    const result = reconcile(
      fromSccm,
      { name: 'web01-vc', attributes: { memoryMb: 4096, cpuCount: 16 } },
      'vcenter',
      perField,
      later,
    );
    expect(result.changedFields).toEqual(['attributes.memoryMb']);
    expect(result.heldBack).toEqual([
      { field: 'name', heldBy: 'sccm' },
      { field: 'attributes.cpuCount', heldBy: 'sccm' },
    ]);
    const back = reconcile(result.ci, { attributes: { memoryMb: 1024 } }, 'sccm', perField, later);
    expect(back.heldBack).toEqual([{ field: 'attributes.memoryMb', heldBy: 'vcenter' }]);
  });

  it('ranks the sources a field list leaves out below it, in the global order among themselves', () => {
    const perField = precedence.withFieldOrders({ name: ['vcenter'] });
    expect(perField.mayOverwrite('vcenter', 'manual', 'name')).toBe(true);
    expect(perField.mayOverwrite('manual', 'vcenter', 'name')).toBe(false);
    expect(perField.mayOverwrite('manual', 'sccm', 'name')).toBe(true);
    expect(perField.mayOverwrite('sccm', 'manual', 'name')).toBe(false);
    expect(perField.mayOverwrite('spreadsheet', 'sccm', 'name')).toBe(false);
    expect(perField.mayOverwrite('vcenter', 'sccm', 'status')).toBe(false);
  });

  it("reads a discovery source's nulls as no opinion: what it has not seen stays", () => {
    const ci = { ...server('vcenter'), environment: 'production' };
    const seen = discoveredValues({
      environment: null,
      ownerGroup: null,
      identifiers: { serialNumber: 'vm-1', cloudId: null as unknown as string },
      attributes: { cpuCount: null, os: 'Debian' },
    });
    expect(seen).toEqual({ identifiers: { serialNumber: 'vm-1' }, attributes: { os: 'Debian' } });
    const change = reconcile(ci, seen, 'vcenter', precedence, later);
    expect(change.changedFields).toEqual(['attributes.os']);
    expect(change.ci).toMatchObject({ environment: 'production', attributes: { cpuCount: 4 } });
  });

  it('changes nothing, not even the version, when the values are the same', () => {
    const ci = server();
    const result = reconcile(
      ci,
      { name: 'web01', identifiers: { serialNumber: 'VM-1' }, attributes: { os: 'Ubuntu' } },
      'sccm',
      precedence,
      later,
    );
    expect(result.changedFields).toEqual([]);
    expect(result.ci).toEqual(ci);
  });

  it('lets a person through the API set any value, and null removes an attribute', () => {
    const result = reconcile(
      server('sccm'),
      { status: 'retired', attributes: { cpuCount: null } },
      'manual',
      new SourcePrecedence([]),
      later,
      false,
    );
    expect(result.changedFields).toEqual(['status', 'attributes.cpuCount']);
    expect(result.ci.attributes).toEqual({ os: 'Ubuntu' });
    expect(result.ci.provenance['attributes.cpuCount']).toBeUndefined();
  });
});

describe('restricted CIs', () => {
  it('need an owner group, or nobody who works them would see them', () => {
    const open = server();
    expect(restrictionProblems(open)).toEqual([]);
    const restricted = reconcile(
      open,
      { restricted: true },
      MANUAL_SOURCE,
      precedence,
      later,
      false,
    );
    expect(restricted.changedFields).toEqual(['restricted']);
    expect(restrictionProblems(restricted.ci)).toEqual([
      { field: 'ownerGroup', message: 'is required while the CI is restricted' },
    ]);
    expect(restrictionProblems({ ...restricted.ci, ownerGroup: 'security' })).toEqual([]);
  });
});
