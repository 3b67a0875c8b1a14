import { PLATFORM_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { ArchivedEventEntity } from './event-archive/persistence/archived-event.entity';
import { RecordAccessEntity } from './event-archive/persistence/record-access.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { EventAccess1764800000000 } from './migrations/1764800000000-event-access';
import { ReadModels1765000000000 } from './migrations/1765000000000-read-models';
import { READ_MODEL_ENTITIES } from './read-models/persistence/read-model-entities';

export const reportingService: ServiceDefinition = {
  name: 'reporting',
  defaultPort: 3006,
  schema: 'reporting',
  entities: [...PLATFORM_ENTITIES, ArchivedEventEntity, RecordAccessEntity, ...READ_MODEL_ENTITIES],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    EventAccess1764800000000,
    ReadModels1765000000000,
  ],
  publishes: [],
};
