import { type DomainTopic } from '@itsm/contracts';
import { MESSAGING_ENTITIES } from '@itsm/messaging';
import { IdempotencyRecord } from './idempotency/idempotency-record.entity';
import { type RetentionRule } from './retention/retention-rule';

/** Tables every service has beside its own: outbox, inbox, idempotency keys. */
export const PLATFORM_ENTITIES = [...MESSAGING_ENTITIES, IdempotencyRecord];

/** What the platform needs to know about a service to run, migrate and wire it. */
export interface ServiceDefinition {
  name: string;
  defaultPort: number;
  /** The PostgreSQL schema the service owns. */
  schema: string;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
  /** Topics the service publishes on; its migrate step makes sure they exist. */
  publishes: DomainTopic[];
  /** Rows of its own tables the retention sweeper removes, beside the inbox and idempotency keys every service has. */
  retention?: (environment: NodeJS.ProcessEnv) => RetentionRule[];
}
