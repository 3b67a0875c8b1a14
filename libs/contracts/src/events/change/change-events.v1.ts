import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { nullableDateTime, nullableString, nullableUuid, stringList, uuidList } from '../nullable';

export const CHANGE_STATES = [
  'new',
  'assess',
  'authorize',
  'scheduled',
  'implement',
  'review',
  'closed',
  'cancelled',
] as const;
export type ChangeState = (typeof CHANGE_STATES)[number];

/** Standard: pre-authorised, from a published template. Normal: assessed and authorised. Emergency: authorised fast or after the fact. */
export const CHANGE_MODELS = ['standard', 'normal', 'emergency'] as const;
export type ChangeModel = (typeof CHANGE_MODELS)[number];

export const CHANGE_RISKS = ['low', 'moderate', 'high', 'very_high'] as const;
export type ChangeRisk = (typeof CHANGE_RISKS)[number];

/** Where the risk came from: the highest of the four sources wins (see docs/changes.md). */
export const CHANGE_RISK_SOURCES = [
  'condition',
  'questionnaire',
  'blast_radius',
  'group_record',
  'template',
] as const;
export type ChangeRiskSource = (typeof CHANGE_RISK_SOURCES)[number];

/** How the implementation went; set when implementation ends (by hand or by a pipeline's deployment). */
export const CHANGE_CLOSE_CODES = [
  'successful',
  'successful_with_issues',
  'unsuccessful',
  'backed_out',
] as const;
export type ChangeCloseCode = (typeof CHANGE_CLOSE_CODES)[number];

/** Where a change stands with its approvers. */
export const CHANGE_APPROVAL_STATES = [
  'not_requested',
  'requested',
  'approved',
  'rejected',
  'not_required',
] as const;
export type ChangeApprovalState = (typeof CHANGE_APPROVAL_STATES)[number];

/** The pipeline run a change was opened for: one change per provider, pipeline, run and environment. */
export interface ChangeExternalRef {
  provider: string;
  pipeline: string;
  run: string;
  environment: string;
  commit: string | null;
}

/** A change as its events carry it and the API answers it. */
export interface ChangeSnapshot {
  id: string;
  number: string;
  title: string;
  description: string;
  justification: string | null;
  model: ChangeModel;
  templateId: string | null;
  templateVersion: number | null;
  category: string | null;
  impact: number;
  risk: ChangeRisk;
  riskSource: ChangeRiskSource | null;
  riskReasons: string[];
  /** The risk questionnaire's answers given with the change: question id to answer id. */
  riskAnswers: Record<string, string>;
  riskAssessedAt: string | null;
  state: ChangeState;
  approval: ChangeApprovalState;
  /** A freeze in force holds the change: it does not move until the freeze is lifted. */
  onHold: boolean;
  holdReason: string | null;
  /** The freeze holding the change, while one does. */
  heldByWindowId: string | null;
  plannedStart: string | null;
  plannedEnd: string | null;
  actualStart: string | null;
  actualEnd: string | null;
  implementationPlan: string | null;
  backoutPlan: string | null;
  testPlan: string | null;
  ciIds: string[];
  businessServiceIds: string[];
  assignmentGroup: string | null;
  assignee: string | null;
  requestedBy: string;
  problemIds: string[];
  incidentIds: string[];
  /** Incidents this change is recorded as the cause of (the change failure rate counts them). */
  causedIncidentIds: string[];
  closeCode: ChangeCloseCode | null;
  closeNotes: string | null;
  reviewNotes: string | null;
  /** Found by the CMDB: a CI changed with no change in implement or review on it. */
  unauthorized: boolean;
  /** Why an emergency change goes ahead inside a blackout. */
  blackoutOverrideReason: string | null;
  externalRef: ChangeExternalRef | null;
  openedAt: string;
  authorizedAt: string | null;
  closedAt: string | null;
  closedBy: string | null;
  updatedAt: string;
  version: number;
}

/** What can happen to a change; milestones are emitted as well as the `state_changed` that carries them. */
const CHANGE_HAPPENINGS = {
  created: 'was raised (by hand, from a template, by a pipeline, or found unauthorised)',
  updated: 'had fields changed (title, plans, CIs, planned dates, …)',
  assigned: 'was given to another assignment group and/or assignee',
  risk_assessed: 'got another computed risk (`risk`, `riskSource` and `riskReasons`)',
  state_changed: 'moved from one state to another (`previous.state` → `change.state`)',
  authorized: 'was authorised: its approval rule was met (or it needs none) and it is scheduled',
  rejected: 'was rejected by an approver and went back to `new` (the decision is kept)',
  implementation_started: 'entered implement',
  completed:
    'finished implementation (`closeCode` says how); the CMDB records it on each CI, and incidents waiting on it get a note',
  closed: 'was closed after its review',
  cancelled: 'was cancelled (before implementation)',
  put_on_hold: 'was held by a freeze in force (`holdReason` names it)',
  released: 'was released from a hold when the freeze was lifted or ended',
} as const;

export type ChangeHappening = keyof typeof CHANGE_HAPPENINGS;

export const ChangeEventTypes = {
  created: 'itsm.change.created.v1',
  updated: 'itsm.change.updated.v1',
  assigned: 'itsm.change.assigned.v1',
  riskAssessed: 'itsm.change.risk_assessed.v1',
  stateChanged: 'itsm.change.state_changed.v1',
  authorized: 'itsm.change.authorized.v1',
  rejected: 'itsm.change.rejected.v1',
  implementationStarted: 'itsm.change.implementation_started.v1',
  completed: 'itsm.change.completed.v1',
  closed: 'itsm.change.closed.v1',
  cancelled: 'itsm.change.cancelled.v1',
  putOnHold: 'itsm.change.put_on_hold.v1',
  released: 'itsm.change.released.v1',
  approvalDecided: 'itsm.change.approval_decided.v1',
  conflictsDetected: 'itsm.change.conflicts_detected.v1',
  gateDecided: 'itsm.change.gate_decided.v1',
  incidentsLinked: 'itsm.change.incidents_linked.v1',
  incidentsUnlinked: 'itsm.change.incidents_unlinked.v1',
  problemsLinked: 'itsm.change.problems_linked.v1',
  problemsUnlinked: 'itsm.change.problems_unlinked.v1',
} as const satisfies Record<string, string>;

/** The data of every `itsm.change.<happening>.v1` event. */
export interface ChangeEventV1 {
  change: ChangeSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

/** Whom an approval decision speaks for: the person named, or one member of a group, or one holder of a role. */
export interface ChangeApproverRef {
  kind: 'user' | 'group' | 'role';
  name: string;
}

export interface ChangeApprovalDecisionV1 {
  change: ChangeSnapshot;
  decision: {
    round: number;
    approver: string;
    onBehalfOf: ChangeApproverRef;
    decision: 'approve' | 'reject';
    comment: string | null;
    at: string;
    retrospective: boolean;
    /** The CAB meeting that decided, when its member recorded the decision from its agenda. */
    cabMeeting: { id: string; name: string; start: string } | null;
  };
}

export interface ChangeConflictV1 {
  kind: string;
  message: string;
  ciId: string | null;
  otherChangeId: string | null;
  windowId: string | null;
}

export interface ChangeConflictsDetectedV1 {
  change: ChangeSnapshot;
  conflicts: ChangeConflictV1[];
}

export interface ChangeGateDecidedV1 {
  change: ChangeSnapshot;
  decision: 'awaiting' | 'allowed' | 'prevented';
  reasons: string[];
}

const nonEmptyString = { type: 'string', minLength: 1 } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const changeSnapshotSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'number',
    'title',
    'description',
    'justification',
    'model',
    'templateId',
    'templateVersion',
    'category',
    'impact',
    'risk',
    'riskSource',
    'riskReasons',
    'riskAnswers',
    'riskAssessedAt',
    'state',
    'approval',
    'onHold',
    'holdReason',
    'heldByWindowId',
    'plannedStart',
    'plannedEnd',
    'actualStart',
    'actualEnd',
    'implementationPlan',
    'backoutPlan',
    'testPlan',
    'ciIds',
    'businessServiceIds',
    'assignmentGroup',
    'assignee',
    'requestedBy',
    'problemIds',
    'incidentIds',
    'causedIncidentIds',
    'closeCode',
    'closeNotes',
    'reviewNotes',
    'unauthorized',
    'blackoutOverrideReason',
    'externalRef',
    'openedAt',
    'authorizedAt',
    'closedAt',
    'closedBy',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^CHG[0-9]{7}$' },
    title: nonEmptyString,
    description: { type: 'string' },
    justification: nullableString,
    model: { enum: CHANGE_MODELS },
    templateId: nullableUuid,
    templateVersion: { type: ['integer', 'null'], minimum: 1 },
    category: nullableString,
    impact: { type: 'integer', minimum: 1, maximum: 3 },
    risk: { enum: CHANGE_RISKS },
    riskSource: { enum: [...CHANGE_RISK_SOURCES, null] },
    riskReasons: stringList,
    riskAnswers: { type: 'object', additionalProperties: { type: 'string' } },
    riskAssessedAt: nullableDateTime,
    state: { enum: CHANGE_STATES },
    approval: { enum: CHANGE_APPROVAL_STATES },
    onHold: { type: 'boolean' },
    holdReason: nullableString,
    heldByWindowId: nullableUuid,
    plannedStart: nullableDateTime,
    plannedEnd: nullableDateTime,
    actualStart: nullableDateTime,
    actualEnd: nullableDateTime,
    implementationPlan: nullableString,
    backoutPlan: nullableString,
    testPlan: nullableString,
    ciIds: uuidList,
    businessServiceIds: uuidList,
    assignmentGroup: nullableString,
    assignee: nullableString,
    requestedBy: nonEmptyString,
    problemIds: uuidList,
    incidentIds: uuidList,
    causedIncidentIds: uuidList,
    closeCode: { enum: [...CHANGE_CLOSE_CODES, null] },
    closeNotes: nullableString,
    reviewNotes: nullableString,
    unauthorized: { type: 'boolean' },
    blackoutOverrideReason: nullableString,
    externalRef: {
      oneOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['provider', 'pipeline', 'run', 'environment', 'commit'],
          properties: {
            provider: nonEmptyString,
            pipeline: nonEmptyString,
            run: nonEmptyString,
            environment: nonEmptyString,
            commit: nullableString,
          },
        },
      ],
    },
    openedAt: dateTime,
    authorizedAt: nullableDateTime,
    closedAt: nullableDateTime,
    closedBy: nullableString,
    updatedAt: dateTime,
    version: { type: 'integer', minimum: 1 },
  },
} as const;

const changeSet = {
  changedFields: stringList,
  previous: { type: 'object' },
} as const;

function definition(
  type: string,
  summary: string,
  properties: Record<string, unknown>,
): EventDefinition {
  return {
    type,
    topic: Topics.changeEvents,
    summary,
    schema: {
      $id: type,
      title: summary,
      type: 'object',
      additionalProperties: false,
      required: Object.keys(properties),
      properties,
    },
  };
}

export const CHANGE_EVENTS: readonly EventDefinition[] = [
  ...Object.entries(CHANGE_HAPPENINGS).map(([happening, what]) =>
    definition(`itsm.change.${happening}.v1`, `A change ${what}.`, {
      change:
        happening === 'completed'
          ? {
              ...changeSnapshotSchema,
              properties: {
                ...changeSnapshotSchema.properties,
                closeCode: { enum: CHANGE_CLOSE_CODES },
                actualEnd: dateTime,
              },
            }
          : changeSnapshotSchema,
      ...changeSet,
    }),
  ),
  definition(
    ChangeEventTypes.approvalDecided,
    'An approver approved or rejected a change (`retrospective` when an emergency CAB authorised it after the fact).',
    {
      change: changeSnapshotSchema,
      decision: {
        type: 'object',
        additionalProperties: false,
        required: [
          'round',
          'approver',
          'onBehalfOf',
          'decision',
          'comment',
          'at',
          'retrospective',
          'cabMeeting',
        ],
        properties: {
          round: { type: 'integer', minimum: 1 },
          approver: nonEmptyString,
          onBehalfOf: {
            type: 'object',
            additionalProperties: false,
            required: ['kind', 'name'],
            properties: { kind: { enum: ['user', 'group', 'role'] }, name: nonEmptyString },
          },
          decision: { enum: ['approve', 'reject'] },
          comment: nullableString,
          at: dateTime,
          retrospective: { type: 'boolean' },
          cabMeeting: {
            oneOf: [
              { type: 'null' },
              {
                type: 'object',
                additionalProperties: false,
                required: ['id', 'name', 'start'],
                properties: {
                  id: { type: 'string', format: 'uuid' },
                  name: nonEmptyString,
                  start: dateTime,
                },
              },
            ],
          },
        },
      },
    },
  ),
  definition(
    ChangeEventTypes.conflictsDetected,
    "Conflict detection found conflicts for a change's CIs, dates or assignee (the full current list).",
    {
      change: changeSnapshotSchema,
      conflicts: {
        type: 'array',
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['kind', 'message', 'ciId', 'otherChangeId', 'windowId'],
          properties: {
            kind: nonEmptyString,
            message: nonEmptyString,
            ciId: nullableUuid,
            otherChangeId: nullableUuid,
            windowId: nullableUuid,
          },
        },
      },
    },
  ),
  definition(
    ChangeEventTypes.gateDecided,
    "A pipeline asked a change's gate and got a decision other than the last one it got.",
    {
      change: changeSnapshotSchema,
      decision: { enum: ['awaiting', 'allowed', 'prevented'] },
      reasons: stringList,
    },
  ),
  definition(
    ChangeEventTypes.incidentsLinked,
    'Incidents were linked to a change (as ones it fixes, or ones it caused).',
    {
      change: changeSnapshotSchema,
      incidentIds: uuidList,
      relation: { enum: ['fixes', 'caused'] },
    },
  ),
  definition(ChangeEventTypes.incidentsUnlinked, 'Incidents were unlinked from a change.', {
    change: changeSnapshotSchema,
    incidentIds: uuidList,
  }),
  definition(ChangeEventTypes.problemsLinked, 'Problems were linked to a change it fixes.', {
    change: changeSnapshotSchema,
    problemIds: uuidList,
  }),
  definition(ChangeEventTypes.problemsUnlinked, 'Problems were unlinked from a change.', {
    change: changeSnapshotSchema,
    problemIds: uuidList,
  }),
];
