import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, nullableUuid, stringList, uuidList } from '../nullable';

export const PROBLEM_STATES = [
  'new',
  'assess',
  'root_cause_analysis',
  'fix_in_progress',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type ProblemState = (typeof PROBLEM_STATES)[number];

/** How a problem came to be: by hand, from an incident, by a candidate rule, from a major incident's review. */
export const PROBLEM_SOURCES = ['manual', 'incident', 'auto', 'major_incident'] as const;
export type ProblemSource = (typeof PROBLEM_SOURCES)[number];

export const PROBLEM_RESOLUTION_CODES = [
  'fix_applied',
  'risk_accepted',
  'duplicate',
  'cancelled',
] as const;
export type ProblemResolutionCode = (typeof PROBLEM_RESOLUTION_CODES)[number];

export const PROBLEM_TASK_TYPES = ['root_cause_analysis', 'general'] as const;
export type ProblemTaskType = (typeof PROBLEM_TASK_TYPES)[number];

export const PROBLEM_TASK_STATES = ['open', 'in_progress', 'completed', 'cancelled'] as const;
export type ProblemTaskState = (typeof PROBLEM_TASK_STATES)[number];

/** What can happen to a problem; milestones are emitted as well as the `state_changed` that carries them. */
const PROBLEM_HAPPENINGS = {
  created: 'was recorded (by hand, from an incident, or as a candidate of a rule)',
  updated: 'had fields changed (title, description, classification, CIs, notes, workaround, …)',
  assigned: 'was given to another assignment group and/or assignee',
  priority_changed: 'got another priority (from the matrix, or overridden with a reason)',
  state_changed: 'moved from one state to another (`previous.state` → `problem.state`)',
  resolved: 'was resolved (`resolutionCode` says how: fix_applied or risk_accepted)',
  closed: 'was closed (also as a duplicate of another problem)',
  reanalysed: 'was taken back to root cause analysis after it was resolved or closed',
} as const;

export type ProblemHappening = keyof typeof PROBLEM_HAPPENINGS;

export const ProblemEventTypes = {
  created: 'itsm.problem.created.v1',
  updated: 'itsm.problem.updated.v1',
  assigned: 'itsm.problem.assigned.v1',
  priorityChanged: 'itsm.problem.priority_changed.v1',
  stateChanged: 'itsm.problem.state_changed.v1',
  resolved: 'itsm.problem.resolved.v1',
  closed: 'itsm.problem.closed.v1',
  reanalysed: 'itsm.problem.reanalysed.v1',
  incidentsLinked: 'itsm.problem.incidents_linked.v1',
  incidentsUnlinked: 'itsm.problem.incidents_unlinked.v1',
  changesLinked: 'itsm.problem.changes_linked.v1',
  changesUnlinked: 'itsm.problem.changes_unlinked.v1',
  workaroundCommunicated: 'itsm.problem.workaround_communicated.v1',
  fixCommunicated: 'itsm.problem.fix_communicated.v1',
  taskCreated: 'itsm.problem_task.created.v1',
  taskUpdated: 'itsm.problem_task.updated.v1',
  taskStateChanged: 'itsm.problem_task.state_changed.v1',
  knownErrorCreated: 'itsm.known_error.created.v1',
  knownErrorUpdated: 'itsm.known_error.updated.v1',
} as const satisfies Record<string, string>;

/** A problem as its events carry it (the linked incidents travel in the link events). */
export interface ProblemSnapshot {
  id: string;
  number: string;
  title: string;
  description: string;
  category: string | null;
  subcategory: string | null;
  businessServiceId: string | null;
  ciIds: string[];
  impact: number;
  urgency: number;
  priority: string;
  priorityOverrideReason: string | null;
  state: ProblemState;
  source: ProblemSource;
  /** For a candidate (`source` auto or major_incident): which rule and which incidents opened it. */
  candidateReason: string | null;
  assignmentGroup: string | null;
  assignee: string | null;
  openedBy: string;
  causeNotes: string | null;
  fixNotes: string | null;
  workaround: string | null;
  resolutionCode: ProblemResolutionCode | null;
  resolutionNotes: string | null;
  duplicateOfId: string | null;
  changeIds: string[];
  incidentCount: number;
  openedAt: string;
  confirmedAt: string | null;
  confirmedBy: string | null;
  rootCauseIdentifiedAt: string | null;
  rootCauseIdentifiedBy: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
  closedAt: string | null;
  closedBy: string | null;
  reanalysisCount: number;
  updatedAt: string;
  version: number;
}

/** The data of every `itsm.problem.<happening>.v1` event. */
export interface ProblemEventV1 {
  problem: ProblemSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

/** `incidents_linked` / `incidents_unlinked`: the incidents this one call linked or unlinked. */
export interface ProblemIncidentsEventV1 {
  problem: ProblemSnapshot;
  incidentIds: string[];
}

/** `changes_linked` / `changes_unlinked`: the changes (fixes) this one call linked or unlinked. */
export interface ProblemChangesEventV1 {
  problem: ProblemSnapshot;
  changeIds: string[];
}

/**
 * `workaround_communicated` / `fix_communicated`: a note for every open incident linked to
 * the problem; the incident service writes it on each of them, once.
 */
export interface ProblemCommunicationV1 {
  problem: ProblemSnapshot;
  text: string;
  author: string;
}

export interface ProblemTaskSnapshot {
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
  openedAt: string;
  closedAt: string | null;
  updatedAt: string;
  version: number;
}

export interface ProblemTaskEventV1 {
  task: ProblemTaskSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

export interface KnownErrorSnapshot {
  id: string;
  number: string;
  title: string;
  symptom: string;
  rootCause: string | null;
  workaround: string | null;
  solution: string | null;
  errorCode: string | null;
  category: string | null;
  ciIds: string[];
  ciClass: string | null;
  vendor: string | null;
  model: string | null;
  version: string | null;
  problemId: string | null;
  validUntil: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  revision: number;
}

export interface KnownErrorEventV1 {
  knownError: KnownErrorSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

const integerFrom1To3 = { type: 'integer', minimum: 1, maximum: 3 } as const;
const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const problemSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'title',
    'description',
    'category',
    'subcategory',
    'businessServiceId',
    'ciIds',
    'impact',
    'urgency',
    'priority',
    'priorityOverrideReason',
    'state',
    'source',
    'candidateReason',
    'assignmentGroup',
    'assignee',
    'openedBy',
    'causeNotes',
    'fixNotes',
    'workaround',
    'resolutionCode',
    'resolutionNotes',
    'duplicateOfId',
    'changeIds',
    'incidentCount',
    'openedAt',
    'confirmedAt',
    'confirmedBy',
    'rootCauseIdentifiedAt',
    'rootCauseIdentifiedBy',
    'resolvedAt',
    'resolvedBy',
    'closedAt',
    'closedBy',
    'reanalysisCount',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^PRB[0-9]{7}$' },
    title: nonEmptyString,
    description: { type: 'string' },
    category: nullableString,
    subcategory: nullableString,
    businessServiceId: nullableUuid,
    ciIds: uuidList,
    impact: integerFrom1To3,
    urgency: integerFrom1To3,
    priority: { enum: ['P1', 'P2', 'P3', 'P4', 'P5'] },
    priorityOverrideReason: nullableString,
    state: { enum: PROBLEM_STATES },
    source: { enum: PROBLEM_SOURCES },
    candidateReason: nullableString,
    assignmentGroup: nullableString,
    assignee: nullableString,
    openedBy: nonEmptyString,
    causeNotes: nullableString,
    fixNotes: nullableString,
    workaround: nullableString,
    resolutionCode: { enum: [...PROBLEM_RESOLUTION_CODES, null] },
    resolutionNotes: nullableString,
    duplicateOfId: nullableUuid,
    changeIds: uuidList,
    incidentCount: { type: 'integer', minimum: 0 },
    openedAt: dateTime,
    confirmedAt: nullableDateTime,
    confirmedBy: nullableString,
    rootCauseIdentifiedAt: nullableDateTime,
    rootCauseIdentifiedBy: nullableString,
    resolvedAt: nullableDateTime,
    resolvedBy: nullableString,
    closedAt: nullableDateTime,
    closedBy: nullableString,
    reanalysisCount: { type: 'integer', minimum: 0 },
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

const problemTaskSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'problemId',
    'type',
    'title',
    'description',
    'state',
    'assignmentGroup',
    'assignee',
    'closeNotes',
    'openedBy',
    'openedAt',
    'closedAt',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^PTASK[0-9]{7}$' },
    problemId: { type: 'string', format: 'uuid' },
    type: { enum: PROBLEM_TASK_TYPES },
    title: nonEmptyString,
    description: { type: 'string' },
    state: { enum: PROBLEM_TASK_STATES },
    assignmentGroup: nullableString,
    assignee: nullableString,
    closeNotes: nullableString,
    openedBy: nonEmptyString,
    openedAt: dateTime,
    closedAt: nullableDateTime,
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

const knownErrorSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'title',
    'symptom',
    'rootCause',
    'workaround',
    'solution',
    'errorCode',
    'category',
    'ciIds',
    'ciClass',
    'vendor',
    'model',
    'version',
    'problemId',
    'validUntil',
    'createdBy',
    'createdAt',
    'updatedAt',
    'revision',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^KE[0-9]{7}$' },
    title: nonEmptyString,
    symptom: nonEmptyString,
    rootCause: nullableString,
    workaround: nullableString,
    solution: nullableString,
    errorCode: nullableString,
    category: nullableString,
    ciIds: uuidList,
    ciClass: nullableString,
    vendor: nullableString,
    model: nullableString,
    version: nullableString,
    problemId: nullableUuid,
    validUntil: nullableDateTime,
    createdBy: nonEmptyString,
    createdAt: dateTime,
    updatedAt: dateTime,
    revision: { type: 'integer', minimum: 1 },
  },
} as const;

const changeSet = {
  changedFields: stringList,
  previous: { type: 'object' },
} as const;

function eventSchema(
  type: string,
  title: string,
  properties: Record<string, unknown>,
): Record<string, unknown> {
  return {
    $id: type,
    title,
    type: 'object',
    additionalProperties: false,
    required: Object.keys(properties),
    properties,
  };
}

function definition(
  type: string,
  summary: string,
  properties: Record<string, unknown>,
): EventDefinition {
  return {
    type,
    topic: Topics.problemEvents,
    summary,
    schema: eventSchema(type, summary, properties),
  };
}

export const PROBLEM_EVENTS: readonly EventDefinition[] = [
  ...Object.entries(PROBLEM_HAPPENINGS).map(([happening, what]) =>
    definition(`itsm.problem.${happening}.v1`, `A problem ${what}.`, {
      problem: problemSnapshotSchema,
      ...changeSet,
    }),
  ),
  definition(
    ProblemEventTypes.incidentsLinked,
    'Incidents were linked to a problem (also when moved to it from a duplicate); `incidentIds` are the ones this call linked.',
    { problem: problemSnapshotSchema, incidentIds: uuidList },
  ),
  definition(
    ProblemEventTypes.incidentsUnlinked,
    'Incidents were unlinked from a problem (also when moved away to the original of a duplicate).',
    { problem: problemSnapshotSchema, incidentIds: uuidList },
  ),
  definition(ProblemEventTypes.changesLinked, 'Changes were linked to a problem as its fixes.', {
    problem: problemSnapshotSchema,
    changeIds: uuidList,
  }),
  definition(ProblemEventTypes.changesUnlinked, 'Changes were unlinked from a problem.', {
    problem: problemSnapshotSchema,
    changeIds: uuidList,
  }),
  definition(
    ProblemEventTypes.workaroundCommunicated,
    "A problem's workaround was communicated: every open incident linked to it gets the text as a work note.",
    { problem: problemSnapshotSchema, text: nonEmptyString, author: nonEmptyString },
  ),
  definition(
    ProblemEventTypes.fixCommunicated,
    "A problem's fix was communicated: every open incident linked to it gets the text as a work note.",
    { problem: problemSnapshotSchema, text: nonEmptyString, author: nonEmptyString },
  ),
  definition(ProblemEventTypes.taskCreated, 'A problem task was created.', {
    task: problemTaskSnapshotSchema,
    ...changeSet,
  }),
  definition(ProblemEventTypes.taskUpdated, 'A problem task had fields changed.', {
    task: problemTaskSnapshotSchema,
    ...changeSet,
  }),
  definition(
    ProblemEventTypes.taskStateChanged,
    'A problem task moved to another state (also cancelled because its problem was closed).',
    { task: problemTaskSnapshotSchema, ...changeSet },
  ),
  definition(ProblemEventTypes.knownErrorCreated, 'A known error was recorded.', {
    knownError: knownErrorSnapshotSchema,
    ...changeSet,
  }),
  definition(
    ProblemEventTypes.knownErrorUpdated,
    'A known error was changed (workaround, solution, validity, …).',
    { knownError: knownErrorSnapshotSchema, ...changeSet },
  ),
];
