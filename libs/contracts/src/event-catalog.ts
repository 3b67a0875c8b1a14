import { Topics, type DomainTopic } from './topics';
import {
  INCIDENT_CREATED_V1,
  incidentCreatedV1Schema,
} from './events/incident/incident-created.v1';

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
];

export const EventTypes = {
  incidentCreated: INCIDENT_CREATED_V1,
} as const;

export function findEventDefinition(type: string): EventDefinition | undefined {
  return EVENT_CATALOG.find((definition) => definition.type === type);
}
