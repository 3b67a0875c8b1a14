import { openTransitionsOf } from './open-transitions';

describe('openTransitionsOf', () => {
  const row = {
    assess: { requires: ['assignmentGroup', 'plan'], accepts: ['assignee'] },
    cancelled: { requires: ['reason'] },
  } as const;

  it('lists every move of the row with what it must and may carry', () => {
    expect(openTransitionsOf(row)).toEqual([
      { to: 'assess', requires: ['assignmentGroup', 'plan'], accepts: ['assignee'] },
      { to: 'cancelled', requires: ['reason'], accepts: [] },
    ]);
  });

  it('moves a required field the record already holds to the accepted ones', () => {
    expect(openTransitionsOf(row, (field) => field === 'assignmentGroup')[0]).toEqual({
      to: 'assess',
      requires: ['plan'],
      accepts: ['assignmentGroup', 'assignee'],
    });
  });

  it('has nothing to offer from a final state', () => {
    expect(openTransitionsOf({})).toEqual([]);
  });
});
