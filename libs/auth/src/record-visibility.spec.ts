import { type Caller } from './caller';
import {
  canReadWorkNotes,
  canSeeConfigurationItem,
  canSeeRecord,
  recordScope,
} from './record-visibility';

function caller(roles: string[], groups: string[] = [], username = 'pat'): Caller {
  return { username, roles, groups, kind: 'user' };
}

const assigned = { requester: 'sam', assignee: 'alex', assignmentGroup: 'network' };
const unassigned = { requester: 'sam', assignee: null, assignmentGroup: null };

describe('who sees an incident or a request', () => {
  it('managers, auditors and admins see every record', () => {
    for (const role of ['incident_manager', 'auditor', 'admin', 'problem_manager']) {
      expect(canSeeRecord(caller([role]), 'incident', assigned)).toBe(true);
    }
  });

  it('agents see every record of the types they work, by default', () => {
    expect(canSeeRecord(caller(['agent'], ['database']), 'incident', assigned)).toBe(true);
    expect(canSeeRecord(caller(['agent']), 'request', unassigned)).toBe(true);
    expect(recordScope(caller(['agent']), 'incident')).toEqual({ kind: 'all' });
  });

  it('restricted to groups, agents see their groups’ records and the unassigned queue', () => {
    const policy = { agentScope: 'groups' as const };
    expect(canSeeRecord(caller(['agent'], ['network']), 'incident', assigned, policy)).toBe(true);
    expect(canSeeRecord(caller(['agent'], ['database']), 'incident', assigned, policy)).toBe(false);
    expect(canSeeRecord(caller(['agent'], ['database']), 'incident', unassigned, policy)).toBe(
      true,
    );
    expect(canSeeRecord(caller(['agent'], [], 'alex'), 'incident', assigned, policy)).toBe(true);
  });

  it('requesters see what they requested, are assigned, or their group holds, never the queue', () => {
    expect(canSeeRecord(caller(['requester'], [], 'sam'), 'incident', assigned)).toBe(true);
    expect(canSeeRecord(caller(['requester'], ['network']), 'incident', assigned)).toBe(true);
    expect(canSeeRecord(caller(['requester'], ['database']), 'incident', assigned)).toBe(false);
    expect(canSeeRecord(caller(['requester']), 'incident', unassigned)).toBe(false);
  });
});

describe('who reads work notes', () => {
  it('those who work the record type and those who see everything, not requesters', () => {
    expect(canReadWorkNotes(caller(['agent']), 'incident')).toBe(true);
    expect(canReadWorkNotes(caller(['auditor']), 'request')).toBe(true);
    expect(canReadWorkNotes(caller(['requester']), 'incident')).toBe(false);
    expect(canReadWorkNotes(caller(['problem_manager']), 'incident')).toBe(true);
  });
});

describe('who sees a configuration item', () => {
  const restricted = { restricted: true, ownerGroup: 'security' };
  it('everyone with cmdb:read sees an unrestricted CI', () => {
    expect(canSeeConfigurationItem(caller(['agent']), { restricted: false })).toBe(true);
  });

  it('a restricted CI only its owner group and those who see every record', () => {
    expect(canSeeConfigurationItem(caller(['agent'], ['security']), restricted)).toBe(true);
    expect(canSeeConfigurationItem(caller(['agent'], ['network']), restricted)).toBe(false);
    expect(canSeeConfigurationItem(caller(['configuration_manager']), restricted)).toBe(true);
    expect(canSeeConfigurationItem(caller(['agent']), { restricted: true })).toBe(false);
  });
});
