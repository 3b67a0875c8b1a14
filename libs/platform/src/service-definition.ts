import { type DomainTopic } from '@itsm/contracts';

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
}
