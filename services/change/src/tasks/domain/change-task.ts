import { CHANGE_TASK_STATES, type ChangeTaskState, type ChangeTaskType } from '@itsm/contracts';
import {
  RecordConflict,
  RuleViolation,
  TransitionRefused,
  diffRecords,
  fieldsWithValues,
  numbered,
  type FieldChange,
} from '@itsm/domain';
import { checkAssignment, checkPlannedWindow } from '../../changes/domain/change';

/** A piece of a change's work (planning, implementation, testing, review), with its own small state model. */
export interface ChangeTask {
  id: string;
  number: string;
  changeId: string;
  type: ChangeTaskType;
  title: string;
  description: string;
  state: ChangeTaskState;
  assignmentGroup: string | null;
  assignee: string | null;
  plannedStart: Date | null;
  plannedEnd: Date | null;
  closeNotes: string | null;
  openedBy: string;
  openedAt: Date;
  closedAt: Date | null;
  updatedAt: Date;
  version: number;
}

/** The change's planned window; either end unknown means there is no window to fall inside yet. */
export interface PlannedWindow {
  plannedStart: Date | null;
  plannedEnd: Date | null;
}

export interface NewChangeTask {
  changeId: string;
  type: ChangeTaskType;
  title: string;
  description?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
  plannedStart?: Date | null;
  plannedEnd?: Date | null;
  openedBy: string;
}

/** A `PATCH`: absent fields keep their value, `null` clears an optional one (both planned dates together). */
export interface ChangeTaskChanges {
  title?: string;
  description?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
  plannedStart?: Date | null;
  plannedEnd?: Date | null;
}

/** open -> in_progress -> completed, back to open from in_progress, cancelled from either; completed and cancelled are final. */
const TASK_MACHINE: Record<ChangeTaskState, readonly ChangeTaskState[]> = {
  open: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'open', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function isTaskOpen(task: Pick<ChangeTask, 'state'>): boolean {
  return task.state === 'open' || task.state === 'in_progress';
}

/** Where a task's planned dates leave its change's window: the field at fault and why; null when inside. */
function outsideWindow(
  task: PlannedWindow,
  window: PlannedWindow,
): { field: 'plannedStart' | 'plannedEnd'; reason: string } | null {
  if (!task.plannedStart || !task.plannedEnd || !window.plannedStart || !window.plannedEnd) {
    return null;
  }
  if (task.plannedStart.getTime() < window.plannedStart.getTime()) {
    return {
      field: 'plannedStart',
      reason: `must not be before the change's planned start (${window.plannedStart.toISOString()})`,
    };
  }
  if (task.plannedEnd.getTime() > window.plannedEnd.getTime()) {
    return {
      field: 'plannedEnd',
      reason: `must not be after the change's planned end (${window.plannedEnd.toISOString()})`,
    };
  }
  return null;
}

/** A task's planned dates: a pair, the end after the start, inside the change's window when it has one. */
export function checkTaskWindow(task: PlannedWindow, window: PlannedWindow): void {
  checkPlannedWindow(task.plannedStart, task.plannedEnd);
  const outside = outsideWindow(task, window);
  if (outside) throw new RuleViolation(outside.field, outside.reason);
}

export interface TaskOutsideWindow<T> {
  task: T;
  field: 'plannedStart' | 'plannedEnd';
  reason: string;
}

/**
 * The open tasks a change's (new) planned window leaves them outside of, each with the
 * date at fault: what to report when a change's window moves. Finished tasks are history
 * and never reported; a change without a window has nothing to be outside of.
 */
export function tasksOutsideWindow<T extends Pick<ChangeTask, 'state'> & PlannedWindow>(
  tasks: readonly T[],
  window: PlannedWindow,
): TaskOutsideWindow<T>[] {
  return tasks.flatMap((task) => {
    const outside = isTaskOpen(task) ? outsideWindow(task, window) : null;
    return outside ? [{ task, ...outside }] : [];
  });
}

/** A reason a change's planned window may not move: the change's field at fault and the tasks it would leave out. */
export interface WindowMoveFault {
  field: 'plannedStart' | 'plannedEnd';
  message: string;
}

/**
 * Why the change's planned window may not move to `window`: the open tasks it would leave
 * outside, grouped by the change's field at fault (`plannedStart` for tasks starting before
 * the new start, `plannedEnd` for those ending after the new end), each task named with
 * its date. Empty: every open task stays inside. The same rule as a task's own dates
 * (`checkTaskWindow`), seen from the change.
 */
export function windowMoveFaults(
  tasks: readonly (Pick<ChangeTask, 'number' | 'state'> & PlannedWindow)[],
  window: PlannedWindow,
): WindowMoveFault[] {
  const outside = tasksOutsideWindow(tasks, window);
  return (['plannedStart', 'plannedEnd'] as const).flatMap((field) => {
    const named = outside
      .filter((fault) => fault.field === field)
      .map(
        ({ task }) =>
          `${task.number} (${field === 'plannedStart' ? 'starts' : 'ends'} ${task[field]?.toISOString() ?? ''})`,
      );
    if (named.length === 0) return [];
    const edge = field === 'plannedStart' ? 'start after' : 'end before';
    return [
      {
        field,
        message: `would ${edge} open ${named.length === 1 ? 'task' : 'tasks'} ${named.join(', ')}: move ${named.length === 1 ? 'it' : 'them'} inside the new window, or cancel ${named.length === 1 ? 'it' : 'them'}, first`,
      },
    ];
  });
}

export function openChangeTask(
  input: NewChangeTask,
  identity: { id: string; sequence: number },
  window: PlannedWindow,
  now: Date,
): ChangeTask {
  const title = input.title.trim();
  if (!title) throw new RuleViolation('title', 'is required');
  checkAssignment(input.assignmentGroup ?? null, input.assignee ?? null);
  const planned = {
    plannedStart: input.plannedStart ?? null,
    plannedEnd: input.plannedEnd ?? null,
  };
  checkTaskWindow(planned, window);
  return {
    id: identity.id,
    number: numbered('CTASK', identity.sequence),
    changeId: input.changeId,
    type: input.type,
    title,
    description: input.description ?? '',
    state: 'open',
    assignmentGroup: input.assignmentGroup ?? null,
    assignee: input.assignee ?? null,
    ...planned,
    closeNotes: null,
    openedBy: input.openedBy,
    openedAt: now,
    closedAt: null,
    updatedAt: now,
    version: 1,
  };
}

function keep<T>(value: T | undefined, current: T): T {
  return value === undefined ? current : value;
}

/** The task with the changes applied; a finished task does not change. */
export function changeChangeTask(
  task: ChangeTask,
  changes: ChangeTaskChanges,
  window: PlannedWindow,
): ChangeTask {
  if (!isTaskOpen(task)) {
    throw new RecordConflict(`${task.number} is ${task.state}; a finished task does not change`);
  }
  const group = keep(changes.assignmentGroup, task.assignmentGroup);
  // A task given to another group leaves its assignee behind unless one is named.
  const assignee = keep(changes.assignee, group !== task.assignmentGroup ? null : task.assignee);
  checkAssignment(group, assignee);
  const next: ChangeTask = {
    ...task,
    title: changes.title?.trim() || task.title,
    description: keep(changes.description, task.description),
    assignmentGroup: group,
    assignee,
    plannedStart: keep(changes.plannedStart, task.plannedStart),
    plannedEnd: keep(changes.plannedEnd, task.plannedEnd),
  };
  checkTaskWindow(next, window);
  return next;
}

/** Cancelling needs close notes saying why; completing may have them. */
export function moveChangeTask(
  task: ChangeTask,
  request: { to: string; closeNotes?: string },
  now: Date,
): ChangeTask {
  const to = request.to as ChangeTaskState;
  const allowed = TASK_MACHINE[task.state];
  if (!(CHANGE_TASK_STATES as readonly string[]).includes(to) || !allowed.includes(to)) {
    throw new TransitionRefused(task.state, request.to, allowed);
  }
  const finishing = to === 'completed' || to === 'cancelled';
  const notes = request.closeNotes?.trim() || null;
  if (to === 'cancelled' && !notes) {
    throw new RuleViolation('closeNotes', 'are required to cancel a task (why it is not needed)');
  }
  if (!finishing && request.closeNotes !== undefined) {
    throw new RuleViolation('closeNotes', `is not used by a transition to ${to}`);
  }
  return {
    ...task,
    state: to,
    closeNotes: finishing ? (notes ?? task.closeNotes) : task.closeNotes,
    closedAt: finishing ? now : null,
  };
}

const NOT_TASK_FIELDS = [
  'id',
  'number',
  'updatedAt',
  'version',
] as const satisfies (keyof ChangeTask)[];

export function diffChangeTasks(before: ChangeTask, after: ChangeTask): FieldChange[] {
  return diffRecords(before, after, NOT_TASK_FIELDS);
}

/** The fields a new task was given (each with a value), as history and `created` list them. */
export function taskFieldsOnOpen(task: ChangeTask): FieldChange[] {
  return fieldsWithValues(task, NOT_TASK_FIELDS);
}
