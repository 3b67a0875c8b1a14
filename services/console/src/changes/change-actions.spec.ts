import { describe, expect, it } from '@jest/globals';
import { changeActions, reviewRequired } from './change-actions';
import type { Change } from './types';

type Facts = Parameters<typeof changeActions>[0];

function change(fields: Partial<Facts>): Facts {
  return {
    model: 'normal',
    state: 'new',
    approval: 'not_requested',
    onHold: false,
    unauthorized: false,
    closeCode: null,
    assignmentGroup: null,
    plannedStart: null,
    plannedEnd: null,
    implementationPlan: null,
    backoutPlan: null,
    ...fields,
  };
}

const targets = (facts: Facts, canWrite = true) =>
  changeActions(facts, canWrite).map((action) => action.to);

describe('changeActions', () => {
  it('offers nothing to those who may not work changes', () => {
    expect(targets(change({}), false)).toEqual([]);
  });

  it('follows each model from new', () => {
    expect(targets(change({ model: 'normal' }))).toEqual(['assess', 'cancelled']);
    expect(targets(change({ model: 'standard' }))).toEqual(['scheduled', 'cancelled']);
    expect(targets(change({ model: 'emergency' }))).toEqual(['authorize', 'cancelled']);
  });

  it('asks only for the required fields the change does not hold', () => {
    const [assess] = changeActions(change({}), true);
    expect(assess).toEqual({ to: 'assess', required: ['assignmentGroup'], optional: [] });
    const [authorize] = changeActions(
      change({
        state: 'assess',
        assignmentGroup: 'network',
        plannedStart: '2026-03-10T10:00:00.000Z',
        plannedEnd: '2026-03-10T12:00:00.000Z',
        implementationPlan: ' ',
      }),
      true,
    );
    expect(authorize.required).toEqual(['implementationPlan', 'backoutPlan']);
  });

  it('schedules from authorize only once approved: the approvers move it otherwise', () => {
    expect(targets(change({ state: 'authorize', approval: 'requested' }))).toEqual([
      'new',
      'cancelled',
    ]);
    expect(targets(change({ state: 'authorize', approval: 'approved' }))).toEqual([
      'scheduled',
      'new',
      'cancelled',
    ]);
    expect(
      targets(change({ model: 'emergency', state: 'authorize', approval: 'requested' })),
    ).toEqual(['implement', 'new', 'cancelled']);
  });

  it('lets a change held by a freeze only be cancelled', () => {
    expect(targets(change({ state: 'scheduled', onHold: true }))).toEqual(['cancelled']);
    expect(targets(change({ state: 'implement', onHold: true }))).toEqual([]);
  });

  it('asks for a close code to leave implement, and a review to close when one is needed', () => {
    expect(changeActions(change({ state: 'implement' }), true)).toEqual([
      { to: 'review', required: ['closeCode'], optional: ['closeNotes'] },
    ]);
    expect(changeActions(change({ state: 'review', closeCode: 'successful' }), true)).toEqual([
      { to: 'closed', required: [], optional: ['reviewNotes'] },
    ]);
    expect(changeActions(change({ state: 'review', closeCode: 'backed_out' }), true)).toEqual([
      { to: 'closed', required: ['reviewNotes'], optional: [] },
    ]);
  });

  it('offers nothing from a final state', () => {
    expect(targets(change({ state: 'closed' }))).toEqual([]);
    expect(targets(change({ state: 'cancelled' }))).toEqual([]);
  });
});

describe('reviewRequired', () => {
  const base: Pick<Change, 'model' | 'unauthorized' | 'closeCode'> = {
    model: 'normal',
    unauthorized: false,
    closeCode: 'successful',
  };
  it('holds for emergency, unauthorised, unsuccessful and backed-out changes', () => {
    expect(reviewRequired(base)).toBe(false);
    expect(reviewRequired({ ...base, model: 'emergency' })).toBe(true);
    expect(reviewRequired({ ...base, unauthorized: true })).toBe(true);
    expect(reviewRequired({ ...base, closeCode: 'unsuccessful' })).toBe(true);
    expect(reviewRequired({ ...base, closeCode: 'backed_out' })).toBe(true);
  });
});
