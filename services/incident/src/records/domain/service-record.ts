import {
  type HoldReason,
  type IncidentState,
  type RecordSource,
  type RecordType,
  type RequestState,
  priorityFor,
  type Impact,
  type Priority,
  type PriorityMatrix,
  type Urgency,
} from '@itsm/contracts';
import { RuleViolation } from '@itsm/domain';

export type RecordState = IncidentState | RequestState;

/**
 * An incident or a service request: one model for both (PRODUCT.md), told apart by
 * `type`, each with its own number prefix and state machine.
 */
export interface ServiceRecord {
  id: string;
  number: string;
  type: RecordType;
  title: string;
  description: string;
  requester: string;
  source: RecordSource;
  category: string | null;
  subcategory: string | null;
  catalogItem: string | null;
  businessServiceId: string | null;
  ciIds: string[];
  impact: Impact;
  urgency: Urgency;
  priority: Priority;
  priorityOverrideReason: string | null;
  state: RecordState;
  holdReason: HoldReason | null;
  awaitingChangeId: string | null;
  assignmentGroup: string | null;
  assignee: string | null;
  major: boolean;
  parentId: string | null;
  /** Incidents: the problem the incident is linked to, kept from the problem service's events. */
  problemId: string | null;
  escalationLevel: number;
  resolutionCode: string | null;
  resolutionNotes: string | null;
  openedAt: Date;
  firstResponseAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  reopenCount: number;
  tags: string[];
  externalRef: string | null;
  updatedAt: Date;
  version: number;
}

/** Identity and bookkeeping: set by the platform, never a changed field. */
const NOT_FIELDS = ['id', 'number', 'type', 'updatedAt', 'version'] as const;
export type RecordField = Exclude<keyof ServiceRecord, (typeof NOT_FIELDS)[number]>;

function isRecordField(key: keyof ServiceRecord): key is RecordField {
  return !(NOT_FIELDS as readonly string[]).includes(key);
}

const NUMBER_PREFIX: Record<RecordType, string> = { incident: 'INC', request: 'REQ' };
const MAX_SEQUENCE = 9_999_999;

/** `INC`/`REQ` and seven digits; numbers are never reused, so running out is an error, not a wrap. */
export function recordNumber(type: RecordType, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new RangeError(`${type} sequence ${sequence} is outside 1..${MAX_SEQUENCE}`);
  }
  return `${NUMBER_PREFIX[type]}${String(sequence).padStart(7, '0')}`;
}

export const INITIAL_STATE: Record<RecordType, RecordState> = {
  incident: 'new',
  request: 'submitted',
};

/** What a new record is given; the rest starts empty. */
export interface NewRecord {
  type: RecordType;
  title: string;
  description: string;
  requester: string;
  source: RecordSource;
  impact: Impact;
  urgency: Urgency;
  category?: string | null;
  subcategory?: string | null;
  catalogItem?: string | null;
  businessServiceId?: string | null;
  ciIds?: string[];
  priority?: Priority;
  priorityOverrideReason?: string | null;
  assignmentGroup?: string | null;
  assignee?: string | null;
  major?: boolean;
  parentId?: string | null;
  tags?: string[];
  externalRef?: string | null;
}

/** Tags compare case-insensitively and appear once each. */
export function normalizeTags(tags: readonly string[]): string[] {
  return [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))].sort();
}

/**
 * A priority set by hand, checked: it needs a reason, and a reason needs a priority, so
 * that neither is silently dropped. Undefined when neither is given. Opening and
 * changing a record both go through here.
 */
export function manualPriority(
  priority: Priority | undefined,
  reason: string | null | undefined,
): Pick<ServiceRecord, 'priority' | 'priorityOverrideReason'> | undefined {
  const trimmed = reason?.trim();
  if (priority !== undefined) {
    if (!trimmed) {
      throw new RuleViolation('priorityOverrideReason', 'is required to override the priority');
    }
    return { priority, priorityOverrideReason: trimmed };
  }
  if (reason !== undefined && reason !== null) {
    throw new RuleViolation('priorityOverrideReason', 'is only given with a priority to override');
  }
  return undefined;
}

/** Fields only one record type has: naming one for the other type is a mistake, never a no-op. */
const FIELDS_OF_ONE_TYPE = {
  incident: { fields: ['major', 'parentId', 'problemId'], message: 'applies to incidents only' },
  request: { fields: ['catalogItem'], message: 'applies to service requests only' },
} as const;

type OneTypeField = (typeof FIELDS_OF_ONE_TYPE)[RecordType]['fields'][number];

/** The fields given in `values` (a change, a list filter) that records of `type` never have. */
export function fieldsOfTheOtherType(
  type: RecordType,
  values: Partial<Record<OneTypeField, unknown>>,
): { field: OneTypeField; message: string }[] {
  const other = FIELDS_OF_ONE_TYPE[type === 'incident' ? 'request' : 'incident'];
  return other.fields
    .filter((field) => values[field] !== undefined)
    .map((field) => ({ field, message: other.message }));
}

/** An incident is a major one (a parent) or a child of one, never both, nor its own parent. */
export function checkParentage(id: string, major: boolean, parentId: string | null): void {
  if (parentId === id) throw new RuleViolation('parentId', 'cannot be the incident itself');
  if (major && parentId) {
    throw new RuleViolation('parentId', 'a major incident is a parent, not a child');
  }
}

/**
 * A new record opened without an assignment group goes to the triage group, so that it
 * lands in a queue someone works instead of nobody's (the service desk triages it).
 */
export function routedToTriage(input: NewRecord, triageGroup: string): NewRecord {
  return input.assignmentGroup ? input : { ...input, assignmentGroup: triageGroup };
}

/**
 * A new record: its type's initial state, priority from the matrix unless overridden
 * (with a reason), version 1.
 */
export function openRecord(
  input: NewRecord,
  identity: { id: string; sequence: number },
  now: Date,
  matrix?: PriorityMatrix,
): ServiceRecord {
  const override = manualPriority(input.priority, input.priorityOverrideReason);
  checkParentage(identity.id, input.major ?? false, input.parentId ?? null);
  return {
    id: identity.id,
    number: recordNumber(input.type, identity.sequence),
    type: input.type,
    title: input.title.trim(),
    description: input.description,
    requester: input.requester,
    source: input.source,
    category: input.category ?? null,
    subcategory: input.subcategory ?? null,
    catalogItem: input.catalogItem ?? null,
    businessServiceId: input.businessServiceId ?? null,
    ciIds: [...new Set(input.ciIds ?? [])],
    impact: input.impact,
    urgency: input.urgency,
    priority: override?.priority ?? priorityFor(input.impact, input.urgency, matrix),
    priorityOverrideReason: override?.priorityOverrideReason ?? null,
    state: INITIAL_STATE[input.type],
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: input.assignmentGroup ?? null,
    assignee: input.assignee ?? null,
    major: input.major ?? false,
    parentId: input.parentId ?? null,
    problemId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: now,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: normalizeTags(input.tags ?? []),
    externalRef: input.externalRef ?? null,
    updatedAt: now,
    version: 1,
  };
}

/** A field's value before and after one change. */
export interface FieldChange {
  field: RecordField;
  oldValue: unknown;
  newValue: unknown;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((value, index) => value === b[index]);
  }
  return a === b;
}

/** The fields that differ between two versions of a record, in a stable order. */
export function diffRecords(before: ServiceRecord, after: ServiceRecord): FieldChange[] {
  return (Object.keys(after) as (keyof ServiceRecord)[])
    .filter(isRecordField)
    .filter((field) => !sameValue(before[field], after[field]))
    .map((field) => ({ field, oldValue: before[field], newValue: after[field] }));
}

/**
 * The fields a new record was given (every field with a value), as history and the
 * created event list them. A priority overridden at opening is recorded as a PATCH
 * override is: from the matrix's priority to the one set by hand.
 */
export function fieldsSetOnOpen(record: ServiceRecord, matrix?: PriorityMatrix): FieldChange[] {
  const fromMatrix = priorityFor(record.impact, record.urgency, matrix);
  const overridden = record.priorityOverrideReason !== null && record.priority !== fromMatrix;
  return (Object.keys(record) as (keyof ServiceRecord)[])
    .filter(isRecordField)
    .filter((field) => {
      const value = record[field];
      const empty = value === null || value === false || value === 0;
      return !empty && !(Array.isArray(value) && value.length === 0);
    })
    .map((field) => ({
      field,
      oldValue: field === 'priority' && overridden ? fromMatrix : null,
      newValue: record[field],
    }));
}

export function isFinal(record: Pick<ServiceRecord, 'state'>): boolean {
  return ['closed', 'cancelled', 'rejected'].includes(record.state);
}

/** Open for work: not yet resolved/fulfilled nor final. */
export function isOpen(record: Pick<ServiceRecord, 'state'>): boolean {
  return !isFinal(record) && !['resolved', 'fulfilled'].includes(record.state);
}
