import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { IncidentEntity } from './incidents/persistence/incident.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';

export const incidentService: ServiceDefinition = {
  name: 'incident',
  defaultPort: 3001,
  schema: 'incident',
  entities: [...PLATFORM_ENTITIES, IncidentEntity],
  migrations: [Initial1763780000000, IdempotencyKeys1763790000000],
  publishes: [Topics.incidentEvents],
};
