import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, RECORD_TRAIL_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { CatalogItemEntity } from './catalog/persistence/catalog-item.entity';
import { DirectoryGroupEntity } from './directory/persistence/directory-group.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { RecordModel1763900000000 } from './migrations/1763900000000-record-model';
import { QueueIndexes1763910000000 } from './migrations/1763910000000-queue-indexes';
import { ProblemLink1764000000000 } from './migrations/1764000000000-problem-link';
import { OutboxParking1765500000000 } from './migrations/1765500000000-outbox-parking';
import { DeadLetters1765600000000 } from './migrations/1765600000000-dead-letters';
import { CatalogItems1766100000000 } from './migrations/1766100000000-catalog-items';
import { RecordEntity } from './records/persistence/record.entity';

export const incidentService: ServiceDefinition = {
  name: 'incident',
  defaultPort: 3001,
  schema: 'incident',
  entities: [
    ...PLATFORM_ENTITIES,
    RecordEntity,
    ...RECORD_TRAIL_ENTITIES,
    DirectoryGroupEntity,
    CatalogItemEntity,
  ],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    RecordModel1763900000000,
    QueueIndexes1763910000000,
    ProblemLink1764000000000,
    OutboxParking1765500000000,
    DeadLetters1765600000000,
    CatalogItems1766100000000,
  ],
  publishes: [Topics.incidentEvents],
};
