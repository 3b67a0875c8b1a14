import { PROBLEM_STATES, type ProblemState } from '@itsm/contracts';
import { openProblem, type Problem } from './problem';
import { RuleViolation, StepForbidden, TransitionRefused } from '@itsm/domain';
import {
  allowedTargets,
  applyProblemTransition,
  openProblemTransitions,
  type ProblemTransitionRequest,
} from './problem-state-machine';

const OPENED = new Date('2025-03-01T08:00:00Z');
const NOW = new Date('2025-03-02T09:30:00Z');
const AGENT = { username: 'agent', mayReanalyseClosed: false };
const MANAGER = { username: 'problem_manager', mayReanalyseClosed: true };

function problem(fields: Partial<Problem> = {}): Problem {
  return {
    ...openProblem(
      {
        title: 'Payroll export deadlocks',
        impact: 2,
        urgency: 2,
        source: 'manual',
        openedBy: 'agent',
      },
      { id: '3f1c2b9a-0d43-4a8e-9c1b-111111111111', sequence: 1 },
      OPENED,
    ),
    ...fields,
  };
}

function move(from: Problem, request: ProblemTransitionRequest, actor = AGENT, now = NOW): Problem {
  return applyProblemTransition(from, request, actor, now);
}

function violation(work: () => unknown): RuleViolation {
  try {
    work();
  } catch (error) {
    expect(error).toBeInstanceOf(RuleViolation);
    return error as RuleViolation;
  }
  throw new Error('expected a RuleViolation');
}

/** A problem walked to each state, with what that state needs already on it. */
const IN: Record<ProblemState, () => Problem> = {
  new: () => problem(),
  assess: () => move(problem(), { to: 'assess', assignmentGroup: 'problem-management' }),
  root_cause_analysis: () => move(IN.assess(), { to: 'root_cause_analysis' }),
  fix_in_progress: () =>
    move(IN.root_cause_analysis(), { to: 'fix_in_progress', causeNotes: 'Missing index' }),
  resolved: () => move(IN.fix_in_progress(), { to: 'resolved', fixNotes: 'Index added' }),
  closed: () => move(IN.resolved(), { to: 'closed' }),
  cancelled: () => move(problem(), { to: 'cancelled', reason: 'Raised by mistake' }),
};

describe('the problem state machine', () => {
  it('allows exactly the documented targets from each state', () => {
    expect(
      Object.fromEntries(PROBLEM_STATES.map((state) => [state, allowedTargets(state)])),
    ).toEqual({
      new: ['assess', 'cancelled'],
      assess: ['root_cause_analysis', 'closed', 'cancelled'],
      root_cause_analysis: ['fix_in_progress', 'resolved', 'cancelled'],
      fix_in_progress: ['resolved', 'root_cause_analysis', 'cancelled'],
      resolved: ['closed', 'root_cause_analysis'],
      closed: ['root_cause_analysis'],
      cancelled: [],
    });
  });

  it.each([
    ['new', 'resolved'],
    ['new', 'closed'],
    ['assess', 'fix_in_progress'],
    ['assess', 'resolved'],
    ['root_cause_analysis', 'closed'],
    ['root_cause_analysis', 'assess'],
    ['fix_in_progress', 'closed'],
    ['fix_in_progress', 'new'],
    ['resolved', 'cancelled'],
    ['resolved', 'fix_in_progress'],
    ['closed', 'resolved'],
    ['closed', 'cancelled'],
    ['cancelled', 'new'],
    ['cancelled', 'root_cause_analysis'],
  ] as const)('refuses %s -> %s naming the state and the allowed targets', (from, to) => {
    const current = IN[from]();
    expect(current.state).toBe(from);
    let refused: unknown;
    try {
      move(current, { to, reason: 'try', assignmentGroup: 'x' }, MANAGER);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TransitionRefused);
    expect((refused as TransitionRefused).from).toBe(from);
    expect((refused as TransitionRefused).to).toBe(to);
    expect((refused as TransitionRefused).allowed).toEqual(allowedTargets(from));
    expect((refused as Error).message).toContain(`in state ${from}`);
  });

  it('refuses a state that does not exist', () => {
    expect(() => move(problem(), { to: 'done' })).toThrow(TransitionRefused);
  });

  describe('new -> assess', () => {
    it('needs an assignment group', () => {
      expect(violation(() => move(problem(), { to: 'assess' })).field).toBe('assignmentGroup');
      expect(violation(() => move(problem(), { to: 'assess', assignmentGroup: '  ' })).field).toBe(
        'assignmentGroup',
      );
    });

    it('takes the group already on the problem', () => {
      const next = move(problem({ assignmentGroup: 'dba', assignee: 'dana' }), { to: 'assess' });
      expect(next).toMatchObject({ state: 'assess', assignmentGroup: 'dba', assignee: 'dana' });
    });

    it('assigns the group and assignee given, replacing an assignee when only the group is given', () => {
      expect(
        move(problem(), { to: 'assess', assignmentGroup: 'dba', assignee: 'dana' }),
      ).toMatchObject({ assignmentGroup: 'dba', assignee: 'dana' });
      expect(
        move(problem({ assignmentGroup: 'net', assignee: 'nick' }), {
          to: 'assess',
          assignmentGroup: 'dba',
        }),
      ).toMatchObject({ assignmentGroup: 'dba', assignee: null });
    });

    it('refuses fields the step does not use', () => {
      const error = violation(() =>
        move(problem(), { to: 'assess', assignmentGroup: 'dba', causeNotes: 'early' }),
      );
      expect(error.field).toBe('causeNotes');
    });
  });

  describe('assess -> root_cause_analysis', () => {
    it('confirms the problem: who and when', () => {
      const next = move(IN.assess(), { to: 'root_cause_analysis', workaround: ' Restart it ' });
      expect(next).toMatchObject({
        state: 'root_cause_analysis',
        confirmedAt: NOW,
        confirmedBy: 'agent',
        workaround: 'Restart it',
      });
    });
  });

  describe('assess -> closed (a duplicate)', () => {
    const original = '8d7c6b5a-0000-4000-8000-000000000002';

    it('needs duplicateOfId', () => {
      expect(violation(() => move(IN.assess(), { to: 'closed' })).field).toBe('duplicateOfId');
    });

    it('closes as a duplicate of the other problem, who and when', () => {
      const next = move(IN.assess(), {
        to: 'closed',
        duplicateOfId: original,
        reason: 'Same as the other one',
      });
      expect(next).toMatchObject({
        state: 'closed',
        duplicateOfId: original,
        resolutionCode: 'duplicate',
        resolutionNotes: 'Same as the other one',
        closedAt: NOW,
        closedBy: 'agent',
        resolvedAt: null,
      });
    });

    it('refuses another resolution code and the problem itself', () => {
      expect(
        violation(() =>
          move(IN.assess(), {
            to: 'closed',
            duplicateOfId: original,
            resolutionCode: 'fix_applied',
          }),
        ).field,
      ).toBe('resolutionCode');
      const itself = IN.assess();
      expect(violation(() => move(itself, { to: 'closed', duplicateOfId: itself.id })).field).toBe(
        'duplicateOfId',
      );
    });
  });

  describe('root_cause_analysis -> fix_in_progress', () => {
    it('needs cause notes, from the body or the problem', () => {
      expect(violation(() => move(IN.root_cause_analysis(), { to: 'fix_in_progress' })).field).toBe(
        'causeNotes',
      );
      const withNotes = { ...IN.root_cause_analysis(), causeNotes: 'Known already' };
      expect(move(withNotes, { to: 'fix_in_progress' }).causeNotes).toBe('Known already');
    });

    it('records who identified the root cause, and when', () => {
      const next = move(IN.root_cause_analysis(), {
        to: 'fix_in_progress',
        causeNotes: ' Missing index ',
      });
      expect(next).toMatchObject({
        state: 'fix_in_progress',
        causeNotes: 'Missing index',
        rootCauseIdentifiedAt: NOW,
        rootCauseIdentifiedBy: 'agent',
      });
    });
  });

  describe('root_cause_analysis -> resolved', () => {
    it('only accepts the risk, with a reason', () => {
      expect(violation(() => move(IN.root_cause_analysis(), { to: 'resolved' })).field).toBe(
        'resolutionCode',
      );
      expect(
        violation(() =>
          move(IN.root_cause_analysis(), { to: 'resolved', resolutionCode: 'fix_applied' }),
        ).field,
      ).toBe('resolutionCode');
      expect(
        violation(() =>
          move(IN.root_cause_analysis(), { to: 'resolved', resolutionCode: 'risk_accepted' }),
        ).field,
      ).toBe('reason');
    });

    it('resolves with the risk accepted: who and when', () => {
      const next = move(IN.root_cause_analysis(), {
        to: 'resolved',
        resolutionCode: 'risk_accepted',
        reason: 'Legacy system retires in May',
      });
      expect(next).toMatchObject({
        state: 'resolved',
        resolutionCode: 'risk_accepted',
        resolutionNotes: 'Legacy system retires in May',
        resolvedAt: NOW,
        resolvedBy: 'agent',
        rootCauseIdentifiedAt: NOW,
        closedAt: null,
      });
    });

    it('refuses an unknown resolution code', () => {
      expect(
        violation(() =>
          move(IN.root_cause_analysis(), { to: 'resolved', resolutionCode: 'whatever' }),
        ).field,
      ).toBe('resolutionCode');
    });
  });

  describe('fix_in_progress -> resolved', () => {
    it('needs fix notes, from the body or the problem', () => {
      expect(violation(() => move(IN.fix_in_progress(), { to: 'resolved' })).field).toBe(
        'fixNotes',
      );
      const withFix = { ...IN.fix_in_progress(), fixNotes: 'Index added' };
      expect(move(withFix, { to: 'resolved' }).state).toBe('resolved');
    });

    it('defaults to fix_applied, who and when', () => {
      const next = move(IN.fix_in_progress(), { to: 'resolved', fixNotes: 'Index added' }, MANAGER);
      expect(next).toMatchObject({
        state: 'resolved',
        fixNotes: 'Index added',
        resolutionCode: 'fix_applied',
        resolvedAt: NOW,
        resolvedBy: 'problem_manager',
      });
    });

    it('may accept the risk instead, with a reason; never a duplicate', () => {
      expect(
        violation(() =>
          move(IN.fix_in_progress(), {
            to: 'resolved',
            fixNotes: 'Partial',
            resolutionCode: 'risk_accepted',
          }),
        ).field,
      ).toBe('reason');
      expect(
        move(IN.fix_in_progress(), {
          to: 'resolved',
          fixNotes: 'Partial',
          resolutionCode: 'risk_accepted',
          reason: 'Rest is cosmetic',
        }),
      ).toMatchObject({ resolutionCode: 'risk_accepted', resolutionNotes: 'Rest is cosmetic' });
      expect(
        violation(() =>
          move(IN.fix_in_progress(), {
            to: 'resolved',
            fixNotes: 'x',
            resolutionCode: 'duplicate',
          }),
        ).field,
      ).toBe('resolutionCode');
    });
  });

  describe('fix_in_progress -> root_cause_analysis (the fix did not work)', () => {
    it('needs a reason and keeps the milestones', () => {
      expect(violation(() => move(IN.fix_in_progress(), { to: 'root_cause_analysis' })).field).toBe(
        'reason',
      );
      const next = move(IN.fix_in_progress(), { to: 'root_cause_analysis', reason: 'Still fails' });
      expect(next).toMatchObject({
        state: 'root_cause_analysis',
        causeNotes: 'Missing index',
        reanalysisCount: 0,
      });
    });
  });

  describe('resolved -> closed', () => {
    it('closes, who and when, keeping the resolution', () => {
      const resolved = IN.resolved();
      const next = move(resolved, { to: 'closed' }, MANAGER);
      expect(next).toMatchObject({
        state: 'closed',
        closedAt: NOW,
        closedBy: 'problem_manager',
        resolutionCode: 'fix_applied',
        resolvedAt: resolved.resolvedAt,
      });
    });

    it('takes closing resolution notes', () => {
      expect(
        move(IN.resolved(), { to: 'closed', resolutionNotes: 'Verified a month later' }),
      ).toMatchObject({ state: 'closed', resolutionNotes: 'Verified a month later' });
    });
  });

  describe('cancelled', () => {
    it.each(['new', 'assess', 'root_cause_analysis', 'fix_in_progress'] as const)(
      'from %s needs a reason, and records it with who and when',
      (from) => {
        expect(violation(() => move(IN[from](), { to: 'cancelled' })).field).toBe('reason');
        expect(violation(() => move(IN[from](), { to: 'cancelled', reason: ' ' })).field).toBe(
          'reason',
        );
        const next = move(IN[from](), { to: 'cancelled', reason: ' Not a problem ' });
        expect(next).toMatchObject({
          state: 'cancelled',
          resolutionCode: 'cancelled',
          resolutionNotes: 'Not a problem',
          closedAt: NOW,
          closedBy: 'agent',
        });
      },
    );
  });

  describe('re-analysis', () => {
    const cleared = {
      state: 'root_cause_analysis',
      resolutionCode: null,
      resolutionNotes: null,
      resolvedAt: null,
      resolvedBy: null,
      closedAt: null,
      closedBy: null,
      reanalysisCount: 1,
    };

    it('of a resolved problem: anyone working it, with a reason; the outcome is cleared', () => {
      expect(violation(() => move(IN.resolved(), { to: 'root_cause_analysis' })).field).toBe(
        'reason',
      );
      const next = move(IN.resolved(), {
        to: 'root_cause_analysis',
        reason: 'It came back',
        assignmentGroup: 'dba',
      });
      expect(next).toMatchObject({ ...cleared, assignmentGroup: 'dba', assignee: null });
      expect(next.confirmedAt).not.toBeNull();
      expect(next.causeNotes).toBe('Missing index');
    });

    it('of a closed problem: a problem manager only', () => {
      expect(() => move(IN.closed(), { to: 'root_cause_analysis', reason: 'Back' }, AGENT)).toThrow(
        StepForbidden,
      );
      const next = move(IN.closed(), { to: 'root_cause_analysis', reason: 'Back' }, MANAGER);
      expect(next).toMatchObject(cleared);
      expect(move(next, { to: 'fix_in_progress' }).state).toBe('fix_in_progress');
    });

    it('counts every re-analysis', () => {
      const once = move(IN.resolved(), { to: 'root_cause_analysis', reason: 'Back' });
      const fixed = move(move(once, { to: 'fix_in_progress' }), { to: 'resolved' });
      expect(move(fixed, { to: 'root_cause_analysis', reason: 'Again' }).reanalysisCount).toBe(2);
    });

    it('never of a duplicate', () => {
      const duplicate = move(IN.assess(), {
        to: 'closed',
        duplicateOfId: '8d7c6b5a-0000-4000-8000-000000000002',
      });
      expect(
        violation(() => move(duplicate, { to: 'root_cause_analysis', reason: 'Hm' }, MANAGER))
          .field,
      ).toBe('to');
    });
  });

  it('does not change the problem it was given', () => {
    const before = IN.assess();
    const copy = structuredClone(before);
    move(before, { to: 'root_cause_analysis' });
    expect(before).toEqual(copy);
  });
});

describe('openProblemTransitions', () => {
  it('offers from new an assessment needing a group, or a cancellation needing a reason', () => {
    expect(openProblemTransitions(problem(), AGENT)).toEqual([
      { to: 'assess', requires: ['assignmentGroup'], accepts: ['assignee'] },
      { to: 'cancelled', requires: ['reason'], accepts: [] },
    ]);
  });

  it('no longer requires what the problem already holds', () => {
    const analysed = problem({ state: 'root_cause_analysis', causeNotes: 'Lock order' });
    expect(openProblemTransitions(analysed, AGENT)[0]).toEqual({
      to: 'fix_in_progress',
      requires: [],
      accepts: ['causeNotes', 'fixNotes', 'workaround'],
    });
  });

  it('offers re-analysing a closed problem to a problem manager only, and never for a duplicate', () => {
    const closed = problem({ state: 'closed', resolutionCode: 'fix_applied' });
    expect(openProblemTransitions(closed, AGENT)).toEqual([]);
    expect(openProblemTransitions(closed, MANAGER).map((step) => step.to)).toEqual([
      'root_cause_analysis',
    ]);
    expect(openProblemTransitions({ ...closed, resolutionCode: 'duplicate' }, MANAGER)).toEqual([]);
  });

  it('offers nothing from cancelled', () => {
    expect(openProblemTransitions(problem({ state: 'cancelled' }), MANAGER)).toEqual([]);
  });
});
