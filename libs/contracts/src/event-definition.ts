import { type DomainTopic } from './topics';

export interface EventDefinition {
  type: string;
  topic: DomainTopic;
  summary: string;
  /** JSON Schema (draft 2020-12 compatible subset) of the event's data. */
  schema: Record<string, unknown>;
}
