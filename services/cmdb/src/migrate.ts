import { runMigrateCli } from '@itsm/platform';
import { cmdbService } from './service.definition';

runMigrateCli(cmdbService);
