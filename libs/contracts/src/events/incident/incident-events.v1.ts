import { type EventDefinition } from '../../event-definition';
import { Topics } from '../../topics';
import { incidentSnapshotSchema, type IncidentSnapshot } from './incident-snapshot';

/**
 * What can happen to an incident or a service request. Every change emits `updated`,
 * `assigned`, `priority_changed` and/or `state_changed` for what it altered; the
 * milestones (`resolved`, `closed`, `reopened`, `major_declared`) are emitted as well
 * as the `state_changed`/`updated` that describes the same change, so that a
 * subscriber interested only in a milestone needs no state logic.
 */
const INCIDENT_HAPPENINGS = {
  created: 'was recorded',
  updated: 'had fields changed (title, description, classification, CIs, tags, …)',
  assigned: 'was given to another assignment group and/or assignee',
  state_changed: 'moved from one state to another (`previous.state` → `incident.state`)',
  priority_changed: 'got another priority (from the matrix, or overridden with a reason)',
  resolved: 'was resolved',
  closed: 'was closed',
  reopened: 'was reopened after resolution',
  major_declared: 'was declared a major incident',
} as const;

const REQUEST_HAPPENINGS = {
  created: 'was submitted',
  updated: 'had fields changed',
  assigned: 'was given to another assignment group and/or assignee',
  state_changed: 'moved from one fulfilment state to another',
  priority_changed: 'got another priority',
  fulfilled: 'was fulfilled',
  closed: 'was closed',
} as const;

export type IncidentHappening = keyof typeof INCIDENT_HAPPENINGS;
export type RequestHappening = keyof typeof REQUEST_HAPPENINGS;

function typeName<R extends string, H extends string>(record: R, happening: H) {
  return `itsm.${record}.${happening}.v1` as const;
}

export const IncidentEventTypes = {
  created: typeName('incident', 'created'),
  updated: typeName('incident', 'updated'),
  assigned: typeName('incident', 'assigned'),
  stateChanged: typeName('incident', 'state_changed'),
  priorityChanged: typeName('incident', 'priority_changed'),
  resolved: typeName('incident', 'resolved'),
  closed: typeName('incident', 'closed'),
  reopened: typeName('incident', 'reopened'),
  majorDeclared: typeName('incident', 'major_declared'),
} as const;

export const RequestEventTypes = {
  created: typeName('request', 'created'),
  updated: typeName('request', 'updated'),
  assigned: typeName('request', 'assigned'),
  stateChanged: typeName('request', 'state_changed'),
  priorityChanged: typeName('request', 'priority_changed'),
  fulfilled: typeName('request', 'fulfilled'),
  closed: typeName('request', 'closed'),
} as const;

export const INCIDENT_CREATED_V1 = IncidentEventTypes.created;
export const INCIDENT_UPDATED_V1 = IncidentEventTypes.updated;

/** The data of every `itsm.incident.*.v1` event. */
export interface IncidentEventV1 {
  incident: IncidentSnapshot;
  /** The fields this change set or altered (on `created`, the fields given). */
  changedFields: string[];
  /** The value each changed field had before the change (empty on `created`). */
  previous: Record<string, unknown>;
}

/** The data of every `itsm.request.*.v1` event. */
export interface RequestEventV1 {
  request: IncidentSnapshot;
  changedFields: string[];
  previous: Record<string, unknown>;
}

/** The record an event of the incident topic is about: `incident` or `request` in its data. */
export function serviceRecordOf(data: unknown): IncidentSnapshot | undefined {
  const payload = data as Partial<IncidentEventV1 & RequestEventV1>;
  return payload.incident ?? payload.request;
}

export type IncidentCreatedV1 = IncidentEventV1;
export type IncidentUpdatedV1 = IncidentEventV1;

function recordEventSchema(type: string, title: string, recordKey: 'incident' | 'request') {
  return {
    $id: type,
    title,
    type: 'object',
    additionalProperties: false,
    required: [recordKey, 'changedFields', 'previous'],
    properties: {
      [recordKey]: incidentSnapshotSchema,
      changedFields: { type: 'array', items: { type: 'string' } },
      previous: { type: 'object' },
    },
  };
}

function definitions(
  recordKey: 'incident' | 'request',
  happenings: Record<string, string>,
): EventDefinition[] {
  const noun = recordKey === 'incident' ? 'An incident' : 'A service request';
  return Object.entries(happenings).map(([happening, what]) => {
    const type = typeName(recordKey, happening);
    const summary = `${noun} ${what}.`;
    return {
      type,
      topic: Topics.incidentEvents,
      summary,
      schema: recordEventSchema(type, summary, recordKey),
    };
  });
}

export const INCIDENT_EVENTS: readonly EventDefinition[] = [
  ...definitions('incident', INCIDENT_HAPPENINGS),
  ...definitions('request', REQUEST_HAPPENINGS),
];
