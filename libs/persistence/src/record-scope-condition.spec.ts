import { type RecordScope } from '@itsm/auth';
import { recordScopeCondition } from './record-scope-condition';

const columns = { requester: 'r.requester', assignee: 'r.assignee', assignmentGroup: 'r.group' };

function restricted(groups: string[], unassigned: boolean): RecordScope {
  return { kind: 'restricted', username: 'pat', groups, unassigned };
}

describe('the record-level rule as SQL', () => {
  it('adds nothing for a caller who sees every record', () => {
    expect(recordScopeCondition({ kind: 'all' }, columns)).toBeNull();
  });

  it('limits a caller in no group to the records they requested or are assigned', () => {
    expect(recordScopeCondition(restricted([], false), columns)).toEqual({
      sql: '(r.requester = :scopeUser OR r.assignee = :scopeUser)',
      parameters: { scopeUser: 'pat' },
    });
  });

  it('adds their groups’ records, and the records with no group for those who triage', () => {
    expect(recordScopeCondition(restricted(['network', 'database'], true), columns)).toEqual({
      sql: '(r.requester = :scopeUser OR r.assignee = :scopeUser OR r.group IN (:...scopeGroups) OR r.group IS NULL)',
      parameters: { scopeUser: 'pat', scopeGroups: ['network', 'database'] },
    });
  });
});
