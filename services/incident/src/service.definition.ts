import { Topics } from '@itsm/contracts';
import { MESSAGING_ENTITIES } from '@itsm/messaging';
import { type ServiceDefinition } from '@itsm/platform';
import { IncidentEntity } from './incidents/persistence/incident.entity';
import { Initial1763780000000 } from './migrations/1763780000000-initial';

export const incidentService: ServiceDefinition = {
  name: 'incident',
  defaultPort: 3001,
  schema: 'incident',
  entities: [...MESSAGING_ENTITIES, IncidentEntity],
  migrations: [Initial1763780000000],
  publishes: [Topics.incidentEvents],
};
