import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, uuidList } from '../nullable';

/**
 * The change events other services consume. The change service (a later issue)
 * publishes them; the schema is fixed here first so that consumers can be built now.
 */
export const ChangeEventTypes = {
  completed: 'itsm.change.completed.v1',
} as const;

export const CHANGE_OUTCOMES = [
  'successful',
  'successful_with_issues',
  'failed',
  'backed_out',
] as const;
export type ChangeOutcome = (typeof CHANGE_OUTCOMES)[number];

export interface ChangeSnapshot {
  id: string;
  number: string;
  title: string;
  state: string;
  outcome: ChangeOutcome;
  /** The configuration items the change touched. */
  ciIds: string[];
  completedAt: string | null;
  version: number;
}

export interface ChangeEventV1 {
  change: ChangeSnapshot;
  changedFields: string[];
}

const changeSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: ['id', 'number', 'title', 'state', 'outcome', 'ciIds', 'completedAt', 'version'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^CHG[0-9]{7,}$' },
    title: { type: 'string', minLength: 1 },
    state: { type: 'string' },
    outcome: { enum: CHANGE_OUTCOMES },
    ciIds: uuidList,
    completedAt: nullableDateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

export const CHANGE_EVENTS: readonly EventDefinition[] = [
  {
    type: ChangeEventTypes.completed,
    topic: Topics.changeEvents,
    summary:
      'A change was completed (implemented and reviewed); carries its outcome and the CIs it touched.',
    schema: {
      $id: ChangeEventTypes.completed,
      title: 'Change completed',
      type: 'object',
      additionalProperties: false,
      required: ['change', 'changedFields'],
      properties: {
        change: changeSnapshotSchema,
        changedFields: { type: 'array', items: { type: 'string' } },
      },
    },
  },
];
