import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { ArchiveChainHeadEntity } from './event-archive/persistence/archive-chain-head.entity';
import { ArchivedEventEntity } from './event-archive/persistence/archived-event.entity';
import { RecordAccessEntity } from './event-archive/persistence/record-access.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { EventAccess1764800000000 } from './migrations/1764800000000-event-access';
import { ReadModels1765000000000 } from './migrations/1765000000000-read-models';
import { HashChainedArchive1765100000000 } from './migrations/1765100000000-hash-chained-archive';
import { ServiceReports1765200000000 } from './migrations/1765200000000-service-reports';
import { KpiThresholds1765300000000 } from './migrations/1765300000000-kpi-thresholds';
import { OutboxParking1765500000000 } from './migrations/1765500000000-outbox-parking';
import { DeadLetters1765600000000 } from './migrations/1765600000000-dead-letters';
import { KpiDailyRollups1765700000000 } from './migrations/1765700000000-kpi-daily-rollups';
import { KpiMonthlyRollups1765710000000 } from './migrations/1765710000000-kpi-monthly-rollups';
import { READ_MODEL_ENTITIES } from './read-models/persistence/read-model-entities';
import { SERVICE_REPORT_ENTITIES } from './service-reports/persistence/service-report.entities';
import {
  KpiThresholdEntity,
  KpiThresholdPeriodEntity,
} from './thresholds/persistence/kpi-threshold.entity';

export const reportingService: ServiceDefinition = {
  name: 'reporting',
  defaultPort: 3006,
  schema: 'reporting',
  entities: [
    ...PLATFORM_ENTITIES,
    ArchivedEventEntity,
    RecordAccessEntity,
    ArchiveChainHeadEntity,
    ...READ_MODEL_ENTITIES,
    KpiThresholdEntity,
    KpiThresholdPeriodEntity,
    ...SERVICE_REPORT_ENTITIES,
  ],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    EventAccess1764800000000,
    ReadModels1765000000000,
    HashChainedArchive1765100000000,
    ServiceReports1765200000000,
    KpiThresholds1765300000000,
    OutboxParking1765500000000,
    DeadLetters1765600000000,
    KpiDailyRollups1765700000000,
    KpiMonthlyRollups1765710000000,
  ],
  publishes: [Topics.reportEvents],
};
