import { randomUUID } from 'node:crypto';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventTypes,
  JSON_CONTENT_TYPE,
  dataSchemaUri,
  type IncidentCreatedV1,
  type IncidentSnapshot,
  type ItsmCloudEvent,
} from '@itsm/contracts';

/** A valid incident snapshot as events carry it, with the given fields. */
export function incidentSnapshot(fields: Partial<IncidentSnapshot> = {}): IncidentSnapshot {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    number: 'INC0999999',
    type: 'incident',
    title: 'Created by a test',
    description: '',
    requester: 'agent',
    source: 'portal',
    category: null,
    subcategory: null,
    catalogItem: null,
    businessServiceId: null,
    ciIds: [],
    impact: 3,
    urgency: 3,
    priority: 'P5',
    priorityOverrideReason: null,
    state: 'new',
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: null,
    assignee: null,
    major: false,
    parentId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: now,
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: [],
    externalRef: null,
    updatedAt: now,
    version: 1,
    ...fields,
  };
}

/** Valid `itsm.incident.created.v1` data for an incident at a given version. */
export function incidentCreatedData(
  incidentId: string = randomUUID(),
  version = 1,
): IncidentCreatedV1 {
  return {
    incident: incidentSnapshot({
      id: incidentId,
      title: `Created by a test (version ${version})`,
      version,
    }),
    changedFields: ['title'],
    previous: {},
  };
}

/** A whole `itsm.incident.created.v1` CloudEvent, as the incident service would publish it. */
export function incidentCreatedEvent(
  subject: string = randomUUID(),
): ItsmCloudEvent<IncidentCreatedV1> {
  return {
    specversion: CLOUD_EVENTS_SPEC_VERSION,
    id: randomUUID(),
    source: '/itsm/incident',
    type: EventTypes.incident.created,
    subject,
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataSchemaUri(EventTypes.incident.created),
    data: incidentCreatedData(subject),
  };
}
