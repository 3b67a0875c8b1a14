import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, RECORD_TRAIL_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { IncidentCopyEntity } from './incident-copies/persistence/incident-copy.entity';
import { KnownErrorEntity } from './known-errors/persistence/known-error.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { ProblemModel1764800000000 } from './migrations/1764800000000-problem-model';
import { KnownErrorCodeIndex1764810000000 } from './migrations/1764810000000-known-error-code-index';
import { OutboxParking1765500000000 } from './migrations/1765500000000-outbox-parking';
import { DeadLetters1765600000000 } from './migrations/1765600000000-dead-letters';
import { OpenProblemClusterIndexes1765800000000 } from './migrations/1765800000000-open-problem-cluster-indexes';
import { ProblemIncidentLinkEntity } from './problems/persistence/problem-incident-link.entity';
import { ProblemEntity } from './problems/persistence/problem.entity';
import { ProblemTaskEntity } from './tasks/persistence/problem-task.entity';

export const problemService: ServiceDefinition = {
  name: 'problem',
  defaultPort: 3002,
  schema: 'problem',
  entities: [
    ...PLATFORM_ENTITIES,
    ProblemEntity,
    ProblemIncidentLinkEntity,
    ...RECORD_TRAIL_ENTITIES,
    ProblemTaskEntity,
    KnownErrorEntity,
    IncidentCopyEntity,
  ],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    ProblemModel1764800000000,
    KnownErrorCodeIndex1764810000000,
    OutboxParking1765500000000,
    DeadLetters1765600000000,
    OpenProblemClusterIndexes1765800000000,
  ],
  publishes: [Topics.problemEvents],
};
