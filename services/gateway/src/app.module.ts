import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuthModule } from './auth/auth.module';
import { ConsoleModule } from './console/console.module';
import { DirectoryModule } from './directory/directory.module';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { GatewayConfigModule } from './config/gateway-config.module';
import { LiveModule } from './live/live.module';
import { OperationsModule } from './operations/operations.module';
import { ReferenceModule } from './reference/reference.module';
import { RoutingModule } from './routing/routing.module';
import { SavedQueuesModule } from './saved-queues/saved-queues.module';
import { gatewayService } from './service.definition';

@Module({
  imports: [
    PlatformModule.forService(gatewayService, { verifyInternalIdentity: false }),
    GatewayConfigModule,
    ApiKeysModule,
    DirectoryModule,
    SavedQueuesModule,
    AuthModule,
    RateLimitModule,
    RoutingModule,
    ReferenceModule,
    LiveModule,
    // After the routing module: each service's own `/api/v1/operations/…/{service}` wins.
    OperationsModule,
    // Its files answer only what no route above does (console.module.ts).
    ConsoleModule,
  ],
})
export class AppModule {}
