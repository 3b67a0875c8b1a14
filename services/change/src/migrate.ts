import { runMigrateCli } from '@itsm/platform';
import { changeService } from './service.definition';

runMigrateCli(changeService);
