import { type IncidentSnapshot } from '@itsm/contracts';
import { type Incident } from '../domain/incident';

/** The incident as the API answers it and as its events carry it. */
export function toSnapshot(incident: Incident): IncidentSnapshot & { source: string } {
  return {
    id: incident.id,
    number: incident.number,
    type: incident.type,
    title: incident.title,
    description: incident.description,
    requester: incident.requester,
    source: incident.source,
    impact: incident.impact,
    urgency: incident.urgency,
    priority: incident.priority,
    state: incident.state,
    openedAt: incident.openedAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
    version: incident.version,
  };
}
