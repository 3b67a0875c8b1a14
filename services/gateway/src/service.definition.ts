import { Topics } from '@itsm/contracts';
import { MESSAGING_ENTITIES } from '@itsm/messaging';
import { type ServiceDefinition } from '@itsm/platform';
import { Initial1763780000000 } from './migrations/1763780000000-initial';

export const gatewayService: ServiceDefinition = {
  name: 'gateway',
  defaultPort: 3000,
  schema: 'gateway',
  entities: [...MESSAGING_ENTITIES],
  migrations: [Initial1763780000000],
  publishes: [Topics.directoryEvents],
};
