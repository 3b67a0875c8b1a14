import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';

export const problemService: ServiceDefinition = {
  name: 'problem',
  defaultPort: 3002,
  schema: 'problem',
  entities: [...PLATFORM_ENTITIES],
  migrations: [Initial1763780000000, IdempotencyKeys1763790000000],
  publishes: [Topics.problemEvents],
};
