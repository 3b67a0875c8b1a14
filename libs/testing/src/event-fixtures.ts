import { randomUUID } from 'node:crypto';
import {
  CLOUD_EVENTS_SPEC_VERSION,
  EventTypes,
  JSON_CONTENT_TYPE,
  dataSchemaUri,
  type IncidentCreatedV1,
  type ItsmCloudEvent,
} from '@itsm/contracts';

/** Valid `itsm.incident.created.v1` data for an incident at a given version. */
export function incidentCreatedData(
  incidentId: string = randomUUID(),
  version = 1,
): IncidentCreatedV1 {
  const now = new Date().toISOString();
  return {
    incident: {
      id: incidentId,
      number: 'INC0999999',
      type: 'incident',
      title: `Created by a test (version ${version})`,
      description: '',
      requester: 'agent',
      impact: 3,
      urgency: 3,
      priority: 'P5',
      state: 'new',
      openedAt: now,
      updatedAt: now,
      version,
    },
    changedFields: ['title'],
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
    type: EventTypes.incidentCreated,
    subject,
    time: new Date().toISOString(),
    datacontenttype: JSON_CONTENT_TYPE,
    dataschema: dataSchemaUri(EventTypes.incidentCreated),
    data: incidentCreatedData(subject),
  };
}
