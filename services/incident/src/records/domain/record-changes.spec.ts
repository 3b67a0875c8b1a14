import { RecordConflict, RuleViolation } from '@itsm/domain';
import { applyChanges, escalate } from './record-changes';
import { happeningsOf } from './record-events';
import {
  diffRecords,
  fieldsSetOnOpen,
  openRecord,
  routedToTriage,
  type ServiceRecord,
} from './service-record';

const NOW = new Date('2026-11-22T10:00:00Z');

function incident(fields: Partial<ServiceRecord> = {}): ServiceRecord {
  return {
    ...openRecord(
      {
        type: 'incident',
        title: 'VPN drops',
        description: '',
        requester: 'requester',
        source: 'phone',
        impact: 3,
        urgency: 3,
      },
      { id: '00000000-0000-4000-8000-000000000001', sequence: 1001 },
      NOW,
    ),
    ...fields,
  };
}

describe('opening a record', () => {
  it('numbers incidents INC and requests REQ, priority from the matrix', () => {
    expect(incident()).toMatchObject({ number: 'INC0001001', state: 'new', priority: 'P5' });
    const request = openRecord(
      {
        type: 'request',
        title: 'New laptop',
        description: '',
        requester: 'requester',
        source: 'portal',
        impact: 3,
        urgency: 2,
        catalogItem: 'laptop',
      },
      { id: '00000000-0000-4000-8000-000000000002', sequence: 7 },
      NOW,
    );
    expect(request).toMatchObject({ number: 'REQ0000007', state: 'submitted', priority: 'P4' });
  });

  const vpnDrops = {
    type: 'incident' as const,
    title: 'VPN drops',
    description: '',
    requester: 'requester',
    source: 'phone' as const,
    impact: 3 as const,
    urgency: 3 as const,
  };
  const identity = { id: '00000000-0000-4000-8000-000000000003', sequence: 1002 };

  it('sends a record opened without a group to the triage group, and says so in its history', () => {
    const triaged = openRecord(routedToTriage(vpnDrops, 'service-desk'), identity, NOW);
    expect(triaged).toMatchObject({ assignmentGroup: 'service-desk', assignee: null });
    expect(fieldsSetOnOpen(triaged)).toContainEqual({
      field: 'assignmentGroup',
      oldValue: null,
      newValue: 'service-desk',
    });
    const named = routedToTriage({ ...vpnDrops, assignmentGroup: 'network' }, 'service-desk');
    expect(named.assignmentGroup).toBe('network');
    expect(routedToTriage({ ...vpnDrops, assignmentGroup: null }, 'desk').assignmentGroup).toBe(
      'desk',
    );
  });

  it('opens a major incident or a child of one, never one that is both', () => {
    const parentId = '00000000-0000-4000-8000-000000000009';
    expect(openRecord({ ...vpnDrops, major: true }, identity, NOW).major).toBe(true);
    expect(openRecord({ ...vpnDrops, parentId }, identity, NOW).parentId).toBe(parentId);
    expect(() => openRecord({ ...vpnDrops, major: true, parentId }, identity, NOW)).toThrow(
      new RuleViolation('parentId', 'a major incident is a parent, not a child'),
    );
  });

  it('refuses a priority without a reason and a reason without a priority, naming the field', () => {
    expect(() => openRecord({ ...vpnDrops, priority: 'P1' }, identity, NOW)).toThrow(
      new RuleViolation('priorityOverrideReason', 'is required to override the priority'),
    );
    expect(() =>
      openRecord({ ...vpnDrops, priority: 'P1', priorityOverrideReason: '  ' }, identity, NOW),
    ).toThrow(RuleViolation);
    expect(() =>
      openRecord({ ...vpnDrops, priorityOverrideReason: 'CEO affected' }, identity, NOW),
    ).toThrow(
      new RuleViolation('priorityOverrideReason', 'is only given with a priority to override'),
    );
  });

  it('records a priority overridden at opening as a change from the matrix', () => {
    const overridden = openRecord(
      { ...vpnDrops, priority: 'P2', priorityOverrideReason: 'CEO affected' },
      identity,
      NOW,
    );
    expect(overridden).toMatchObject({ priority: 'P2', priorityOverrideReason: 'CEO affected' });
    expect(fieldsSetOnOpen(overridden)).toEqual(
      expect.arrayContaining([
        { field: 'priority', oldValue: 'P5', newValue: 'P2' },
        { field: 'priorityOverrideReason', oldValue: null, newValue: 'CEO affected' },
        { field: 'impact', oldValue: null, newValue: 3 },
      ]),
    );
    expect(fieldsSetOnOpen(openRecord(vpnDrops, identity, NOW))).toContainEqual({
      field: 'priority',
      oldValue: null,
      newValue: 'P5',
    });
  });
});

describe('changing a record', () => {
  it('recomputes the priority when impact or urgency moves', () => {
    expect(applyChanges(incident(), { impact: 1, urgency: 1 }).priority).toBe('P1');
  });

  it('overrides the priority only with a reason, keeps the override, and clears it with null', () => {
    expect(() => applyChanges(incident(), { priority: 'P2' })).toThrow(
      new RuleViolation('priorityOverrideReason', 'is required to override the priority'),
    );
    const overridden = applyChanges(incident(), {
      priority: 'P2',
      priorityOverrideReason: 'CEO affected',
    });
    expect(overridden).toMatchObject({ priority: 'P2', priorityOverrideReason: 'CEO affected' });
    expect(applyChanges(overridden, { impact: 2 }).priority).toBe('P2');
    expect(applyChanges(overridden, { priority: null })).toMatchObject({
      priority: 'P5',
      priorityOverrideReason: null,
    });
  });

  it('moves the assignee out with the group unless one is named', () => {
    const assigned = incident({ assignmentGroup: 'network', assignee: 'agent' });
    expect(applyChanges(assigned, { assignmentGroup: 'database' })).toMatchObject({
      assignmentGroup: 'database',
      assignee: null,
    });
    expect(() => applyChanges(incident(), { assignee: 'agent' })).toThrow(RuleViolation);
  });

  it('normalises tags and refuses changes to final records', () => {
    expect(applyChanges(incident(), { tags: ['VPN', ' vpn', 'Remote'] }).tags).toEqual([
      'remote',
      'vpn',
    ]);
    expect(() => applyChanges(incident({ state: 'closed' }), { title: 'x' })).toThrow(
      RecordConflict,
    );
  });

  it('keeps incidents-only and requests-only fields where they belong', () => {
    expect(() => applyChanges(incident(), { catalogItem: 'laptop' })).toThrow(RuleViolation);
    expect(() => applyChanges(incident({ type: 'request' }), { major: true })).toThrow(
      RuleViolation,
    );
    expect(() => applyChanges(incident({ major: true }), { parentId: incident().id })).toThrow(
      RuleViolation,
    );
  });
});

describe('escalation', () => {
  it('rises to 1 on a warning and 2 on a breach, never down, never twice for the same cause', () => {
    const warned = escalate(incident(), 'sla_warning');
    expect(warned.escalationLevel).toBe(1);
    expect(escalate(warned, 'sla_warning')).toBe(warned);
    const breached = escalate(warned, 'sla_breach');
    expect(breached.escalationLevel).toBe(2);
    expect(escalate(breached, 'sla_warning')).toBe(breached);
  });
});

describe('the events a change emits', () => {
  it('names each kind of change, in order', () => {
    const before = incident({ state: 'in_progress', assignmentGroup: 'network' });
    const after: ServiceRecord = {
      ...before,
      title: 'VPN down',
      assignee: 'agent',
      priority: 'P1',
      state: 'resolved',
      major: true,
    };
    expect(happeningsOf('incident', diffRecords(before, after))).toEqual([
      'updated',
      'assigned',
      'priority_changed',
      'state_changed',
      'resolved',
      'major_declared',
    ]);
  });

  it('says reopened when a resolved incident goes back to work', () => {
    const before = incident({ state: 'resolved' });
    expect(
      happeningsOf('incident', diffRecords(before, { ...before, state: 'in_progress' })),
    ).toEqual(['state_changed', 'reopened']);
  });
});

describe('a transition', () => {
  it('emits state_changed for the fields it sets, not updated', () => {
    const before = incident({ state: 'in_progress' });
    const after: ServiceRecord = {
      ...before,
      state: 'resolved',
      resolutionCode: 'duplicate',
      resolutionNotes: 'See INC0001000',
      resolvedAt: NOW,
    };
    expect(happeningsOf('incident', diffRecords(before, after))).toEqual([
      'state_changed',
      'resolved',
    ]);
  });

  it('emits updated when a comment sets the first response without a state change', () => {
    const before = incident();
    expect(
      happeningsOf('incident', diffRecords(before, { ...before, firstResponseAt: NOW })),
    ).toEqual(['updated']);
  });
});
