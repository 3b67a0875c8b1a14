import { MESSAGING_ENTITIES } from '@itsm/messaging';
import { type ServiceDefinition } from '@itsm/platform';
import { ArchivedEventEntity } from './event-archive/persistence/archived-event.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';

export const reportingService: ServiceDefinition = {
  name: 'reporting',
  defaultPort: 3006,
  schema: 'reporting',
  entities: [...MESSAGING_ENTITIES, ArchivedEventEntity],
  migrations: [Initial1763780000000],
  publishes: [],
};
