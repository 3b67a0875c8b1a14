import { RecordConflict, RuleViolation, TransitionRefused } from '@itsm/domain';
import {
  changeChangeTask,
  diffChangeTasks,
  moveChangeTask,
  openChangeTask,
  tasksOutsideWindow,
  windowMoveFaults,
  type ChangeTask,
  type PlannedWindow,
} from './change-task';

const NOW = new Date('2026-12-04T10:00:00Z');
const at = (hour: number) => new Date(Date.UTC(2026, 11, 10, hour));
/** The change's window: 10 December, 20:00 to 23:00 UTC. */
const WINDOW: PlannedWindow = { plannedStart: at(20), plannedEnd: at(23) };
const NO_WINDOW: PlannedWindow = { plannedStart: null, plannedEnd: null };

function task(fields: Partial<ChangeTask> = {}, window = WINDOW): ChangeTask {
  return {
    ...openChangeTask(
      {
        changeId: 'c1',
        type: 'implementation',
        title: ' Fail over the primary ',
        openedBy: 'change_manager',
        plannedStart: at(21),
        plannedEnd: at(22),
      },
      { id: 't1', sequence: 42 },
      window,
      NOW,
    ),
    ...fields,
  };
}

function fieldOf(work: () => unknown): string | undefined {
  try {
    work();
  } catch (error) {
    return error instanceof RuleViolation ? error.field : `not a rule violation: ${String(error)}`;
  }
  return undefined;
}

describe('change tasks', () => {
  it('open with a CTASK number, in state open', () => {
    expect(task()).toMatchObject({
      number: 'CTASK0000042',
      title: 'Fail over the primary',
      state: 'open',
      plannedStart: at(21),
      version: 1,
    });
  });

  it("fall inside the change's planned window, the date at fault named", () => {
    const open = (plannedStart: Date, plannedEnd: Date) => () =>
      openChangeTask(
        { changeId: 'c1', type: 'testing', title: 't', openedBy: 'x', plannedStart, plannedEnd },
        { id: 't', sequence: 1 },
        WINDOW,
        NOW,
      );
    expect(fieldOf(open(at(19), at(21)))).toBe('plannedStart');
    expect(fieldOf(open(at(22), at(24)))).toBe('plannedEnd');
    expect(fieldOf(open(at(20), at(23)))).toBeUndefined();
    expect(fieldOf(open(at(22), at(21)))).toBe('plannedEnd');
  });

  it('take any dates while the change has no window, but both or neither', () => {
    expect(task({}, NO_WINDOW).plannedEnd).toEqual(at(22));
    expect(
      fieldOf(() =>
        openChangeTask(
          { changeId: 'c', type: 'planning', title: 't', openedBy: 'x', plannedStart: at(1) },
          { id: 't', sequence: 1 },
          NO_WINDOW,
          NOW,
        ),
      ),
    ).toBe('plannedEnd');
  });

  it('keep inside the window when their dates change, and may clear them', () => {
    expect(fieldOf(() => changeChangeTask(task(), { plannedEnd: at(24) }, WINDOW))).toBe(
      'plannedEnd',
    );
    const cleared = changeChangeTask(task(), { plannedStart: null, plannedEnd: null }, WINDOW);
    expect(cleared).toMatchObject({ plannedStart: null, plannedEnd: null });
  });

  it("are reported when the change's window moves away from them, open ones only", () => {
    const early = task({ id: 'early', plannedStart: at(20), plannedEnd: at(21) });
    const late = task({ id: 'late', plannedStart: at(22), plannedEnd: at(23) });
    const undated = task({ id: 'undated', plannedStart: null, plannedEnd: null });
    const done = task({ id: 'done', state: 'completed', plannedStart: at(20), plannedEnd: at(21) });
    const moved = { plannedStart: at(21), plannedEnd: at(24) };
    expect(tasksOutsideWindow([early, late, undated, done], moved)).toEqual([
      {
        task: early,
        field: 'plannedStart',
        reason: `must not be before the change's planned start (${at(21).toISOString()})`,
      },
    ]);
    expect(tasksOutsideWindow([early, late], NO_WINDOW)).toEqual([]);
  });

  it("refuse a move of the change's window that leaves open tasks out, naming them by the field at fault", () => {
    const early = task({ number: 'CTASK0000001', plannedStart: at(20), plannedEnd: at(21) });
    const late = task({ number: 'CTASK0000002', plannedStart: at(21), plannedEnd: at(23) });
    const later = task({ number: 'CTASK0000003', plannedStart: at(22), plannedEnd: at(23) });
    const done = task({ number: 'CTASK0000004', state: 'cancelled', plannedStart: at(20) });
    expect(
      windowMoveFaults([early, late, later, done], { plannedStart: at(21), plannedEnd: at(22) }),
    ).toEqual([
      {
        field: 'plannedStart',
        message: `would start after open task CTASK0000001 (starts ${at(20).toISOString()}): move it inside the new window, or cancel it, first`,
      },
      {
        field: 'plannedEnd',
        message: `would end before open tasks CTASK0000002 (ends ${at(23).toISOString()}), CTASK0000003 (ends ${at(23).toISOString()}): move them inside the new window, or cancel them, first`,
      },
    ]);
    expect(windowMoveFaults([early, late], { plannedStart: at(19), plannedEnd: at(23) })).toEqual(
      [],
    );
    expect(windowMoveFaults([early, late], NO_WINDOW)).toEqual([]);
  });

  it('move open -> in_progress -> completed, cancelled with close notes, nothing after', () => {
    const started = moveChangeTask(task(), { to: 'in_progress' }, NOW);
    expect(moveChangeTask(started, { to: 'open' }, NOW).state).toBe('open');
    const done = moveChangeTask(started, { to: 'completed' }, NOW);
    expect(done).toMatchObject({ state: 'completed', closedAt: NOW, closeNotes: null });
    expect(() => moveChangeTask(task(), { to: 'completed' }, NOW)).toThrow(TransitionRefused);
    expect(fieldOf(() => moveChangeTask(task(), { to: 'cancelled' }, NOW))).toBe('closeNotes');
    expect(fieldOf(() => moveChangeTask(task(), { to: 'in_progress', closeNotes: 'x' }, NOW))).toBe(
      'closeNotes',
    );
    expect(() => moveChangeTask(done, { to: 'open' }, NOW)).toThrow(TransitionRefused);
    expect(() => changeChangeTask(done, { title: 'x' }, WINDOW)).toThrow(RecordConflict);
  });

  it('list the fields that changed', () => {
    const before = task();
    const after = moveChangeTask(
      moveChangeTask(before, { to: 'in_progress' }, NOW),
      { to: 'cancelled', closeNotes: 'Not needed' },
      NOW,
    );
    expect(diffChangeTasks(before, after).map((change) => change.field)).toEqual([
      'state',
      'closeNotes',
      'closedAt',
    ]);
  });
});
