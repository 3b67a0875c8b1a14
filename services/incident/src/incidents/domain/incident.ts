import {
  priorityFor,
  type Impact,
  type Priority,
  type PriorityMatrix,
  type Urgency,
} from './priority-matrix';

export type IncidentState = 'new' | 'in_progress' | 'on_hold' | 'resolved' | 'closed' | 'cancelled';
export type IncidentSource = 'portal' | 'email' | 'phone' | 'api' | 'monitoring';
export const INCIDENT_SOURCES: readonly IncidentSource[] = [
  'portal',
  'email',
  'phone',
  'api',
  'monitoring',
];

export interface Incident {
  id: string;
  number: string;
  type: 'incident';
  title: string;
  description: string;
  requester: string;
  source: IncidentSource;
  impact: Impact;
  urgency: Urgency;
  priority: Priority;
  state: IncidentState;
  openedAt: Date;
  updatedAt: Date;
  version: number;
}

export interface OpenIncident {
  title: string;
  description: string;
  impact: Impact;
  urgency: Urgency;
  requester: string;
  source: IncidentSource;
}

const MAX_INCIDENT_SEQUENCE = 9_999_999;

/** `INC` and seven digits; numbers are never reused, so running out is an error, not a wrap. */
export function incidentNumber(sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_INCIDENT_SEQUENCE) {
    throw new RangeError(`incident sequence ${sequence} is outside 1..${MAX_INCIDENT_SEQUENCE}`);
  }
  return `INC${String(sequence).padStart(7, '0')}`;
}

/** A new incident: state `new`, priority from the matrix, version 1. */
export function openIncident(
  input: OpenIncident,
  identity: { id: string; sequence: number },
  now: Date,
  matrix?: PriorityMatrix,
): Incident {
  return {
    id: identity.id,
    number: incidentNumber(identity.sequence),
    type: 'incident',
    title: input.title.trim(),
    description: input.description,
    requester: input.requester,
    source: input.source,
    impact: input.impact,
    urgency: input.urgency,
    priority: priorityFor(input.impact, input.urgency, matrix),
    state: 'new',
    openedAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** The fields a freshly opened incident was given, as the created event lists them. */
export const FIELDS_SET_ON_OPEN: readonly (keyof Incident)[] = [
  'title',
  'description',
  'requester',
  'source',
  'impact',
  'urgency',
  'priority',
  'state',
];

/** Fields a PATCH may change today; assignment, state and the rest have their own operations. */
export interface IncidentChanges {
  title?: string;
  description?: string;
  impact?: Impact;
  urgency?: Urgency;
}

/**
 * Applies changes, recomputing the priority when impact or urgency moved. Returns the
 * incident unchanged, with no changed fields, when nothing actually differs.
 */
export function changeIncident(
  incident: Incident,
  changes: IncidentChanges,
  now: Date,
  matrix?: PriorityMatrix,
): { incident: Incident; changedFields: (keyof Incident)[] } {
  const next: Incident = {
    ...incident,
    ...(changes.title !== undefined ? { title: changes.title.trim() } : {}),
    ...(changes.description !== undefined ? { description: changes.description } : {}),
    ...(changes.impact !== undefined ? { impact: changes.impact } : {}),
    ...(changes.urgency !== undefined ? { urgency: changes.urgency } : {}),
  };
  next.priority = priorityFor(next.impact, next.urgency, matrix);
  const changedFields = (['title', 'description', 'impact', 'urgency', 'priority'] as const).filter(
    (field) => next[field] !== incident[field],
  );
  if (changedFields.length === 0) return { incident, changedFields: [] };
  return { incident: { ...next, updatedAt: now, version: incident.version + 1 }, changedFields };
}
