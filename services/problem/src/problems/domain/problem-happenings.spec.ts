import { type FieldChange } from '@itsm/domain';
import { happeningsOf } from './problem-happenings';

const change = (field: string, oldValue: unknown = 'a', newValue: unknown = 'b'): FieldChange => ({
  field,
  oldValue,
  newValue,
});

describe('the events a change of a problem emits', () => {
  it('is updated for plain fields only', () => {
    expect(happeningsOf([change('title'), change('causeNotes')])).toEqual(['updated']);
  });

  it('names assignment and priority on their own, in order', () => {
    expect(happeningsOf([change('assignee')])).toEqual(['assigned']);
    expect(happeningsOf([change('priority')])).toEqual(['priority_changed']);
    expect(happeningsOf([change('title'), change('assignmentGroup'), change('priority')])).toEqual([
      'updated',
      'assigned',
      'priority_changed',
    ]);
  });

  it('covers what a step sets with its state_changed and milestone', () => {
    expect(
      happeningsOf([
        change('state', 'fix_in_progress', 'resolved'),
        change('resolutionCode', null, 'fix_applied'),
        change('resolvedAt', null, new Date()),
        change('resolvedBy', null, 'agent'),
      ]),
    ).toEqual(['state_changed', 'resolved']);
    expect(happeningsOf([change('state', 'resolved', 'closed'), change('closedAt')])).toEqual([
      'state_changed',
      'closed',
    ]);
    expect(
      happeningsOf([change('state', 'assess', 'root_cause_analysis'), change('confirmedAt')]),
    ).toEqual(['state_changed']);
  });

  it('reports fields a step changes besides its own as updated', () => {
    expect(
      happeningsOf([
        change('state', 'root_cause_analysis', 'fix_in_progress'),
        change('causeNotes'),
      ]),
    ).toEqual(['updated', 'state_changed']);
  });

  it('is reanalysed when a resolved or closed problem goes back to analysis', () => {
    for (const from of ['resolved', 'closed']) {
      expect(
        happeningsOf([
          change('state', from, 'root_cause_analysis'),
          change('reanalysisCount', 0, 1),
        ]),
      ).toEqual(['state_changed', 'reanalysed']);
    }
    expect(happeningsOf([change('state', 'fix_in_progress', 'root_cause_analysis')])).toEqual([
      'state_changed',
    ]);
  });

  it('outside a step, a resolution field changed is an update', () => {
    expect(happeningsOf([change('resolutionNotes')])).toEqual(['updated']);
  });

  it('is nothing for no change', () => {
    expect(happeningsOf([])).toEqual([]);
  });
});
