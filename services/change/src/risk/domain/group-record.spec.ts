import { assessGroupRecord } from './group-record';
import { RuleViolation } from '@itsm/domain';
import type { GroupRecord } from './risk-facts';
import { DEFAULT_RISK_POLICY } from './risk-policy';

const policy = DEFAULT_RISK_POLICY.groupRecord;

function record(fields: Partial<GroupRecord> = {}): GroupRecord {
  return {
    group: 'network',
    lookBackMs: 90 * 86_400_000,
    completed: 10,
    failed: 0,
    causedIncidents: 0,
    ...fields,
  };
}

describe("the assignment group's record", () => {
  it('says nothing for a change with no group, and says why', () => {
    expect(assessGroupRecord(policy, null)).toEqual({
      source: 'group_record',
      risk: null,
      reasons: [
        {
          source: 'group_record',
          risk: null,
          text: 'The change has no assignment group: no success record to weigh.',
        },
      ],
    });
  });

  it('does not judge a group with too few changes', () => {
    const assessed = assessGroupRecord(policy, record({ completed: 4, failed: 4 }));
    expect(assessed.risk).toBeNull();
    expect(assessed.reasons[0].text).toBe(
      'Group "network" completed 4 changes in the last 90 days, fewer than the 5 needed to judge its record.',
    );
  });

  it('is low for a clean record', () => {
    const assessed = assessGroupRecord(policy, record({ completed: 12, failed: 1 }));
    expect(assessed.risk).toBe('low');
    expect(assessed.reasons[0].text).toBe(
      'Group "network" completed 12 changes in the last 90 days: 1 was unsuccessful or backed out (8.3 %) and none caused an incident (0 %); low risk.',
    );
  });

  it('is high from a failure rate of 20 % over at least 5 changes, exactly at the boundary', () => {
    const assessed = assessGroupRecord(policy, record({ completed: 5, failed: 1 }));
    expect(assessed.risk).toBe('high');
    expect(assessed.reasons[0].text).toBe(
      'Group "network" completed 5 changes in the last 90 days: 1 was unsuccessful or backed out (20 %, 20 % or more); high risk.',
    );
    expect(assessGroupRecord(policy, record({ completed: 10, failed: 1 })).risk).toBe('moderate');
  });

  it('weighs the changes that caused incidents too, each measure its own reason', () => {
    const assessed = assessGroupRecord(
      policy,
      record({ completed: 10, failed: 1, causedIncidents: 3 }),
    );
    expect(assessed.risk).toBe('high');
    expect(assessed.reasons.map((reason) => [reason.risk, reason.text])).toEqual([
      [
        'moderate',
        'Group "network" completed 10 changes in the last 90 days: 1 was unsuccessful or backed out (10 %, 10 % or more); moderate risk.',
      ],
      [
        'high',
        'Group "network" completed 10 changes in the last 90 days: 3 caused incidents (30 %, 20 % or more); high risk.',
      ],
    ]);
  });

  it.each([
    [{ completed: -1 }, 'groupRecord.completed'],
    [{ failed: 1.5 }, 'groupRecord.failed'],
    [{ failed: 11 }, 'groupRecord.failed'],
    [{ causedIncidents: 11 }, 'groupRecord.causedIncidents'],
  ])('refuses the impossible record %j, naming the field', (fields, field) => {
    expect(() => assessGroupRecord(policy, record(fields))).toThrow(RuleViolation);
    try {
      assessGroupRecord(policy, record(fields));
    } catch (error) {
      expect((error as RuleViolation).field).toBe(field);
    }
  });
});
