import { type Caller } from './caller';
import { canReadWorkNotes, canSeeRecord } from './record-visibility';

function caller(roles: string[], groups: string[] = [], username = 'pat'): Caller {
  return { username, roles, groups, kind: 'user' };
}

const record = { requester: 'sam', assignee: 'alex', assignmentGroup: 'network' };

describe('who sees a record', () => {
  it('managers, auditors and admins see every record', () => {
    for (const role of ['incident_manager', 'auditor', 'admin']) {
      expect(canSeeRecord(caller([role]), record)).toBe(true);
    }
  });

  it('others see what they requested, are assigned, or their group holds', () => {
    expect(canSeeRecord(caller(['requester'], [], 'sam'), record)).toBe(true);
    expect(canSeeRecord(caller(['agent'], [], 'alex'), record)).toBe(true);
    expect(canSeeRecord(caller(['agent'], ['network']), record)).toBe(true);
    expect(canSeeRecord(caller(['agent'], ['database']), record)).toBe(false);
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
