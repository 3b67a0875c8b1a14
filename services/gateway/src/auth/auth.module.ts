import { Global, Module } from '@nestjs/common';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { LocalTokenIssuer } from './domain/token-issuer';
import { AuthController } from './http/auth.controller';
import { AuthenticationGuard } from './http/authentication.guard';

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    {
      provide: LocalTokenIssuer,
      inject: [GATEWAY_CONFIG],
      useFactory: (config: GatewayConfig) =>
        LocalTokenIssuer.create({
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
          devPassword: config.ITSM_DEV_PASSWORD,
        }),
    },
    AuthenticationGuard,
  ],
  exports: [LocalTokenIssuer, AuthenticationGuard],
})
export class AuthModule {}
