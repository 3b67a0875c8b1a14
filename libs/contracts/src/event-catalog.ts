import { Topics, type DomainTopic } from './topics';
import {
  INCIDENT_CREATED_V1,
  incidentCreatedV1Schema,
} from './events/incident/incident-created.v1';
import {
  INCIDENT_UPDATED_V1,
  incidentUpdatedV1Schema,
} from './events/incident/incident-updated.v1';
import {
  GROUP_CREATED_V1,
  GROUP_UPDATED_V1,
  USER_CREATED_V1,
  USER_UPDATED_V1,
  groupCreatedV1Schema,
  groupUpdatedV1Schema,
  userCreatedV1Schema,
  userUpdatedV1Schema,
} from './events/directory/directory-events.v1';

export interface EventDefinition {
  type: string;
  topic: DomainTopic;
  summary: string;
  /** JSON Schema (draft 2020-12 compatible subset) of the event's data. */
  schema: Record<string, unknown>;
}

/**
 * Every event type the platform publishes. The single source for validation, the
 * AsyncAPI document and the event reference in docs/.
 */
export const EVENT_CATALOG: readonly EventDefinition[] = [
  {
    type: INCIDENT_CREATED_V1,
    topic: Topics.incidentEvents,
    summary: 'An incident was recorded.',
    schema: incidentCreatedV1Schema,
  },
  {
    type: INCIDENT_UPDATED_V1,
    topic: Topics.incidentEvents,
    summary: 'Fields of an incident were changed.',
    schema: incidentUpdatedV1Schema,
  },
  {
    type: USER_CREATED_V1,
    topic: Topics.directoryEvents,
    summary: 'A user appeared in the directory (seeded, or first seen in a token).',
    schema: userCreatedV1Schema,
  },
  {
    type: USER_UPDATED_V1,
    topic: Topics.directoryEvents,
    summary: "A user's roles or groups changed.",
    schema: userUpdatedV1Schema,
  },
  {
    type: GROUP_CREATED_V1,
    topic: Topics.directoryEvents,
    summary: 'An assignment group was created.',
    schema: groupCreatedV1Schema,
  },
  {
    type: GROUP_UPDATED_V1,
    topic: Topics.directoryEvents,
    summary: "A group's description or members changed.",
    schema: groupUpdatedV1Schema,
  },
];

export const EventTypes = {
  incidentCreated: INCIDENT_CREATED_V1,
  incidentUpdated: INCIDENT_UPDATED_V1,
  userCreated: USER_CREATED_V1,
  userUpdated: USER_UPDATED_V1,
  groupCreated: GROUP_CREATED_V1,
  groupUpdated: GROUP_UPDATED_V1,
} as const;

export function findEventDefinition(type: string): EventDefinition | undefined {
  return EVENT_CATALOG.find((definition) => definition.type === type);
}
