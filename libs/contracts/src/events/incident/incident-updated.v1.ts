import { incidentSnapshotSchema, type IncidentSnapshot } from './incident-snapshot';

export const INCIDENT_UPDATED_V1 = 'itsm.incident.updated.v1' as const;

export interface IncidentUpdatedV1 {
  incident: IncidentSnapshot;
  /** The fields whose values this change altered (never empty). */
  changedFields: string[];
}

export const incidentUpdatedV1Schema = {
  $id: INCIDENT_UPDATED_V1,
  title: 'Incident updated',
  description:
    'Fields of an incident were changed. Carries the incident after the change and the fields that changed.',
  type: 'object',
  additionalProperties: false,
  required: ['incident', 'changedFields'],
  properties: {
    incident: incidentSnapshotSchema,
    changedFields: { type: 'array', items: { type: 'string' }, minItems: 1 },
  },
} as const;
