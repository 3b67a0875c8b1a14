import { describe, expect, it } from '@jest/globals';
import { changeActions } from './change-actions';

const open = (transitions: { to: string; requires: string[]; accepts: string[] }[]) => ({
  id: '00000000-0000-4000-8000-000000000001',
  state: 'assess',
  transitions,
});

describe('changeActions', () => {
  it('offers nothing to those who may not work changes, nor before the open steps are read', () => {
    const steps = open([{ to: 'cancelled', requires: ['reason'], accepts: [] }]);
    expect(changeActions(steps, false)).toEqual([]);
    expect(changeActions(undefined, true)).toEqual([]);
  });

  it('offers the steps the service lists, in its order, with what each must and may carry', () => {
    expect(
      changeActions(
        open([
          {
            to: 'authorize',
            requires: ['implementationPlan', 'backoutPlan'],
            accepts: ['plannedStart', 'plannedEnd', 'testPlan'],
          },
          { to: 'new', requires: ['reason'], accepts: [] },
        ]),
        true,
      ),
    ).toEqual([
      {
        to: 'authorize',
        required: ['implementationPlan', 'backoutPlan'],
        optional: ['plannedStart', 'plannedEnd'],
      },
      { to: 'new', required: ['reason'], optional: [] },
    ]);
  });

  it('leaves out the fields the dialog does not ask for (the test plan, the actual times)', () => {
    const [start] = changeActions(
      open([{ to: 'implement', requires: [], accepts: ['actualStart'] }]),
      true,
    );
    expect(start).toEqual({ to: 'implement', required: [], optional: [] });
  });
});
