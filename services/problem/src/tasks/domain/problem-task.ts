import { PROBLEM_TASK_STATES, type ProblemTaskState, type ProblemTaskType } from '@itsm/contracts';
import {
  RecordConflict,
  RuleViolation,
  TransitionRefused,
  numbered,
  sameValue,
  type FieldChange,
} from '@itsm/domain';
import { checkAssignment } from '../../problems/domain/problem';

/** A piece of a problem's work: a root cause analysis or a general task, with its own small state model. */
export interface ProblemTask {
  id: string;
  number: string;
  problemId: string;
  type: ProblemTaskType;
  title: string;
  description: string;
  state: ProblemTaskState;
  assignmentGroup: string | null;
  assignee: string | null;
  closeNotes: string | null;
  openedBy: string;
  openedAt: Date;
  closedAt: Date | null;
  updatedAt: Date;
  version: number;
}

export interface NewProblemTask {
  problemId: string;
  type: ProblemTaskType;
  title: string;
  description?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
  openedBy: string;
}

export interface ProblemTaskChanges {
  title?: string;
  description?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
}

/** open -> in_progress -> completed, back to open from in_progress, cancelled from either; completed and cancelled are final. */
const TASK_MACHINE: Record<ProblemTaskState, readonly ProblemTaskState[]> = {
  open: ['in_progress', 'completed', 'cancelled'],
  in_progress: ['open', 'completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

export function isTaskOpen(task: Pick<ProblemTask, 'state'>): boolean {
  return task.state === 'open' || task.state === 'in_progress';
}

export function openTask(
  input: NewProblemTask,
  identity: { id: string; sequence: number },
  now: Date,
): ProblemTask {
  checkAssignment(input.assignmentGroup ?? null, input.assignee ?? null);
  return {
    id: identity.id,
    number: numbered('PTASK', identity.sequence),
    problemId: input.problemId,
    type: input.type,
    title: input.title.trim(),
    description: input.description ?? '',
    state: 'open',
    assignmentGroup: input.assignmentGroup ?? null,
    assignee: input.assignee ?? null,
    closeNotes: null,
    openedBy: input.openedBy,
    openedAt: now,
    closedAt: null,
    updatedAt: now,
    version: 1,
  };
}

export function changeTask(task: ProblemTask, changes: ProblemTaskChanges): ProblemTask {
  if (!isTaskOpen(task)) {
    throw new RecordConflict(`${task.number} is ${task.state}; a finished task does not change`);
  }
  const group =
    changes.assignmentGroup !== undefined ? changes.assignmentGroup : task.assignmentGroup;
  const assignee =
    changes.assignee !== undefined
      ? changes.assignee
      : group !== task.assignmentGroup
        ? null
        : task.assignee;
  checkAssignment(group, assignee);
  return {
    ...task,
    title: changes.title?.trim() ?? task.title,
    description: changes.description ?? task.description,
    assignmentGroup: group,
    assignee,
  };
}

/** Completing or cancelling a task needs close notes saying what was found or why. */
export function moveTask(
  task: ProblemTask,
  request: { to: string; closeNotes?: string },
  now: Date,
): ProblemTask {
  const to = request.to as ProblemTaskState;
  const allowed = TASK_MACHINE[task.state];
  if (!(PROBLEM_TASK_STATES as readonly string[]).includes(to) || !allowed.includes(to)) {
    throw new TransitionRefused(task.state, request.to, allowed);
  }
  const finishing = to === 'completed' || to === 'cancelled';
  const notes = request.closeNotes?.trim();
  if (finishing && !notes) {
    throw new RuleViolation('closeNotes', `is required to move to ${to}`);
  }
  if (!finishing && request.closeNotes !== undefined) {
    throw new RuleViolation('closeNotes', `is not used by a transition to ${to}`);
  }
  return {
    ...task,
    state: to,
    closeNotes: finishing ? (notes ?? null) : task.closeNotes,
    closedAt: finishing ? now : null,
  };
}

const NOT_TASK_FIELDS = new Set(['id', 'number', 'updatedAt', 'version']);

export function diffTasks(before: ProblemTask, after: ProblemTask): FieldChange[] {
  return (Object.keys(after) as (keyof ProblemTask)[])
    .filter((field) => !NOT_TASK_FIELDS.has(field))
    .filter((field) => !sameValue(before[field], after[field]))
    .map((field) => ({ field, oldValue: before[field], newValue: after[field] }));
}

/** The fields a new task was given (each with a value), as history and `created` list them. */
export function taskFieldsOnOpen(task: ProblemTask): FieldChange[] {
  return (Object.keys(task) as (keyof ProblemTask)[])
    .filter((field) => !NOT_TASK_FIELDS.has(field))
    .filter((field) => task[field] !== null && task[field] !== '')
    .map((field) => ({ field, oldValue: null, newValue: task[field] }));
}
