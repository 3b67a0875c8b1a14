import { type IncidentSnapshot } from '@itsm/contracts';
import { cloudEvent } from '@itsm/testing';

/** A version's event, with the fields that changed since the version before and their old values. */
export function incidentEvent(type: string, incident: IncidentSnapshot, before?: IncidentSnapshot) {
  const changed = before
    ? (Object.keys(incident) as (keyof IncidentSnapshot)[]).filter(
        (field) =>
          !['version', 'updatedAt'].includes(field) &&
          JSON.stringify(incident[field]) !== JSON.stringify(before[field]),
      )
    : [];
  return cloudEvent(type, '/itsm/incident', incident.id, {
    incident,
    changedFields: changed,
    previous: Object.fromEntries(changed.map((field) => [field, before![field]])),
  });
}
