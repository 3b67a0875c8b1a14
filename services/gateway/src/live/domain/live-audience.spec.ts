import { type Caller } from '@itsm/auth';
import { LiveAudience, type LiveSubscriber } from './live-audience';
import { type LiveRecordChange } from './live-change';

function subscriber(username: string, roles: string[], groups: string[] = []): LiveSubscriber {
  const caller: Caller = { username, roles, groups, kind: 'user' };
  return { caller };
}

function change(
  recordType: LiveRecordChange['change']['recordType'],
  ownership: LiveRecordChange['ownership'],
): LiveRecordChange {
  return {
    change: {
      recordType,
      id: 'b3d7f5a0-0000-4000-8000-000000000001',
      number: `${recordType.slice(0, 3).toUpperCase()}0000001`,
      state: 'new',
      version: 1,
      event: 'created',
      changedFields: [],
      at: '2026-01-01T00:00:00.000Z',
    },
    ownership,
  };
}

describe('LiveAudience', () => {
  const limits = { maxPerUser: 2, maxTotal: 100 };

  it('tells a change to those the API would show the record to, and to nobody else', () => {
    const audience = new LiveAudience(limits, { agentScope: 'all' });
    const agent = subscriber('agent', ['agent']);
    const owner = subscriber('rita', ['requester']);
    const otherRequester = subscriber('sam', ['requester']);
    const groupMember = subscriber('gina', ['requester'], ['payroll']);
    const cab = subscriber('carl', ['cab_member']);
    for (const each of [agent, owner, otherRequester, groupMember, cab]) audience.join(each);

    expect(
      audience.recipients(change('incident', { requester: 'rita', assignmentGroup: 'payroll' })),
    ).toEqual([agent, owner, groupMember]);
    // cab_member does not read incidents, even one it raised.
    expect(audience.recipients(change('incident', { requester: 'carl' }))).toEqual([agent]);
  });

  it('tells a problem to those who read problems and may see it, a change to every reader of changes', () => {
    const audience = new LiveAudience(limits, { agentScope: 'groups' });
    const agent = subscriber('agent', ['agent'], ['service-desk']);
    const manager = subscriber('paula', ['problem_manager']);
    const cab = subscriber('carl', ['cab_member']);
    const requester = subscriber('rita', ['requester']);
    for (const each of [agent, manager, cab, requester]) audience.join(each);

    expect(
      audience.recipients(change('problem', { requester: 'paula', assignmentGroup: 'database' })),
    ).toEqual([manager]);
    expect(
      audience.recipients(
        change('problem', { requester: 'paula', assignmentGroup: 'service-desk' }),
      ),
    ).toEqual([agent, manager]);
    expect(audience.recipients(change('change', null))).toEqual([agent, manager, cab]);
  });

  it("follows AGENT_RECORD_SCOPE=groups: an agent hears of its groups' and unassigned records only", () => {
    const audience = new LiveAudience(limits, { agentScope: 'groups' });
    const agent = subscriber('agent', ['agent'], ['service-desk']);
    audience.join(agent);
    expect(audience.recipients(change('request', { requester: 'rita' }))).toEqual([agent]);
    expect(
      audience.recipients(
        change('request', { requester: 'rita', assignmentGroup: 'service-desk' }),
      ),
    ).toEqual([agent]);
    expect(
      audience.recipients(change('request', { requester: 'rita', assignmentGroup: 'hr' })),
    ).toEqual([]);
  });

  it('holds at most so many streams per user and in all, and frees them as they close', () => {
    const audience = new LiveAudience({ maxPerUser: 2, maxTotal: 3 }, { agentScope: 'all' });
    const [first, second, third] = [1, 2, 3].map(() => subscriber('agent', ['agent']));
    expect(audience.join(first)).toBeUndefined();
    expect(audience.join(second)).toBeUndefined();
    expect(audience.join(third)).toBe('too-many-for-user');
    expect(audience.join(subscriber('rita', ['requester']))).toBeUndefined();
    expect(audience.join(subscriber('sam', ['requester']))).toBe('too-many');
    audience.leave(first);
    expect(audience.join(third)).toBeUndefined();
    expect(audience.size).toBe(3);
  });
});
