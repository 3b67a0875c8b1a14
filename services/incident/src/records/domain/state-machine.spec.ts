import { type RecordType } from '@itsm/contracts';
import { RuleViolation, TransitionRefused } from '@itsm/domain';
import { openRecord, type RecordState, type ServiceRecord } from './service-record';
import {
  STATES_OF,
  allowedTargets,
  openTransitions,
  applyTransition,
  resolveFromOutside,
  type TransitionRequest,
} from './state-machine';

const NOW = new Date('2026-11-22T10:00:00Z');
const LATER = new Date('2026-11-22T11:00:00Z');

function recordIn(type: RecordType, state: RecordState): ServiceRecord {
  const record = openRecord(
    {
      type,
      title: 'Printer on fire',
      description: '',
      requester: 'requester',
      source: 'portal',
      impact: 2,
      urgency: 2,
      assignmentGroup: 'service-desk',
    },
    { id: '00000000-0000-4000-8000-000000000001', sequence: 1001 },
    NOW,
  );
  return { ...record, state };
}

/** The specification (PRODUCT.md), written out pair by pair; the machine must agree with it. */
const ALLOWED: Record<RecordType, Record<string, string[]>> = {
  incident: {
    new: ['in_progress', 'cancelled'],
    in_progress: ['on_hold', 'resolved', 'cancelled'],
    on_hold: ['in_progress', 'cancelled'],
    resolved: ['closed', 'in_progress'],
    closed: [],
    cancelled: [],
  },
  request: {
    submitted: ['approved', 'rejected', 'cancelled'],
    approved: ['fulfilling', 'cancelled'],
    fulfilling: ['fulfilled', 'cancelled'],
    fulfilled: ['closed'],
    closed: [],
    rejected: [],
    cancelled: [],
  },
};

/** The fields each target needs, so that an allowed move succeeds. */
const NEEDS: Record<string, Omit<TransitionRequest, 'to'>> = {
  on_hold: { holdReason: 'awaiting_caller' },
  resolved: { resolutionCode: 'solved_permanently', resolutionNotes: 'Replaced the toner' },
  fulfilled: { resolutionNotes: 'Laptop handed over' },
  cancelled: { reason: 'Raised twice' },
  rejected: { reason: 'Not covered by the catalog' },
};

function needsFor(from: string, to: string): Omit<TransitionRequest, 'to'> {
  if (from === 'resolved' && to === 'in_progress') return { reason: 'Still broken' };
  return NEEDS[to] ?? {};
}

const pairs = (['incident', 'request'] as const).flatMap((type) =>
  STATES_OF[type].flatMap((from) =>
    [...STATES_OF[type], 'reopened'].map((to) => ({
      type,
      from,
      to,
      allowed: (ALLOWED[type][from] ?? []).includes(to),
    })),
  ),
);

describe('the state machines, every (state, target) pair', () => {
  it.each(pairs)('$type: $from -> $to allowed=$allowed', ({ type, from, to, allowed }) => {
    const record = recordIn(type, from);
    const move = () => applyTransition(record, { to, ...needsFor(from, to) }, LATER);
    if (allowed) {
      expect(move().state).toBe(to);
    } else {
      expect(move).toThrow(TransitionRefused);
      try {
        move();
      } catch (error) {
        expect([...(error as TransitionRefused).allowed].sort()).toEqual(
          [...(ALLOWED[type][from] ?? [])].sort(),
        );
      }
    }
  });

  it('lists what is allowed from each state', () => {
    expect(allowedTargets('incident', 'closed')).toEqual([]);
    expect(allowedTargets('incident', 'new').sort()).toEqual(['cancelled', 'in_progress']);
  });
});

describe('what each transition needs', () => {
  it('on hold needs a reason from the list, and the change when awaiting one', () => {
    const record = recordIn('incident', 'in_progress');
    expect(() => applyTransition(record, { to: 'on_hold' }, LATER)).toThrow(
      new RuleViolation('holdReason', 'is required to move to on_hold'),
    );
    expect(() =>
      applyTransition(record, { to: 'on_hold', holdReason: 'awaiting_change' }, LATER),
    ).toThrow(RuleViolation);
    const held = applyTransition(
      record,
      {
        to: 'on_hold',
        holdReason: 'awaiting_change',
        awaitingChangeId: '00000000-0000-4000-8000-0000000000c1',
      },
      LATER,
    );
    expect(held).toMatchObject({
      holdReason: 'awaiting_change',
      awaitingChangeId: '00000000-0000-4000-8000-0000000000c1',
    });
    expect(applyTransition(held, { to: 'in_progress' }, LATER)).toMatchObject({
      holdReason: null,
      awaitingChangeId: null,
    });
  });

  it('holding awaiting a problem needs the incident linked to one', () => {
    const record = recordIn('incident', 'in_progress');
    expect(() =>
      applyTransition(record, { to: 'on_hold', holdReason: 'awaiting_problem' }, LATER),
    ).toThrow(
      new RuleViolation('holdReason', 'awaiting_problem needs the incident linked to a problem'),
    );
    const linked = { ...record, problemId: '00000000-0000-4000-8000-0000000000a1' };
    const held = applyTransition(linked, { to: 'on_hold', holdReason: 'awaiting_problem' }, LATER);
    expect(held).toMatchObject({ state: 'on_hold', holdReason: 'awaiting_problem' });
    // Resuming keeps the link: only the problem's events change it.
    expect(applyTransition(held, { to: 'in_progress' }, LATER)).toMatchObject({
      holdReason: null,
      problemId: linked.problemId,
    });
  });

  it('resolving needs a known resolution code and notes, and stamps resolvedAt', () => {
    const record = recordIn('incident', 'in_progress');
    expect(() =>
      applyTransition(record, { to: 'resolved', resolutionCode: 'solved_permanently' }, LATER),
    ).toThrow(new RuleViolation('resolutionNotes', 'is required to move to resolved'));
    expect(() =>
      applyTransition(
        record,
        { to: 'resolved', resolutionCode: 'magic', resolutionNotes: 'x' },
        LATER,
      ),
    ).toThrow(RuleViolation);
    expect(applyTransition(record, { to: 'resolved', ...NEEDS.resolved }, LATER)).toMatchObject({
      state: 'resolved',
      resolutionCode: 'solved_permanently',
      resolvedAt: LATER,
    });
  });

  it('starting work needs an assignment group, on the record or in the body', () => {
    const unassigned = { ...recordIn('incident', 'new'), assignmentGroup: null };
    expect(() => applyTransition(unassigned, { to: 'in_progress' }, LATER)).toThrow(
      new RuleViolation('assignmentGroup', 'is required to move to in_progress'),
    );
    expect(
      applyTransition(
        unassigned,
        { to: 'in_progress', assignmentGroup: 'network', assignee: 'agent' },
        LATER,
      ),
    ).toMatchObject({ assignmentGroup: 'network', assignee: 'agent', firstResponseAt: LATER });
  });

  it('refuses a field the transition does not use, naming it', () => {
    expect(() =>
      applyTransition(recordIn('incident', 'resolved'), { to: 'closed', reason: 'done' }, LATER),
    ).toThrow(new RuleViolation('reason', 'is not used by a transition to closed'));
  });

  it('reopening counts, needs a reason and clears the resolution', () => {
    const resolved = applyTransition(
      recordIn('incident', 'in_progress'),
      { to: 'resolved', ...NEEDS.resolved },
      NOW,
    );
    expect(() => applyTransition(resolved, { to: 'in_progress' }, LATER)).toThrow(RuleViolation);
    expect(
      applyTransition(resolved, { to: 'in_progress', reason: 'Back again' }, LATER),
    ).toMatchObject({
      reopenCount: 1,
      resolvedAt: null,
      resolutionCode: null,
      resolutionNotes: null,
    });
  });

  it('closing and cancelling stamp closedAt', () => {
    const resolved = { ...recordIn('incident', 'resolved'), resolvedAt: NOW };
    expect(applyTransition(resolved, { to: 'closed' }, LATER).closedAt).toEqual(LATER);
    expect(
      applyTransition(recordIn('request', 'submitted'), { to: 'rejected', reason: 'no' }, LATER)
        .closedAt,
    ).toEqual(LATER);
  });
});

describe('resolving from outside (major incident or problem)', () => {
  it('resolves an open incident from any open state and leaves others alone', () => {
    const resolution = {
      resolutionCode: 'resolved_by_problem',
      resolutionNotes: 'PRB fixed',
    } as const;
    for (const state of ['new', 'in_progress', 'on_hold'] as const) {
      expect(resolveFromOutside(recordIn('incident', state), resolution, LATER)).toMatchObject({
        state: 'resolved',
        resolvedAt: LATER,
        ...resolution,
      });
    }
    const closed = recordIn('incident', 'closed');
    expect(resolveFromOutside(closed, resolution, LATER)).toBe(closed);
  });
});

describe('the moves open from a record, as GET .../transitions answers them', () => {
  it('lists each target with the fields it must and may carry', () => {
    expect(openTransitions('incident', { state: 'new', assignmentGroup: null })).toEqual([
      { to: 'in_progress', requires: ['assignmentGroup'], accepts: ['assignee'] },
      { to: 'cancelled', requires: ['reason'], accepts: [] },
    ]);
    expect(
      openTransitions('incident', { state: 'in_progress', assignmentGroup: 'service-desk' }),
    ).toEqual([
      { to: 'on_hold', requires: ['holdReason'], accepts: ['awaitingChangeId'] },
      {
        to: 'resolved',
        requires: ['resolutionCode', 'resolutionNotes'],
        accepts: ['resolveChildren'],
      },
      { to: 'cancelled', requires: ['reason'], accepts: [] },
    ]);
  });

  it('does not ask again for a group the record has, and offers nothing from a final state', () => {
    expect(
      openTransitions('incident', { state: 'new', assignmentGroup: 'service-desk' })[0],
    ).toEqual({
      to: 'in_progress',
      requires: [],
      accepts: ['assignmentGroup', 'assignee'],
    });
    expect(openTransitions('incident', { state: 'closed', assignmentGroup: 'x' })).toEqual([]);
    expect(openTransitions('request', { state: 'approved', assignmentGroup: null })[0]).toEqual({
      to: 'fulfilling',
      requires: ['assignmentGroup'],
      accepts: ['assignee'],
    });
  });
});
