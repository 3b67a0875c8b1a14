import { Global, Logger, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { createRemoteJWKSet } from 'jose';
import {
  InternalIdentitySigner,
  loadSigningKey,
  readKeyMaterial,
  type IdentityKey,
} from '@itsm/auth';
import { ConfigurationError, SERVICE_CONFIG, type ServiceConfig } from '@itsm/platform';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { LoginAttemptsService } from './application/login-attempts.service';
import { AUTH_SIGNING_KEY, LocalTokenIssuer } from './domain/token-issuer';
import { TokenVerifier } from './domain/token-verifier';
import { AuthController } from './http/auth.controller';
import { AuthenticationGuard } from './http/authentication.guard';

const SIGNING_KEY = 'ITSM_INTERNAL_IDENTITY_SIGNING_KEY';

/** The gateway's private key, imported once for every request to come; the gateway does not start without it. */
async function signingKey(config: GatewayConfig): Promise<IdentityKey> {
  try {
    const material = readKeyMaterial(config, SIGNING_KEY);
    if (!material)
      throw new Error(
        `${SIGNING_KEY} (or ${SIGNING_KEY}_FILE) is required: the private key the gateway signs forwarded caller identities with`,
      );
    return await loadSigningKey(material, SIGNING_KEY);
  } catch (error) {
    throw new ConfigurationError([(error as Error).message]);
  }
}

async function identitySigner(config: GatewayConfig): Promise<InternalIdentitySigner> {
  const signer = new InternalIdentitySigner(await signingKey(config), {
    ttlSeconds: config.ITSM_INTERNAL_IDENTITY_TTL_SECONDS,
  });
  new Logger('InternalIdentity').log(`signing forwarded identities with the key ${signer.kid}`);
  return signer;
}

/** The local issuer in local mode, signing with AUTH_SIGNING_KEY when given; none in oidc mode. */
async function localTokenIssuer(config: GatewayConfig): Promise<LocalTokenIssuer | null> {
  // loadGatewayConfig requires the password in local mode; the test narrows its type.
  if (config.AUTH_MODE !== 'local' || config.ITSM_DEV_PASSWORD === undefined) return null;
  let issuer: LocalTokenIssuer;
  let material: string | undefined;
  try {
    material = readKeyMaterial(config, AUTH_SIGNING_KEY);
    issuer = await LocalTokenIssuer.create(
      {
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        ttlSeconds: config.AUTH_TOKEN_TTL_SECONDS,
        devPassword: config.ITSM_DEV_PASSWORD,
      },
      material,
    );
  } catch (error) {
    throw new ConfigurationError([(error as Error).message]);
  }
  new Logger('LocalIssuer').log(
    material
      ? `issuing tokens signed with the key ${issuer.kid} (${AUTH_SIGNING_KEY})`
      : `issuing tokens signed with the key ${issuer.kid}, made for this process: tokens die with it, and other replicas do not accept them (set ${AUTH_SIGNING_KEY})`,
  );
  return issuer;
}

@Global()
@Module({
  controllers: [AuthController],
  providers: [
    { provide: LocalTokenIssuer, inject: [GATEWAY_CONFIG], useFactory: localTokenIssuer },
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
          cacheSize: config.AUTH_TOKEN_CACHE_SIZE,
        });
      },
    },
    { provide: InternalIdentitySigner, inject: [GATEWAY_CONFIG], useFactory: identitySigner },
    LoginAttemptsService,
    { provide: APP_GUARD, useClass: AuthenticationGuard },
  ],
  exports: [InternalIdentitySigner],
})
export class AuthModule {}
