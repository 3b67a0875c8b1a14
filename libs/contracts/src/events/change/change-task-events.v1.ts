import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, stringList } from '../nullable';

/** The kinds of work a change is broken into; a `review` task is also created when a change enters review. */
export const CHANGE_TASK_TYPES = ['planning', 'implementation', 'testing', 'review'] as const;
export type ChangeTaskType = (typeof CHANGE_TASK_TYPES)[number];

export const CHANGE_TASK_STATES = ['open', 'in_progress', 'completed', 'cancelled'] as const;
export type ChangeTaskState = (typeof CHANGE_TASK_STATES)[number];

/** A change task (`CTASK` + 7 digits) as its events carry it and the API answers it. */
export interface ChangeTaskSnapshot {
  id: string;
  number: string;
  changeId: string;
  type: ChangeTaskType;
  title: string;
  description: string;
  state: ChangeTaskState;
  assignmentGroup: string | null;
  assignee: string | null;
  /** Inside the change's planned window when both are known (docs/changes.md). */
  plannedStart: string | null;
  plannedEnd: string | null;
  closeNotes: string | null;
  openedBy: string;
  openedAt: string;
  closedAt: string | null;
  updatedAt: string;
  version: number;
}

const CHANGE_TASK_HAPPENINGS = {
  created: 'was created (by hand, from the standard change template, or on entering review)',
  updated: 'had fields changed (title, description, assignment, planned dates)',
  state_changed:
    'moved to another state (`previous.state` → `task.state`; also cancelled with its change)',
} as const;

export type ChangeTaskHappening = keyof typeof CHANGE_TASK_HAPPENINGS;

export const ChangeTaskEventTypes = {
  created: 'itsm.change_task.created.v1',
  updated: 'itsm.change_task.updated.v1',
  stateChanged: 'itsm.change_task.state_changed.v1',
} as const satisfies Record<string, `itsm.change_task.${ChangeTaskHappening}.v1`>;

/** The data of every `itsm.change_task.<happening>.v1` event; keyed by the change's id, so in order with it. */
export interface ChangeTaskEventV1 {
  task: ChangeTaskSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const changeTaskSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'changeId',
    'type',
    'title',
    'description',
    'state',
    'assignmentGroup',
    'assignee',
    'plannedStart',
    'plannedEnd',
    'closeNotes',
    'openedBy',
    'openedAt',
    'closedAt',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^CTASK[0-9]{7}$' },
    changeId: { type: 'string', format: 'uuid' },
    type: { enum: CHANGE_TASK_TYPES },
    title: nonEmptyString,
    description: { type: 'string' },
    state: { enum: CHANGE_TASK_STATES },
    assignmentGroup: nullableString,
    assignee: nullableString,
    plannedStart: nullableDateTime,
    plannedEnd: nullableDateTime,
    closeNotes: nullableString,
    openedBy: nonEmptyString,
    openedAt: dateTime,
    closedAt: nullableDateTime,
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

export const CHANGE_TASK_EVENTS: readonly EventDefinition[] = Object.entries(
  CHANGE_TASK_HAPPENINGS,
).map(([happening, what]) => {
  const type = `itsm.change_task.${happening}.v1`;
  const summary = `A change task ${what}.`;
  return {
    type,
    topic: Topics.changeEvents,
    summary,
    schema: {
      $id: type,
      title: summary,
      type: 'object',
      additionalProperties: false,
      required: ['task', 'changedFields', 'previous'],
      properties: {
        task: changeTaskSnapshotSchema,
        changedFields: stringList,
        previous: { type: 'object' },
      },
    },
  };
});
