import { RecordConflict, RuleViolation, TransitionRefused } from '@itsm/domain';
import { openChange, type Change } from './change';
import {
  allowedTargets,
  applyChangeTransition,
  openChangeTransitions,
} from './change-state-machine';
import { happeningsOf } from './change-happenings';
import { diffChanges } from './change';

const NOW = new Date('2026-12-04T10:00:00Z');
const START = new Date('2026-12-10T22:00:00Z');
const END = new Date('2026-12-11T01:00:00Z');

function change(fields: Partial<Change> = {}): Change {
  return {
    ...openChange(
      { title: 'Upgrade PostgreSQL', model: 'normal', requestedBy: 'change_manager' },
      { id: '00000000-0000-4000-8000-000000000001', sequence: 12 },
      NOW,
    ),
    ...fields,
  };
}

function step(from: Change, to: string, fields: Record<string, unknown> = {}): Change {
  return applyChangeTransition(from, { to, ...fields }, 'change_manager', NOW);
}

describe('change state machine', () => {
  it('numbers a new change CHG and seven digits, standard ones needing no approval', () => {
    expect(change().number).toBe('CHG0000012');
    expect(change().approval).toBe('not_requested');
    expect(
      openChange({ title: 't', model: 'standard', requestedBy: 'x' }, { id: 'x', sequence: 1 }, NOW)
        .approval,
    ).toBe('not_required');
  });

  it('gives each model its own path', () => {
    expect(allowedTargets('normal', 'new')).toEqual(['assess', 'cancelled']);
    expect(allowedTargets('standard', 'new')).toEqual(['scheduled', 'cancelled']);
    expect(allowedTargets('emergency', 'new')).toEqual(['authorize', 'cancelled']);
    expect(allowedTargets('emergency', 'authorize')).toContain('implement');
    expect(allowedTargets('normal', 'implement')).toEqual(['review']);
    expect(allowedTargets('normal', 'closed')).toEqual([]);
  });

  it('takes a normal change through every state, asking for approval on the way', () => {
    const assessed = step(change(), 'assess', { assignmentGroup: 'database' });
    const asking = step(assessed, 'authorize', {
      plannedStart: START,
      plannedEnd: END,
      implementationPlan: 'pg_upgrade --link',
      backoutPlan: 'restore the snapshot',
    });
    expect(asking.approval).toBe('requested');
    expect(() => step(asking, 'scheduled')).toThrow(RecordConflict);
    const scheduled = step({ ...asking, approval: 'approved' }, 'scheduled');
    expect(scheduled.authorizedAt).toEqual(NOW);
    const implementing = step(scheduled, 'implement');
    expect(implementing.actualStart).toEqual(NOW);
    const reviewed = step(implementing, 'review', { closeCode: 'successful' });
    expect(reviewed.closeCode).toBe('successful');
    expect(reviewed.actualEnd).toEqual(NOW);
    const closed = step(reviewed, 'closed');
    expect(closed.closedBy).toBe('change_manager');
  });

  it('refuses a step the model does not take, naming the state and the allowed ones', () => {
    let refused: unknown;
    try {
      step(change(), 'scheduled');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TransitionRefused);
    expect(refused).toMatchObject({
      from: 'new',
      to: 'scheduled',
      allowed: ['assess', 'cancelled'],
    });
    expect(() => step(change({ model: 'standard' }), 'assess')).toThrow(TransitionRefused);
    expect(() => step(change({ model: 'emergency' }), 'assess')).toThrow(TransitionRefused);
  });

  it('names the field a step needs and the one it does not use', () => {
    expect(() => step(change(), 'assess')).toThrow(
      expect.objectContaining({ field: 'assignmentGroup' }) as Error,
    );
    const assessed = step(change(), 'assess', { assignmentGroup: 'database' });
    expect(() => step(assessed, 'authorize', { plannedStart: START, plannedEnd: END })).toThrow(
      expect.objectContaining({ field: 'implementationPlan' }) as Error,
    );
    expect(() => step(change(), 'cancelled', { reason: 'dup', closeCode: 'successful' })).toThrow(
      expect.objectContaining({ field: 'closeCode' }) as Error,
    );
    expect(() =>
      step(change({ state: 'implement', actualStart: NOW }), 'review', { closeCode: 'failed' }),
    ).toThrow(expect.objectContaining({ field: 'closeCode' }) as Error);
  });

  it('requires a review for emergency, unsuccessful and backed-out changes', () => {
    const inReview = change({ state: 'review', closeCode: 'backed_out' });
    expect(() => step(inReview, 'closed')).toThrow(RuleViolation);
    expect(step(inReview, 'closed', { reviewNotes: 'Lock timeout too short' }).reviewNotes).toBe(
      'Lock timeout too short',
    );
    expect(() =>
      step(change({ state: 'review', model: 'emergency', closeCode: 'successful' }), 'closed'),
    ).toThrow(expect.objectContaining({ field: 'reviewNotes' }) as Error);
    expect(step(change({ state: 'review', closeCode: 'successful' }), 'closed').state).toBe(
      'closed',
    );
  });

  it('lets an emergency change be implemented before its authorisation, with a reason', () => {
    const emergency = change({ model: 'emergency' });
    const asking = step(emergency, 'authorize', {
      assignmentGroup: 'network',
      plannedStart: START,
      plannedEnd: END,
    });
    expect(() => step(asking, 'implement')).toThrow(
      expect.objectContaining({ field: 'reason' }) as Error,
    );
    const implementing = step(asking, 'implement', { reason: 'Core switch down' });
    expect(implementing.approval).toBe('requested');
  });

  it('cancels until implement, and not after', () => {
    expect(
      step(change({ state: 'scheduled' }), 'cancelled', { reason: 'Vendor slipped' }).state,
    ).toBe('cancelled');
    expect(() => step(change({ state: 'implement' }), 'cancelled', { reason: 'x' })).toThrow(
      TransitionRefused,
    );
  });

  it('holds a change on hold where it is, except for cancelling it', () => {
    const held = change({ state: 'scheduled', onHold: true, holdReason: 'Year-end freeze' });
    expect(() => step(held, 'implement')).toThrow(/Year-end freeze/);
    const cancelled = step(held, 'cancelled', { reason: 'Not needed any more' });
    expect(cancelled.onHold).toBe(false);
  });

  it('refuses a planned window that ends before it starts', () => {
    const assessed = step(change(), 'assess', { assignmentGroup: 'database' });
    expect(() =>
      step(assessed, 'authorize', {
        plannedStart: END,
        plannedEnd: START,
        implementationPlan: 'a',
        backoutPlan: 'b',
      }),
    ).toThrow(expect.objectContaining({ field: 'plannedEnd' }) as Error);
  });

  it('announces the milestone of each step', () => {
    const scheduled = change({ state: 'scheduled', approval: 'approved' });
    const implementing = step(scheduled, 'implement');
    expect(happeningsOf(diffChanges(scheduled, implementing))).toEqual([
      'state_changed',
      'implementation_started',
    ]);
    const reviewed = step(implementing, 'review', { closeCode: 'unsuccessful' });
    expect(happeningsOf(diffChanges(implementing, reviewed))).toEqual([
      'state_changed',
      'completed',
    ]);
    const rejected = { ...change({ state: 'authorize', approval: 'requested' }) };
    expect(
      happeningsOf(diffChanges(rejected, { ...rejected, state: 'new', approval: 'rejected' })),
    ).toEqual(['state_changed', 'rejected']);
    expect(
      happeningsOf(
        diffChanges(change(), { ...change(), title: 'x', assignee: 'a', assignmentGroup: 'g' }),
      ),
    ).toEqual(['updated', 'assigned']);
  });
});

describe('openChangeTransitions', () => {
  it('offers a new normal change its assessment, the group required until it has one', () => {
    expect(openChangeTransitions(change()).map(({ to, requires }) => ({ to, requires }))).toEqual([
      { to: 'assess', requires: ['assignmentGroup'] },
      { to: 'cancelled', requires: ['reason'] },
    ]);
    const grouped = openChangeTransitions(change({ assignmentGroup: 'database' }))[0];
    expect(grouped.requires).toEqual([]);
    expect(grouped.accepts).toContain('assignmentGroup');
  });

  it('asks only for the parts of the plan the change does not hold yet', () => {
    const assessed = change({ state: 'assess', plannedStart: START, plannedEnd: END });
    expect(openChangeTransitions(assessed)[0]).toMatchObject({
      to: 'authorize',
      requires: ['implementationPlan', 'backoutPlan'],
    });
  });

  it('does not offer scheduling before the approval, nor anything but cancelling under a freeze', () => {
    const inAuthorisation = change({ state: 'authorize', approval: 'requested' });
    expect(openChangeTransitions(inAuthorisation).map(({ to }) => to)).toEqual([
      'new',
      'cancelled',
    ]);
    expect(
      openChangeTransitions({ ...inAuthorisation, approval: 'approved' }).map(({ to }) => to),
    ).toEqual(['scheduled', 'new', 'cancelled']);
    const held = change({ state: 'scheduled', onHold: true, holdReason: 'Year-end freeze' });
    expect(openChangeTransitions(held).map(({ to }) => to)).toEqual(['cancelled']);
  });

  it('requires the review to close an emergency change, unless it is written already', () => {
    const reviewing = change({ state: 'review', model: 'emergency', closeCode: 'successful' });
    expect(openChangeTransitions(reviewing)).toEqual([
      { to: 'closed', requires: ['reviewNotes'], accepts: ['closeNotes'] },
    ]);
    expect(openChangeTransitions({ ...reviewing, reviewNotes: 'Went well' })[0].requires).toEqual(
      [],
    );
  });

  it('offers nothing once closed', () => {
    expect(openChangeTransitions(change({ state: 'closed' }))).toEqual([]);
  });
});
