import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { ApiKeyEntity } from './api-keys/persistence/api-key.entity';
import { LoginAttemptCounterEntity } from './auth/persistence/login-attempt-counter.entity';
import { DIRECTORY_ENTITIES } from './directory/persistence/directory.entities';
import { Directory1763810000000 } from './migrations/1763810000000-directory';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { ApiKeys1763800000000 } from './migrations/1763800000000-api-keys';
import { LoginAttempts1763820000000 } from './migrations/1763820000000-login-attempts';
import { OutboxParking1765500000000 } from './migrations/1765500000000-outbox-parking';
import { DeadLetters1765600000000 } from './migrations/1765600000000-dead-letters';
import { DirectoryMemberships1766000000000 } from './migrations/1766000000000-directory-memberships';
import { SavedQueues1766100000000 } from './migrations/1766100000000-saved-queues';
import { SavedQueueEntity } from './saved-queues/persistence/saved-queue.entity';

export const gatewayService: ServiceDefinition = {
  name: 'gateway',
  defaultPort: 3000,
  schema: 'gateway',
  entities: [
    ...PLATFORM_ENTITIES,
    ApiKeyEntity,
    ...DIRECTORY_ENTITIES,
    LoginAttemptCounterEntity,
    SavedQueueEntity,
  ],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    ApiKeys1763800000000,
    Directory1763810000000,
    LoginAttempts1763820000000,
    OutboxParking1765500000000,
    DeadLetters1765600000000,
    DirectoryMemberships1766000000000,
    SavedQueues1766100000000,
  ],
  publishes: [Topics.directoryEvents],
};
