import { RecordConflict, RuleViolation, TransitionRefused } from '@itsm/domain';
import {
  changeTask,
  diffTasks,
  isTaskOpen,
  moveTask,
  openTask,
  taskFieldsOnOpen,
} from './problem-task';

const OPENED = new Date('2025-02-01T10:00:00Z');
const NOW = new Date('2025-02-02T10:00:00Z');

function task() {
  return openTask(
    { problemId: 'p1', type: 'root_cause_analysis', title: ' Find the lock ', openedBy: 'agent' },
    { id: 't1', sequence: 7 },
    OPENED,
  );
}

describe('problem tasks', () => {
  it('open with a PTASK number in state open', () => {
    expect(task()).toMatchObject({
      number: 'PTASK0000007',
      title: 'Find the lock',
      state: 'open',
      closeNotes: null,
      closedAt: null,
      version: 1,
    });
    expect(isTaskOpen(task())).toBe(true);
  });

  it('refuse an assignee without a group', () => {
    expect(() =>
      openTask(
        { problemId: 'p', type: 'general', title: 't', assignee: 'dana', openedBy: 'agent' },
        { id: 't', sequence: 1 },
        OPENED,
      ),
    ).toThrow(RuleViolation);
  });

  it('move open -> in_progress -> open -> completed, completing with close notes', () => {
    const started = moveTask(task(), { to: 'in_progress' }, NOW);
    expect(started.state).toBe('in_progress');
    expect(moveTask(started, { to: 'open' }, NOW).state).toBe('open');
    expect(() => moveTask(started, { to: 'completed' }, NOW)).toThrow(RuleViolation);
    const done = moveTask(started, { to: 'completed', closeNotes: ' Lock found ' }, NOW);
    expect(done).toMatchObject({ state: 'completed', closeNotes: 'Lock found', closedAt: NOW });
    expect(isTaskOpen(done)).toBe(false);
  });

  it('cancel with close notes, from open or in progress', () => {
    expect(() => moveTask(task(), { to: 'cancelled', closeNotes: ' ' }, NOW)).toThrow(
      RuleViolation,
    );
    expect(moveTask(task(), { to: 'cancelled', closeNotes: 'Not needed' }, NOW).state).toBe(
      'cancelled',
    );
  });

  it('refuse close notes on a step that does not finish the task', () => {
    let error: unknown;
    try {
      moveTask(task(), { to: 'in_progress', closeNotes: 'early' }, NOW);
    } catch (caught) {
      error = caught;
    }
    expect((error as RuleViolation).field).toBe('closeNotes');
  });

  it('refuse any step from a final state, and unknown states', () => {
    const done = moveTask(task(), { to: 'completed', closeNotes: 'x' }, NOW);
    for (const to of ['open', 'in_progress', 'cancelled']) {
      expect(() => moveTask(done, { to, closeNotes: 'y' }, NOW)).toThrow(TransitionRefused);
    }
    expect(() => moveTask(task(), { to: 'done' }, NOW)).toThrow(TransitionRefused);
    expect(() => moveTask(task(), { to: 'open' }, NOW)).toThrow(TransitionRefused);
  });

  it('change while open; a finished task does not change', () => {
    const changed = changeTask(
      { ...task(), assignmentGroup: 'dba', assignee: 'dana' },
      { assignmentGroup: 'net' },
    );
    expect(changed).toMatchObject({ assignmentGroup: 'net', assignee: null });
    const done = moveTask(task(), { to: 'completed', closeNotes: 'x' }, NOW);
    expect(() => changeTask(done, { title: 'Other' })).toThrow(RecordConflict);
  });

  it('list their changed fields and the fields set on open', () => {
    const before = task();
    const after = moveTask(before, { to: 'completed', closeNotes: 'x' }, NOW);
    expect(diffTasks(before, after).map((change) => change.field)).toEqual([
      'state',
      'closeNotes',
      'closedAt',
    ]);
    expect(taskFieldsOnOpen(before).map((change) => change.field)).toEqual([
      'problemId',
      'type',
      'title',
      'state',
      'openedBy',
      'openedAt',
    ]);
  });
});
