import { runMigrateCli } from '@itsm/platform';
import { gatewayService } from './service.definition';

runMigrateCli(gatewayService);
