import { runMigrateCli } from '@itsm/platform';
import { problemService } from './service.definition';

runMigrateCli(problemService);
