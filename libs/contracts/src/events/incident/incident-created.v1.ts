import { incidentSnapshotSchema, type IncidentSnapshot } from './incident-snapshot';

export const INCIDENT_CREATED_V1 = 'itsm.incident.created.v1' as const;

export interface IncidentCreatedV1 {
  incident: IncidentSnapshot;
  changedFields: string[];
}

export const incidentCreatedV1Schema = {
  $id: INCIDENT_CREATED_V1,
  title: 'Incident created',
  description:
    'An incident was recorded. Carries the new incident and the fields it was created with.',
  type: 'object',
  additionalProperties: false,
  required: ['incident', 'changedFields'],
  properties: {
    incident: incidentSnapshotSchema,
    changedFields: { type: 'array', items: { type: 'string' } },
  },
} as const;
