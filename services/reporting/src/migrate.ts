import { runMigrateCli } from '@itsm/platform';
import { reportingService } from './service.definition';

runMigrateCli(reportingService);
