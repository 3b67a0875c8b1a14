import { Topics } from '@itsm/contracts';
import { MESSAGING_ENTITIES } from '@itsm/messaging';
import { type ServiceDefinition } from '@itsm/platform';
import { Initial1763780000000 } from './migrations/1763780000000-initial';

export const cmdbService: ServiceDefinition = {
  name: 'cmdb',
  defaultPort: 3005,
  schema: 'cmdb',
  entities: [...MESSAGING_ENTITIES],
  migrations: [Initial1763780000000],
  publishes: [Topics.cmdbEvents],
};
