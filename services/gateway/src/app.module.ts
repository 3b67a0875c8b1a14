import { Module } from '@nestjs/common';
import { PlatformModule } from '@itsm/platform';
import { AuthModule } from './auth/auth.module';
import { GatewayConfigModule } from './config/gateway-config.module';
import { RoutingModule } from './routing/routing.module';
import { gatewayService } from './service.definition';

@Module({
  imports: [
    PlatformModule.forService(gatewayService),
    GatewayConfigModule,
    AuthModule,
    RoutingModule,
  ],
})
export class AppModule {}
