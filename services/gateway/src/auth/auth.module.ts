import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createRemoteJWKSet } from 'jose';
import { InternalIdentitySigner } from '@itsm/auth';
import { SERVICE_CONFIG, type ServiceConfig } from '@itsm/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { LoginAttemptsService } from './application/login-attempts.service';
import { LocalTokenIssuer } from './domain/token-issuer';
import { TokenVerifier } from './domain/token-verifier';
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
        // loadGatewayConfig requires the password in local mode; the test narrows its type.
        config.AUTH_MODE === 'local' && config.ITSM_DEV_PASSWORD !== undefined
          ? LocalTokenIssuer.create({
              issuer: config.AUTH_ISSUER,
              audience: config.AUTH_AUDIENCE,
              ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
              devPassword: config.ITSM_DEV_PASSWORD,
            })
          : null,
    },
    {
      provide: TokenVerifier,
      inject: [GATEWAY_CONFIG, SERVICE_CONFIG],
      useFactory: (config: GatewayConfig, service: ServiceConfig) => {
        const jwksUrl =
          config.AUTH_JWKS_URL ?? `http://127.0.0.1:${service.port}/.well-known/jwks.json`;
        // Cached; refetched when a token names a key id it does not know (key rotation), at most once per cooldown.
        const keys = createRemoteJWKSet(new URL(jwksUrl), {
          cacheMaxAge: config.AUTH_JWKS_CACHE_SECONDS * 1000,
          cooldownDuration: config.AUTH_JWKS_COOLDOWN_SECONDS * 1000,
          timeoutDuration: 5_000,
        });
        return new TokenVerifier(keys, {
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          clockSkewSeconds: config.AUTH_CLOCK_SKEW_SECONDS,
          usernameClaim: config.AUTH_USERNAME_CLAIM,
          rolesClaim: config.AUTH_ROLES_CLAIM,
          groupsClaim: config.AUTH_GROUPS_CLAIM,
        });
      },
    },
    {
      provide: InternalIdentitySigner,
      inject: [SERVICE_CONFIG],
      useFactory: (service: ServiceConfig) =>
        new InternalIdentitySigner(service.env.ITSM_INTERNAL_TOKEN_SECRET),
    },
    LoginAttemptsService,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [InternalIdentitySigner],
})
export class AuthModule {}
