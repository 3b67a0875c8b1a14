import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, SECONDS_PER_DAY, type ServiceDefinition } from '@itsm/platform';
import { CiClassEntity } from './ci-classes/persistence/ci-class.entity';
import { CiEntity } from './cis/persistence/ci.entity';
import { loadCmdbConfig } from './config/cmdb.config';
import { CiHistoryEntity } from './cis/persistence/ci-history.entity';
import { CiIdentifierEntity } from './cis/persistence/ci-identifier.entity';
import { ImportJobEntity } from './imports/persistence/import-job.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { Cmdb1763900000000 } from './migrations/1763900000000-cmdb';
import { ClassSourcePrecedence1764600000000 } from './migrations/1764600000000-class-source-precedence';
import { RestrictedCis1764800000000 } from './migrations/1764800000000-restricted-cis';
import { ImportJobLease1765400000000 } from './migrations/1765400000000-import-job-lease';
import { OutboxParking1765500000000 } from './migrations/1765500000000-outbox-parking';
import { DeadLetters1765600000000 } from './migrations/1765600000000-dead-letters';
import { CiDependencyEntity } from './relationships/persistence/ci-dependency.entity';
import { RelationshipEntity } from './relationships/persistence/relationship.entity';

export const cmdbService: ServiceDefinition = {
  name: 'cmdb',
  defaultPort: 3005,
  schema: 'cmdb',
  entities: [
    ...PLATFORM_ENTITIES,
    CiClassEntity,
    CiEntity,
    CiIdentifierEntity,
    CiHistoryEntity,
    RelationshipEntity,
    CiDependencyEntity,
    ImportJobEntity,
  ],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    Cmdb1763900000000,
    ClassSourcePrecedence1764600000000,
    RestrictedCis1764800000000,
    ImportJobLease1765400000000,
    OutboxParking1765500000000,
    DeadLetters1765600000000,
  ],
  publishes: [Topics.cmdbEvents],
  retention: (environment) => [
    {
      name: 'import_jobs',
      entity: ImportJobEntity,
      timeColumn: 'finished_at',
      keepForSeconds: loadCmdbConfig(environment).CMDB_IMPORT_JOB_RETENTION_DAYS * SECONDS_PER_DAY,
    },
  ],
};
