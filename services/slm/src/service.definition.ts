import { Topics } from '@itsm/contracts';
import { PLATFORM_ENTITIES, type ServiceDefinition } from '@itsm/platform';
import { BusinessCalendarEntity } from './calendars/persistence/business-calendar.entity';
import { SlaDefinitionEntity } from './slas/persistence/sla-definition.entity';
import { SlaRecordEntity } from './timers/persistence/sla-record.entity';
import { SlaTimerEntity } from './timers/persistence/sla-timer.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';
import { IdempotencyKeys1763790000000 } from './migrations/1763790000000-idempotency-keys';
import { ServiceLevels1763800000000 } from './migrations/1763800000000-service-levels';
import { RecordOwnership1764800000000 } from './migrations/1764800000000-record-ownership';
import { OutboxParking1765500000000 } from './migrations/1765500000000-outbox-parking';
import { DeadLetters1765600000000 } from './migrations/1765600000000-dead-letters';
import { TimersDueOrder1766000000000 } from './migrations/1766000000000-timers-due-order';

export const slmService: ServiceDefinition = {
  name: 'slm',
  defaultPort: 3004,
  schema: 'slm',
  entities: [
    ...PLATFORM_ENTITIES,
    BusinessCalendarEntity,
    SlaDefinitionEntity,
    SlaRecordEntity,
    SlaTimerEntity,
  ],
  migrations: [
    Initial1763780000000,
    IdempotencyKeys1763790000000,
    ServiceLevels1763800000000,
    RecordOwnership1764800000000,
    OutboxParking1765500000000,
    DeadLetters1765600000000,
    TimersDueOrder1766000000000,
  ],
  publishes: [Topics.slaEvents],
};
