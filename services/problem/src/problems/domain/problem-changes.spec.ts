import { parsePriorityMatrix } from '@itsm/contracts';
import { openProblem, type Problem } from './problem';
import { applyProblemChanges } from './problem-changes';
import { RecordConflict, RuleViolation } from '@itsm/domain';

function problem(fields: Partial<Problem> = {}): Problem {
  return {
    ...openProblem(
      { title: 'Mail queue stalls', impact: 3, urgency: 3, source: 'manual', openedBy: 'agent' },
      { id: '6a0c5a8e-7a4f-4a57-9d0e-2f0e9c8b1a01', sequence: 42 },
      new Date('2025-01-01T00:00:00Z'),
    ),
    ...fields,
  };
}

describe('changing a problem', () => {
  it('takes the priority from the matrix when impact or urgency move', () => {
    expect(problem().priority).toBe('P5');
    expect(applyProblemChanges(problem(), { impact: 1, urgency: 1 }).priority).toBe('P1');
    const matrix = parsePriorityMatrix('1x1=P2');
    expect(applyProblemChanges(problem(), { impact: 1, urgency: 1 }, matrix).priority).toBe('P2');
  });

  it('overrides the priority only with a reason', () => {
    expect(() => applyProblemChanges(problem(), { priority: 'P1' })).toThrow(RuleViolation);
    try {
      applyProblemChanges(problem(), { priority: 'P1', priorityOverrideReason: '  ' });
    } catch (error) {
      expect((error as RuleViolation).field).toBe('priorityOverrideReason');
    }
    expect(() => applyProblemChanges(problem(), { priorityOverrideReason: 'why' })).toThrow(
      RuleViolation,
    );
    const overridden = applyProblemChanges(problem(), {
      priority: 'P1',
      priorityOverrideReason: ' Board asked ',
    });
    expect(overridden).toMatchObject({ priority: 'P1', priorityOverrideReason: 'Board asked' });
  });

  it('keeps an override when impact moves, and returns to the matrix when it is cleared', () => {
    const overridden = applyProblemChanges(problem(), {
      priority: 'P1',
      priorityOverrideReason: 'Board asked',
    });
    expect(applyProblemChanges(overridden, { impact: 2 }).priority).toBe('P1');
    expect(applyProblemChanges(overridden, { priority: null })).toMatchObject({
      priority: 'P5',
      priorityOverrideReason: null,
    });
  });

  it('clears the assignee when the group changes, and refuses an assignee without a group', () => {
    const assigned = problem({ assignmentGroup: 'dba', assignee: 'dana' });
    expect(applyProblemChanges(assigned, { assignmentGroup: 'net' })).toMatchObject({
      assignmentGroup: 'net',
      assignee: null,
    });
    expect(applyProblemChanges(assigned, { assignee: 'dora' }).assignee).toBe('dora');
    expect(() => applyProblemChanges(problem(), { assignee: 'dana' })).toThrow(RuleViolation);
  });

  it('merges: absent fields stay, null clears, notes are trimmed, CIs deduplicated', () => {
    const base = problem({ category: 'mail', workaround: 'Restart' });
    const next = applyProblemChanges(base, {
      category: null,
      causeNotes: '  Full disk ',
      ciIds: ['a', 'a', 'b'],
    });
    expect(next).toMatchObject({
      title: 'Mail queue stalls',
      category: null,
      causeNotes: 'Full disk',
      workaround: 'Restart',
      ciIds: ['a', 'b'],
    });
  });

  it.each(['closed', 'cancelled'] as const)('refuses to change a %s problem', (state) => {
    expect(() => applyProblemChanges(problem({ state }), { title: 'New' })).toThrow(RecordConflict);
  });

  it('changes a resolved problem', () => {
    expect(applyProblemChanges(problem({ state: 'resolved' }), { title: 'New' }).title).toBe('New');
  });
});
