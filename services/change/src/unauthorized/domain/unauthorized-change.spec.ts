import { type CiEventV1, type CiSnapshot } from '@itsm/contracts';
import { openChange } from '../../changes/domain/change';
import {
  CI_FIELD_KINDS,
  SYSTEM_ACTOR,
  asDetected,
  burstNote,
  configurationChanges,
  considerCiUpdate,
  explains,
  judge,
  unauthorizedChangeInput,
  withBurstUpdate,
  type ChangeOnCi,
  type CiUpdate,
  type DetectionPolicy,
} from './unauthorized-change';

const HOUR = 3_600_000;
const AT = new Date('2026-03-10T02:15:00.000Z');
const CI_ID = '0b7d4f0e-5d0a-4a8e-9d43-3f1f6f1d2a10';

const POLICY: DetectionPolicy = {
  graceMs: 24 * HOUR,
  burstWindowMs: HOUR,
  maxAgeMs: 24 * HOUR,
  ignoredFields: [],
};

function ci(overrides: Partial<CiSnapshot> = {}): CiSnapshot {
  return {
    id: CI_ID,
    class: 'virtual_server',
    name: 'pay-db-01',
    status: 'operational',
    environment: 'production',
    ownerGroup: 'dba',
    restricted: false,
    criticality: null,
    identifiers: { hostname: 'pay-db-01', ipAddresses: ['10.0.0.7'] },
    attributes: { memoryMb: 16384, os: 'Ubuntu 24.04' },
    sources: ['manual', 'vcenter'],
    lastDiscoveredAt: AT.toISOString(),
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: AT.toISOString(),
    version: 7,
    ...overrides,
  };
}

function updated(
  changedFields: string[],
  previous: Record<string, unknown>,
  overrides: Partial<CiEventV1> = {},
): CiEventV1 {
  return { ci: ci(), changedFields, previous, actor: 'alice', source: null, ...overrides };
}

function update(overrides: Partial<CiUpdate> = {}): CiUpdate {
  return {
    ciId: CI_ID,
    ciName: 'pay-db-01',
    ciClass: 'virtual_server',
    restricted: false,
    ownerGroup: 'dba',
    at: AT,
    actor: 'alice',
    source: null,
    fields: [{ field: 'attributes.memoryMb', oldValue: 8192, newValue: 16384 }],
    ...overrides,
  };
}

let sequence = 0;
function change(overrides: Partial<ChangeOnCi> = {}): ChangeOnCi {
  sequence += 1;
  return {
    id: `change-${sequence}`,
    number: `CHG${String(sequence).padStart(7, '0')}`,
    state: 'implement',
    unauthorized: false,
    actualEnd: null,
    ...overrides,
  };
}

const hoursBefore = (hours: number) => new Date(AT.getTime() - hours * HOUR);

describe('which changed CI fields are a change of the CI itself', () => {
  it('classifies every field of the CI snapshot: the thing itself, or what the CMDB records about it', () => {
    const configuration = Object.entries(CI_FIELD_KINDS)
      .filter(([, kind]) => kind === 'configuration')
      .map(([field]) => field);
    expect(configuration.sort()).toEqual(['attributes', 'environment', 'identifiers', 'status']);
  });

  it('keeps attributes, identifiers, environment and status, each with its old and new value', () => {
    const event = updated(
      [
        'attributes.memoryMb',
        'identifiers.ipAddresses',
        'environment',
        'status',
        'name',
        'ownerGroup',
      ],
      {
        'attributes.memoryMb': 8192,
        'identifiers.ipAddresses': ['10.0.0.6'],
        environment: 'staging',
        status: 'maintenance',
        name: 'pay-db-1',
        ownerGroup: null,
      },
    );
    expect(configurationChanges(event)).toEqual([
      { field: 'attributes.memoryMb', oldValue: 8192, newValue: 16384 },
      { field: 'identifiers.ipAddresses', oldValue: ['10.0.0.6'], newValue: ['10.0.0.7'] },
      { field: 'environment', oldValue: 'staging', newValue: 'production' },
      { field: 'status', oldValue: 'maintenance', newValue: 'operational' },
    ]);
  });

  it('counts a value removed, not a value learned where there was none', () => {
    const event = updated(
      ['attributes.os', 'attributes.kernel', 'identifiers.fqdn', 'identifiers.ipAddresses'],
      {
        'attributes.os': null,
        'attributes.kernel': '6.8',
        'identifiers.fqdn': '',
        'identifiers.ipAddresses': [],
      },
    );
    expect(configurationChanges(event)).toEqual([
      { field: 'attributes.kernel', oldValue: '6.8', newValue: null },
    ]);
  });

  it.each([
    'name',
    'class',
    'ownerGroup',
    'restricted',
    'criticality',
    'sources',
    'lastDiscoveredAt',
  ])('does not count %s: CMDB bookkeeping', (field) => {
    expect(configurationChanges(updated([field], { [field]: 'before' }))).toEqual([]);
  });

  it('does not count a top-level field it has not classified (a newer cmdb) until it is', () => {
    expect(configurationChanges(updated(['lifecycleStage'], { lifecycleStage: 'x' }))).toEqual([]);
  });

  it('leaves out the fields a deployment does not watch, by name or all below one', () => {
    const event = updated(['attributes.uptimeSeconds', 'attributes.memoryMb', 'identifiers.fqdn'], {
      'attributes.uptimeSeconds': 10,
      'attributes.memoryMb': 8192,
      'identifiers.fqdn': 'old.corp',
    });
    expect(
      configurationChanges(event, ['attributes.uptimeSeconds']).map((field) => field.field),
    ).toEqual(['attributes.memoryMb', 'identifiers.fqdn']);
    expect(configurationChanges(event, ['attributes.*']).map((field) => field.field)).toEqual([
      'identifiers.fqdn',
    ]);
  });
});

describe('which CMDB updates are judged', () => {
  it('judges one that changed the CI itself, with who made it and when', () => {
    const event = updated(
      ['attributes.memoryMb', 'lastDiscoveredAt'],
      { 'attributes.memoryMb': 8192 },
      {
        actor: 'discovery-bot',
        source: 'vcenter',
      },
    );
    expect(considerCiUpdate(event, AT, POLICY, new Date(AT.getTime() + 1000))).toEqual({
      kind: 'considered',
      update: update({ actor: 'discovery-bot', source: 'vcenter' }),
    });
  });

  it('ignores one that only touched bookkeeping, or only filled in values', () => {
    const event = updated(['ownerGroup', 'name', 'attributes.os'], {
      ownerGroup: 'ops',
      name: 'old',
      'attributes.os': null,
    });
    expect(considerCiUpdate(event, AT, POLICY, AT)).toEqual({
      kind: 'ignored',
      reason: 'bookkeeping_only',
    });
  });

  it('ignores one read later than the maximum age (a replayed topic, a new consumer group)', () => {
    const event = updated(['status'], { status: 'maintenance' });
    const late = new Date(AT.getTime() + POLICY.maxAgeMs + 1);
    expect(considerCiUpdate(event, AT, POLICY, late)).toEqual({
      kind: 'ignored',
      reason: 'too_old',
    });
    expect(
      considerCiUpdate(event, AT, POLICY, new Date(AT.getTime() + POLICY.maxAgeMs)),
    ).toMatchObject({ kind: 'considered' });
  });

  it('reads a CI from before restriction existed as not restricted', () => {
    const { restricted: _, ...older } = ci();
    const event = updated(['status'], { status: 'maintenance' }, { ci: older as CiSnapshot });
    expect(considerCiUpdate(event, AT, POLICY, AT)).toMatchObject({
      update: { restricted: false },
    });
  });
});

describe('what explains an update of a CI', () => {
  it.each(['implement', 'review'] as const)('a change on it in %s', (state) => {
    expect(explains(change({ state }), AT, POLICY.graceMs)).toBe(true);
  });

  it.each(['new', 'assess', 'authorize', 'scheduled', 'cancelled'] as const)(
    'not a change in %s: its work had not started, or never will',
    (state) => {
      expect(explains(change({ state }), AT, POLICY.graceMs)).toBe(false);
    },
  );

  it('a closed change whose implementation ended within the grace period before it', () => {
    expect(
      explains(change({ state: 'closed', actualEnd: hoursBefore(23) }), AT, POLICY.graceMs),
    ).toBe(true);
    expect(
      explains(change({ state: 'closed', actualEnd: hoursBefore(24) }), AT, POLICY.graceMs),
    ).toBe(true);
    expect(
      explains(change({ state: 'closed', actualEnd: hoursBefore(25) }), AT, POLICY.graceMs),
    ).toBe(false);
  });

  it('a closed change that ended after it (the update was read late)', () => {
    expect(
      explains(change({ state: 'closed', actualEnd: hoursBefore(-2) }), AT, POLICY.graceMs),
    ).toBe(true);
  });

  it('never an unauthorised change, even in review', () => {
    expect(
      explains(change({ state: 'review', unauthorized: true, actualEnd: AT }), AT, POLICY.graceMs),
    ).toBe(false);
  });
});

describe('the verdict on an update', () => {
  it('is unauthorised with no change on the CI', () => {
    expect(judge(update(), [], POLICY)).toEqual({ kind: 'unauthorised' });
  });

  it('is authorised by a change on the CI in implement, whatever else is open', () => {
    const open = change({ state: 'review', unauthorized: true, actualEnd: hoursBefore(0.1) });
    const implementing = change({ state: 'implement' });
    expect(judge(update(), [open, implementing], POLICY)).toEqual({
      kind: 'authorised',
      by: implementing,
    });
  });

  it('joins the open unauthorised change of the CI whose last update is within the window', () => {
    const open = change({ state: 'review', unauthorized: true, actualEnd: hoursBefore(0.5) });
    expect(judge(update(), [open], POLICY)).toEqual({ kind: 'same_burst', change: open });
  });

  it('joins the most recent of several', () => {
    const older = change({ state: 'review', unauthorized: true, actualEnd: hoursBefore(0.9) });
    const newer = change({ state: 'review', unauthorized: true, actualEnd: hoursBefore(0.2) });
    expect(judge(update(), [older, newer], POLICY)).toEqual({ kind: 'same_burst', change: newer });
  });

  it('is a new unauthorised change once the window has passed since the last update recorded', () => {
    const open = change({ state: 'review', unauthorized: true, actualEnd: hoursBefore(1.5) });
    expect(judge(update(), [open], POLICY)).toEqual({ kind: 'unauthorised' });
  });

  it('is a new unauthorised change when the burst’s change was closed already', () => {
    const closed = change({ state: 'closed', unauthorized: true, actualEnd: hoursBefore(0.1) });
    expect(judge(update(), [closed], POLICY)).toEqual({ kind: 'unauthorised' });
  });
});

describe('the unauthorised change', () => {
  it('is an emergency change on the CI, for its owner group, requested by the system', () => {
    expect(unauthorizedChangeInput(update())).toEqual({
      title: 'Unauthorised change detected on pay-db-01',
      description: expect.stringContaining(
        `The CMDB recorded a change of CI "pay-db-01" (virtual_server, ${CI_ID}) at 2026-03-10T02:15:00.000Z by alice through the CMDB API`,
      ),
      model: 'emergency',
      ciIds: [CI_ID],
      assignmentGroup: 'dba',
      unauthorized: true,
      requestedBy: SYSTEM_ACTOR,
    });
  });

  it('lists what changed, old to new, and names a discovery source', () => {
    const { description } = unauthorizedChangeInput(
      update({
        actor: 'discovery-bot',
        source: 'vcenter',
        fields: [
          { field: 'attributes.memoryMb', oldValue: 8192, newValue: 16384 },
          { field: 'status', oldValue: 'operational', newValue: 'maintenance' },
          { field: 'identifiers.fqdn', oldValue: null, newValue: 'pay-db-01.corp' },
        ],
      }),
    );
    expect(description).toContain('by discovery-bot through the discovery source "vcenter"');
    expect(description).toContain(
      [
        'What changed:',
        '- attributes.memoryMb: 8192 → 16384',
        '- status: "operational" → "maintenance"',
        '- identifiers.fqdn: (none) → "pay-db-01.corp"',
      ].join('\n'),
    );
  });

  it('does not name a restricted CI nor show its values: every reader of changes reads it', () => {
    const input = unauthorizedChangeInput(update({ restricted: true, ciName: 'hr-vault' }));
    expect(input.title).toBe('Unauthorised change detected on a restricted CI');
    expect(input.description).not.toContain('hr-vault');
    expect(input.description).not.toContain('16384');
    expect(input.description).toContain(`a restricted CI (${CI_ID})`);
    expect(input.description).toContain('- attributes.memoryMb\n');
  });

  it('keeps a long name, a long value and a long list of fields readable', () => {
    const input = unauthorizedChangeInput(
      update({
        ciName: 'x'.repeat(500),
        fields: Array.from({ length: 60 }, (_, index) => ({
          field: `attributes.a${index}`,
          oldValue: null,
          newValue: 'y'.repeat(1000),
        })),
      }),
    );
    expect(input.title.length).toBeLessThanOrEqual(240);
    expect(input.description).toContain("- and 10 more (see the CI's history)");
    expect((input.description ?? '').length).toBeLessThan(15_000);
  });

  it('is stored in review, implemented when the CMDB recorded the update', () => {
    const opened = openChange(unauthorizedChangeInput(update()), { id: 'id-1', sequence: 42 }, AT);
    expect(asDetected(opened, hoursBefore(0.25))).toMatchObject({
      number: 'CHG0000042',
      state: 'review',
      model: 'emergency',
      unauthorized: true,
      actualStart: hoursBefore(0.25),
      actualEnd: hoursBefore(0.25),
    });
  });

  it('extends its actual end to each later update of the burst, never back', () => {
    const detected = asDetected(
      openChange(unauthorizedChangeInput(update()), { id: 'id-1', sequence: 1 }, AT),
      AT,
    );
    expect(withBurstUpdate(detected, hoursBefore(-0.5)).actualEnd).toEqual(hoursBefore(-0.5));
    expect(withBurstUpdate(detected, hoursBefore(0.5))).toBe(detected);
  });

  it('notes a further update of the burst with what it changed', () => {
    expect(
      burstNote(
        update({ fields: [{ field: 'environment', oldValue: 'production', newValue: 'staging' }] }),
      ),
    ).toBe(
      `The CMDB recorded another change of CI "pay-db-01" (virtual_server, ${CI_ID}) at 2026-03-10T02:15:00.000Z by alice through the CMDB API:\n- environment: "production" → "staging"`,
    );
  });
});
