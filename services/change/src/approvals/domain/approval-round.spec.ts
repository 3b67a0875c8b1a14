import { CHANGE_MODELS, CHANGE_STATES } from '@itsm/contracts';
import { RecordConflict, RuleViolation, StepForbidden } from '@itsm/domain';
import {
  approvalRequirementFor,
  DEFAULT_APPROVAL_POLICIES,
  type ApprovalRequirement,
  type ApprovalRule,
} from './approval-policy';
import {
  approvalsNeeded,
  approvalStateOf,
  approversAwaiting,
  awaitingGroupsOf,
  decide,
  takesDecision,
  openRound,
  type ApprovalChangeContext,
  type ApprovalRound,
  type DecisionRequest,
} from './approval-round';

const OPENED = new Date('2026-03-02T09:00:00Z');
const IN_AUTHORIZE: ApprovalChangeContext = { model: 'normal', state: 'authorize' };

function requirement(
  rule: ApprovalRule,
  groups = ['network', 'database', 'applications'],
): ApprovalRequirement {
  return {
    policyId: 'p',
    policyName: 'Test policy',
    approvers: groups.map((name) => ({ kind: 'group', name })),
    rule,
    retrospective: false,
  };
}

let minute = 0;
function request(
  approver: string,
  groups: string[],
  fields: Partial<DecisionRequest> = {},
): DecisionRequest {
  minute += 1;
  return {
    approver,
    groups,
    roles: [],
    decision: 'approve',
    comment: null,
    at: new Date(OPENED.getTime() + minute * 60_000),
    ...fields,
  };
}

/** Applies the decisions in turn, as the change record would store each round. */
function run(round: ApprovalRound, requests: DecisionRequest[], change = IN_AUTHORIZE) {
  let result = null;
  let current = round;
  for (const each of requests) {
    result = decide(current, each, change);
    current = result.round;
  }
  if (!result) throw new Error('no decision');
  return result;
}

function caught(work: () => unknown): Error {
  try {
    work();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

function round(rule: ApprovalRule, groups?: string[]): ApprovalRound {
  return openRound([], requirement(rule, groups), OPENED);
}

describe('the approval rules', () => {
  it('all: every named approver, one member per group', () => {
    const first = run(round({ kind: 'all' }), [request('ann', ['network'])]);
    expect(first.evaluation).toMatchObject({ status: 'pending', needed: 3 });
    expect(first.evaluation.missing).toBe(
      'Waiting for approval from group "database" (any one member), group "applications" (any one member).',
    );
    expect(first.next).toBe('wait');
    const done = run(first.round, [request('bob', ['database']), request('cy', ['applications'])]);
    expect(done.evaluation).toMatchObject({ status: 'approved', outstanding: [], missing: null });
    expect(done.evaluation.approvals.map((approval) => approval.approver)).toEqual([
      'ann',
      'bob',
      'cy',
    ]);
    expect(done.round).toMatchObject({ outcome: 'approved', closedAt: done.decision.at });
    expect(done.next).toBe('schedule');
  });

  it('any: one approval is enough', () => {
    const start = round({ kind: 'any' });
    expect(run(start, [request('ann', ['database'])]).evaluation.status).toBe('approved');
  });

  it('n of m: n of the named approvers', () => {
    const first = run(round({ kind: 'n_of_m', n: 2 }), [request('ann', ['network'])]);
    expect(first.evaluation.missing).toBe(
      'Waiting for 1 more approval (2 of 3 needed) from: group "database" (any one member), group "applications" (any one member).',
    );
    expect(run(first.round, [request('cy', ['applications'])]).evaluation.status).toBe('approved');
  });

  it('percentage: the share of the named approvers, rounded up', () => {
    const start = round({ kind: 'percentage', percent: 50 }, ['a', 'b', 'c', 'd', 'e']);
    const first = run(start, [request('ann', ['a']), request('bob', ['b'])]);
    expect(first.evaluation.missing).toBe(
      'Waiting for 1 more approval (50 % of 5: 3 needed) from: group "c" (any one member), group "d" (any one member), group "e" (any one member).',
    );
    expect(run(first.round, [request('cy', ['e'])]).evaluation.status).toBe('approved');
  });

  it.each([
    [{ kind: 'all' }, 4, 4],
    [{ kind: 'any' }, 4, 1],
    [{ kind: 'n_of_m', n: 3 }, 4, 3],
    [{ kind: 'n_of_m', n: 3 }, 2, 2],
    [{ kind: 'percentage', percent: 50 }, 3, 2],
    [{ kind: 'percentage', percent: 100 }, 3, 3],
    [{ kind: 'percentage', percent: 1 }, 3, 1],
    [{ kind: 'percentage', percent: 70 }, 10, 7],
  ] as [ApprovalRule, number, number][])('%j of %i needs %i', (rule, count, needed) => {
    expect(approvalsNeeded(rule, count)).toBe(needed);
  });
});

describe('a rejection', () => {
  it('rejects at once, whatever the approvals, and sends the change back to new', () => {
    const result = run(round({ kind: 'n_of_m', n: 2 }), [
      request('ann', ['network']),
      request('bob', ['database'], { decision: 'reject', comment: '  No backout plan.  ' }),
    ]);
    expect(result.evaluation.status).toBe('rejected');
    expect(result.evaluation.rejection).toMatchObject({
      approver: 'bob',
      comment: 'No backout plan.',
    });
    expect(result.round.outcome).toBe('rejected');
    expect(result.next).toBe('return_to_new');
  });

  it('closes the round: no decision after it', () => {
    const rejected = run(round({ kind: 'all' }), [
      request('bob', ['database'], { decision: 'reject', comment: 'Too risky' }),
    ]);
    const error = caught(() => decide(rejected.round, request('ann', ['network']), IN_AUTHORIZE));
    expect(error).toEqual(
      new RecordConflict('approval round 1 is already rejected', 'APPROVAL_ROUND_CLOSED'),
    );
  });

  it('needs a comment', () => {
    const error = caught(() =>
      decide(
        round({ kind: 'any' }),
        request('bob', ['network'], { decision: 'reject', comment: '  ' }),
        IN_AUTHORIZE,
      ),
    );
    expect(error).toBeInstanceOf(RuleViolation);
    expect(error).toMatchObject({ field: 'comment' });
  });

  it('leads to a new round when the change is submitted again, the earlier one kept', () => {
    const first = run(round({ kind: 'any' }), [
      request('bob', ['network'], { decision: 'reject', comment: 'Plan it at night' }),
    ]);
    const rounds = [first.round];
    expect(approvalStateOf(first.round.requirement, rounds)).toBe('rejected');
    const second = openRound(rounds, first.round.requirement, new Date('2026-03-03T09:00:00Z'));
    expect(second).toMatchObject({ number: 2, decisions: [], outcome: 'pending', closedAt: null });
    expect(approvalStateOf(second.requirement, [...rounds, second])).toBe('requested');
    // Bob decided in round 1; he decides again in round 2.
    const approved = run(second, [request('bob', ['network'])]);
    expect(approvalStateOf(second.requirement, [...rounds, approved.round])).toBe('approved');
    expect(rounds[0].decisions).toHaveLength(1);
  });
});

describe('who may decide', () => {
  it('refuses someone who is not an approver, naming the approvers', () => {
    const error = caught(() =>
      decide(round({ kind: 'any' }), request('eve', ['service-desk']), IN_AUTHORIZE),
    );
    expect(error).toBeInstanceOf(StepForbidden);
    expect(error).toMatchObject({ code: 'APPROVER_NOT_ELIGIBLE' });
    expect(error.message).toBe(
      '"eve" is not an approver of this change; its approvers: group "network" (any one member), group "database" (any one member), group "applications" (any one member)',
    );
  });

  it('refuses deciding for an approver one does not speak for, or who is not named', () => {
    const start = round({ kind: 'all' });
    expect(
      caught(() =>
        decide(
          start,
          request('ann', ['network'], { for: { kind: 'group', name: 'database' } }),
          IN_AUTHORIZE,
        ),
      ).message,
    ).toBe('"ann" cannot decide for group "database" (any one member)');
    expect(
      caught(() =>
        decide(
          start,
          request('ann', ['network', 'hr'], { for: { kind: 'group', name: 'hr' } }),
          IN_AUTHORIZE,
        ),
      ).message,
    ).toMatch(/^group "hr" \(any one member\) is not an approver of this change/);
  });

  it('lets a person decide once per round', () => {
    const first = run(round({ kind: 'all' }), [request('ann', ['network', 'database'])]);
    const error = caught(() =>
      decide(first.round, request('ann', ['network', 'database']), IN_AUTHORIZE),
    );
    expect(error).toBeInstanceOf(RecordConflict);
    expect(error).toMatchObject({ code: 'ALREADY_DECIDED' });
    expect(error.message).toMatch(
      /^"ann" already decided \(approve, 2026-.*\) in approval round 1$/,
    );
  });

  it('lets one member speak for a group: another member of that group has nothing left to decide', () => {
    const first = run(round({ kind: 'all' }), [request('ann', ['network'])]);
    const error = caught(() =>
      decide(
        first.round,
        request('neil', ['network'], { decision: 'reject', comment: 'no' }),
        IN_AUTHORIZE,
      ),
    );
    expect(error).toEqual(
      new RecordConflict(
        '"neil" can only decide for approvers who have decided: group "network" (any one member) approved by "ann"',
        'APPROVER_ALREADY_DECIDED',
      ),
    );
  });

  it('counts one decision for one approver: a CAB member who is a change manager does not approve for both', () => {
    const highRisk = approvalRequirementFor(DEFAULT_APPROVAL_POLICIES, {
      model: 'normal',
      risk: 'high',
      businessServiceIds: [],
    });
    const start = openRound([], highRisk, OPENED);
    const both = request('cab_chief', ['change-advisory-board'], { roles: ['change_manager'] });
    const first = decide(start, both, IN_AUTHORIZE);
    expect(first.decision.for).toEqual({ kind: 'group', name: 'change-advisory-board' });
    expect(first.evaluation.missing).toBe(
      'Waiting for approval from role "change_manager" (any one holder).',
    );
    const done = decide(
      first.round,
      request('change_manager', [], { roles: ['change_manager'] }),
      IN_AUTHORIZE,
    );
    expect(done.evaluation.status).toBe('approved');
  });

  it('takes the approver a decision names, when the person could speak for several', () => {
    const start = round({ kind: 'all' });
    const result = decide(
      start,
      request('ann', ['network', 'database'], { for: { kind: 'group', name: 'database' } }),
      IN_AUTHORIZE,
    );
    expect(result.decision.for).toEqual({ kind: 'group', name: 'database' });
  });

  it('takes a user named in person, before any group', () => {
    const named: ApprovalRequirement = {
      ...requirement({ kind: 'all' }, ['network']),
      approvers: [
        { kind: 'user', name: 'ann' },
        { kind: 'group', name: 'network' },
      ],
    };
    const result = decide(openRound([], named, OPENED), request('ann', ['network']), IN_AUTHORIZE);
    expect(result.decision.for).toEqual({ kind: 'user', name: 'ann' });
    expect(result.evaluation.outstanding).toEqual([{ kind: 'group', name: 'network' }]);
  });
});

describe('approval rounds and states', () => {
  it('are not opened for a policy that needs no approval, nor beside a pending one', () => {
    const none = approvalRequirementFor(DEFAULT_APPROVAL_POLICIES, {
      model: 'standard',
      risk: 'low',
      businessServiceIds: [],
    });
    expect(caught(() => openRound([], none, OPENED))).toMatchObject({
      code: 'APPROVAL_NOT_REQUIRED',
    });
    expect(approvalStateOf(none, [])).toBe('not_required');
    const pending = round({ kind: 'any' });
    expect(approvalStateOf(pending.requirement, [])).toBe('not_requested');
    expect(caught(() => openRound([pending], pending.requirement, OPENED))).toEqual(
      new RecordConflict('approval round 1 is still pending', 'APPROVAL_ROUND_OPEN'),
    );
  });

  it.each(['new', 'assess', 'scheduled', 'implement', 'closed', 'cancelled'] as const)(
    'take no decision on a normal change in %s',
    (state) => {
      const error = caught(() =>
        decide(round({ kind: 'any' }), request('ann', ['network']), { model: 'normal', state }),
      );
      expect(error).toMatchObject({ code: 'NOT_AWAITING_APPROVAL' });
    },
  );

  it('list the groups a pending round still waits on', () => {
    const first = run(round({ kind: 'all' }), [request('ann', ['network'])]);
    expect(awaitingGroupsOf(first.round)).toEqual(['database', 'applications']);
    expect(
      awaitingGroupsOf(
        run(first.round, [request('b', ['database']), request('c', ['applications'])]).round,
      ),
    ).toEqual([]);
  });
});

describe('an emergency change', () => {
  const emergency = approvalRequirementFor(DEFAULT_APPROVAL_POLICIES, {
    model: 'emergency',
    risk: 'high',
    businessServiceIds: [],
  });
  const ecab = (fields: Partial<DecisionRequest> = {}) => request('erin', ['ecab'], fields);

  it('is authorised in authorize like any other, and then scheduled', () => {
    const result = decide(openRound([], emergency, OPENED), ecab(), {
      model: 'emergency',
      state: 'authorize',
    });
    expect(result).toMatchObject({ next: 'schedule', decision: { retrospective: false } });
  });

  it.each(['implement', 'review', 'closed'] as const)(
    'is authorised after the fact in %s, the decision flagged retrospective',
    (state) => {
      const result = decide(
        openRound([], emergency, OPENED),
        ecab({ comment: 'Outage fix, agreed by phone' }),
        { model: 'emergency', state },
      );
      expect(result.decision).toMatchObject({
        retrospective: true,
        comment: 'Outage fix, agreed by phone',
        for: { kind: 'group', name: 'ecab' },
      });
      expect(result.evaluation.status).toBe('approved');
      expect(result.next).toBe('record_only');
    },
  );

  it('rejected after the fact, keeps its state: the rejection is recorded for the review', () => {
    const result = decide(
      openRound([], emergency, OPENED),
      ecab({ decision: 'reject', comment: 'Should have waited' }),
      { model: 'emergency', state: 'review' },
    );
    expect(result).toMatchObject({
      next: 'record_only',
      decision: { retrospective: true },
      round: { outcome: 'rejected' },
    });
  });

  it('that went ahead before its decision is not retrospective until implemented, and a rejection still stops it', () => {
    const result = decide(
      openRound([], emergency, OPENED),
      ecab({ decision: 'reject', comment: 'Wait for the weekend' }),
      { model: 'emergency', state: 'scheduled' },
    );
    expect(result).toMatchObject({ next: 'return_to_new', decision: { retrospective: false } });
  });

  it('is not authorised after the fact when its policy does not allow it', () => {
    const strict = { ...emergency, retrospective: false };
    expect(
      caught(() =>
        decide(openRound([], strict, OPENED), ecab(), { model: 'emergency', state: 'implement' }),
      ).message,
    ).toBe(
      'an emergency change in implement takes no approval decision: the policy "Emergency change: emergency CAB or a change manager" does not allow authorisation after the fact',
    );
  });

  it('accepts a change manager instead of the emergency CAB', () => {
    const result = decide(
      openRound([], emergency, OPENED),
      request('change_manager', [], { roles: ['change_manager'] }),
      { model: 'emergency', state: 'implement' },
    );
    expect(result.decision.for).toEqual({ kind: 'role', name: 'change_manager' });
  });
});

describe('the approvers a round awaits from someone', () => {
  const mixed: ApprovalRequirement = {
    ...requirement({ kind: 'all' }, ['network']),
    approvers: [
      { kind: 'user', name: 'ann' },
      { kind: 'group', name: 'network' },
      { kind: 'role', name: 'change_manager' },
    ],
  };
  const pending = () => openRound([], mixed, OPENED);
  const ann = { approver: 'ann', groups: ['network'], roles: ['change_manager'] };

  it('names each approver they speak for in person, by group or by role', () => {
    expect(approversAwaiting(pending(), ann, IN_AUTHORIZE)).toEqual(mixed.approvers);
    expect(
      approversAwaiting(
        pending(),
        { approver: 'bo', groups: ['network'], roles: [] },
        IN_AUTHORIZE,
      ),
    ).toEqual([{ kind: 'group', name: 'network' }]);
    expect(
      approversAwaiting(
        pending(),
        { approver: 'cy', groups: [], roles: ['change_manager'] },
        IN_AUTHORIZE,
      ),
    ).toEqual([{ kind: 'role', name: 'change_manager' }]);
    expect(
      approversAwaiting(
        pending(),
        { approver: 'dee', groups: ['database'], roles: [] },
        IN_AUTHORIZE,
      ),
    ).toEqual([]);
  });

  it('leaves out an approver someone decided for, and everything once they decided themselves', () => {
    const groupDecided = run(pending(), [
      request('bo', ['network'], { for: { kind: 'group', name: 'network' } }),
    ]);
    expect(approversAwaiting(groupDecided.round, ann, IN_AUTHORIZE)).toEqual([
      { kind: 'user', name: 'ann' },
      { kind: 'role', name: 'change_manager' },
    ]);
    const annDecided = run(pending(), [request('ann', ['network'])]);
    expect(annDecided.decision.for).toEqual({ kind: 'user', name: 'ann' });
    expect(approversAwaiting(annDecided.round, ann, IN_AUTHORIZE)).toEqual([]);
  });

  it('is empty for a decided round', () => {
    const rejected = run(pending(), [
      request('bo', ['network'], { decision: 'reject', comment: 'No' }),
    ]);
    expect(rejected.round.outcome).toBe('rejected');
    expect(approversAwaiting(rejected.round, ann, IN_AUTHORIZE)).toEqual([]);
  });

  it('follows the states that take a decision, after the fact only where the policy allows it', () => {
    const retrospective = openRound([], { ...mixed, retrospective: true }, OPENED);
    const late = (model: ApprovalChangeContext['model'], state: ApprovalChangeContext['state']) =>
      approversAwaiting(retrospective, ann, { model, state }).length > 0;
    expect(late('emergency', 'scheduled')).toBe(true);
    expect(late('emergency', 'closed')).toBe(true);
    expect(late('emergency', 'new')).toBe(false);
    expect(late('emergency', 'cancelled')).toBe(false);
    expect(late('normal', 'implement')).toBe(false);
    expect(approversAwaiting(pending(), ann, { model: 'emergency', state: 'implement' })).toEqual(
      [],
    );
  });

  it('agrees with decide on every model and state: non-empty exactly when a decision is taken', () => {
    for (const retrospective of [false, true]) {
      const current = openRound([], { ...mixed, retrospective }, OPENED);
      for (const model of CHANGE_MODELS) {
        for (const state of CHANGE_STATES) {
          const change = { model, state };
          expect(takesDecision(current.requirement, change)).toBe(
            approversAwaiting(current, ann, change).length > 0,
          );
          let taken = true;
          try {
            decide(current, request('ann', ['network'], { roles: ['change_manager'] }), change);
          } catch {
            taken = false;
          }
          expect({ retrospective, model, state, taken }).toEqual({
            retrospective,
            model,
            state,
            taken: takesDecision(current.requirement, change),
          });
        }
      }
    }
  });
});
