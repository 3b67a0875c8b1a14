import { runMigrateCli } from '@itsm/platform';
import { slmService } from './service.definition';

runMigrateCli(slmService);
