import { nullableDateTime, nullableString, nullableUuid, stringList, uuidList } from '../nullable';

export const INCIDENT_STATES = [
  'new',
  'in_progress',
  'on_hold',
  'resolved',
  'closed',
  'cancelled',
] as const;
export type IncidentState = (typeof INCIDENT_STATES)[number];

export const REQUEST_STATES = [
  'submitted',
  'approved',
  'fulfilling',
  'fulfilled',
  'closed',
  'rejected',
  'cancelled',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

export const HOLD_REASONS = [
  'awaiting_caller',
  'awaiting_change',
  'awaiting_vendor',
  'awaiting_problem',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

export const RECORD_SOURCES = ['portal', 'email', 'phone', 'api', 'monitoring'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];

export type RecordType = 'incident' | 'request';
export type PriorityName = 'P1' | 'P2' | 'P3' | 'P4' | 'P5';
export type Level = 1 | 2 | 3;

/**
 * An incident or a service request as events carry it: its whole state after the change.
 * Both record types share the model (PRODUCT.md); `type` tells them apart.
 */
export interface IncidentSnapshot {
  id: string;
  number: string;
  type: RecordType;
  title: string;
  description: string;
  requester: string;
  source: RecordSource;
  category: string | null;
  subcategory: string | null;
  /** Requests only: the catalog item being requested. */
  catalogItem: string | null;
  businessServiceId: string | null;
  ciIds: string[];
  impact: Level;
  urgency: Level;
  priority: PriorityName;
  /** Set when the priority was chosen by hand instead of from the matrix. */
  priorityOverrideReason: string | null;
  state: IncidentState | RequestState;
  holdReason: HoldReason | null;
  /** The change an `awaiting_change` hold waits for. */
  awaitingChangeId: string | null;
  assignmentGroup: string | null;
  assignee: string | null;
  major: boolean;
  parentId: string | null;
  /**
   * Incidents only: the problem the incident is linked to (one at a time), kept from the
   * problem service's `incidents_linked`/`incidents_unlinked` events. Optional in the
   * schema: events from before it existed lack it (read as null), and v1 stays compatible.
   */
  problemId?: string | null;
  escalationLevel: number;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  openedAt: string;
  firstResponseAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
  reopenCount: number;
  tags: string[];
  externalRef: string | null;
  updatedAt: string;
  version: number;
}

export const incidentSnapshotSchema = {
  type: 'object',
  additionalProperties: true,
  required: [
    'id',
    'number',
    'type',
    'title',
    'description',
    'requester',
    'source',
    'category',
    'subcategory',
    'catalogItem',
    'businessServiceId',
    'ciIds',
    'impact',
    'urgency',
    'priority',
    'priorityOverrideReason',
    'state',
    'holdReason',
    'awaitingChangeId',
    'assignmentGroup',
    'assignee',
    'major',
    'parentId',
    'escalationLevel',
    'resolutionCode',
    'resolutionNotes',
    'openedAt',
    'firstResponseAt',
    'resolvedAt',
    'closedAt',
    'reopenCount',
    'tags',
    'externalRef',
    'updatedAt',
    'version',
  ],
  properties: {
    id: { type: 'string', format: 'uuid' },
    number: { type: 'string', pattern: '^(INC|REQ)[0-9]{7,}$' },
    type: { enum: ['incident', 'request'] },
    title: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    requester: { type: 'string', minLength: 1 },
    source: { enum: RECORD_SOURCES },
    category: nullableString,
    subcategory: nullableString,
    catalogItem: nullableString,
    businessServiceId: nullableUuid,
    ciIds: uuidList,
    impact: { type: 'integer', minimum: 1, maximum: 3 },
    urgency: { type: 'integer', minimum: 1, maximum: 3 },
    priority: { enum: ['P1', 'P2', 'P3', 'P4', 'P5'] },
    priorityOverrideReason: nullableString,
    state: { enum: [...new Set([...INCIDENT_STATES, ...REQUEST_STATES])] },
    holdReason: { enum: [...HOLD_REASONS, null] },
    awaitingChangeId: nullableUuid,
    assignmentGroup: nullableString,
    assignee: nullableString,
    major: { type: 'boolean' },
    parentId: nullableUuid,
    problemId: nullableUuid,
    escalationLevel: { type: 'integer', minimum: 0 },
    resolutionCode: nullableString,
    resolutionNotes: nullableString,
    openedAt: { type: 'string', format: 'date-time' },
    firstResponseAt: nullableDateTime,
    resolvedAt: nullableDateTime,
    closedAt: nullableDateTime,
    reopenCount: { type: 'integer', minimum: 0 },
    tags: stringList,
    externalRef: nullableString,
    updatedAt: { type: 'string', format: 'date-time' },
    version: { type: 'integer', minimum: 1 },
  },
} as const;
