import { type IncidentSnapshot } from '@itsm/contracts';
import { type Incident } from '../domain/incident';

/** The incident as the API answers it and as its events carry it. */
export function toSnapshot(incident: Incident): IncidentSnapshot {
  return {
    id: incident.id,
    number: incident.number,
    type: incident.type,
    title: incident.title,
    description: incident.description,
    requester: incident.requester,
    source: incident.source,
    category: null,
    subcategory: null,
    catalogItem: null,
    businessServiceId: null,
    ciIds: [],
    impact: incident.impact,
    urgency: incident.urgency,
    priority: incident.priority,
    priorityOverrideReason: null,
    state: incident.state,
    holdReason: null,
    awaitingChangeId: null,
    assignmentGroup: null,
    assignee: null,
    major: false,
    parentId: null,
    escalationLevel: 0,
    resolutionCode: null,
    resolutionNotes: null,
    openedAt: incident.openedAt.toISOString(),
    firstResponseAt: null,
    resolvedAt: null,
    closedAt: null,
    reopenCount: 0,
    tags: [],
    externalRef: null,
    updatedAt: incident.updatedAt.toISOString(),
    version: incident.version,
  };
}
