import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, uuidList } from '../nullable';

/**
 * The problem events other services consume. The problem service (a later issue)
 * publishes them; the schema is fixed here first so that consumers can be built now.
 */
export const ProblemEventTypes = {
  resolved: 'itsm.problem.resolved.v1',
} as const;

export interface ProblemSnapshot {
  id: string;
  number: string;
  title: string;
  state: string;
  rootCause: string | null;
  resolutionNotes: string | null;
  /** The incidents linked to the problem. */
  incidentIds: string[];
  resolvedAt: string | null;
  version: number;
}

export interface ProblemEventV1 {
  problem: ProblemSnapshot;
  changedFields: string[];
}

const problemSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: [
    'id',
    'number',
    'title',
    'state',
    'rootCause',
    'resolutionNotes',
    'incidentIds',
    'resolvedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^PRB[0-9]{7,}$' },
    title: { type: 'string', minLength: 1 },
    state: { type: 'string' },
    rootCause: nullableString,
    resolutionNotes: nullableString,
    incidentIds: uuidList,
    resolvedAt: nullableDateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

export const PROBLEM_EVENTS: readonly EventDefinition[] = [
  {
    type: ProblemEventTypes.resolved,
    topic: Topics.problemEvents,
    summary: 'A problem was resolved; carries the incidents linked to it.',
    schema: {
      $id: ProblemEventTypes.resolved,
      title: 'Problem resolved',
      type: 'object',
      additionalProperties: false,
      required: ['problem', 'changedFields'],
      properties: {
        problem: problemSnapshotSchema,
        changedFields: { type: 'array', items: { type: 'string' } },
      },
    },
  },
];
