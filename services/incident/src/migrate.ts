import { runMigrateCli } from '@itsm/platform';
import { incidentService } from './service.definition';

runMigrateCli(incidentService);
