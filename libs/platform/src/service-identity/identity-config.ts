import { Logger } from '@nestjs/common';
import {
  InternalIdentityVerifier,
  ServiceIdentitySigner,
  callingServices,
  loadSigningKey,
  loadTrustedServiceKeys,
  loadVerificationKeys,
  readKeyMaterial,
  type IdentityKey,
} from '@itsm/auth';
import { ConfigurationError, type ServiceConfig } from '../config/service-config';

export const VERIFICATION_KEYS = 'ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS';
export const TRUSTED_SERVICE_KEYS = 'ITSM_TRUSTED_SERVICE_KEYS';
export const SERVICE_SIGNING_KEY = 'ITSM_SERVICE_IDENTITY_SIGNING_KEY';

/** Runs a loader of key material, turning what goes wrong into the configuration error that names the variable. */
async function configured<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (error) {
    if (error instanceof ConfigurationError) throw error;
    throw new ConfigurationError([(error as Error).message]);
  }
}

/** The gateway's public keys, imported once for every request to come; a service does not start without them. */
async function verificationKeys(config: ServiceConfig): Promise<IdentityKey[]> {
  const material = readKeyMaterial(config.env, VERIFICATION_KEYS);
  if (!material)
    throw new Error(
      `${VERIFICATION_KEYS} (or ${VERIFICATION_KEYS}_FILE) is required: the gateway's public key(s), to verify the caller identity it forwards`,
    );
  return loadVerificationKeys(material, VERIFICATION_KEYS);
}

/**
 * The services this one takes calls from as themselves, with their public keys (ADR 12).
 * A service `SERVICE_PERMISSIONS` grants nothing is refused: its calls could only ever be
 * answered 403, so it is a mistake (a misspelt name, say), not a choice.
 */
async function trustedServiceKeys(config: ServiceConfig): Promise<Map<string, IdentityKey[]>> {
  const material = readKeyMaterial(config.env, TRUSTED_SERVICE_KEYS);
  if (!material) return new Map();
  const trusted = await loadTrustedServiceKeys(material, TRUSTED_SERVICE_KEYS);
  const callers = callingServices();
  const problems = [...trusted.keys()]
    .filter((service) => !callers.includes(service))
    .map(
      (service) =>
        `${TRUSTED_SERVICE_KEYS} (${service}): SERVICE_PERMISSIONS (libs/auth) grants the ${service} service nothing; services that may call others: ${callers.join(', ')}`,
    );
  if (problems.length > 0) throw new ConfigurationError(problems);
  return trusted;
}

/** What a service verifies callers with: the gateway's keys and its trusted services' keys, checked at start. */
export async function identityVerifier(config: ServiceConfig): Promise<InternalIdentityVerifier> {
  return configured(async () => {
    const gatewayKeys = await verificationKeys(config);
    const trustedServices = await trustedServiceKeys(config);
    let verifier: InternalIdentityVerifier;
    try {
      verifier = new InternalIdentityVerifier(gatewayKeys, {
        service: config.serviceName,
        replayCacheSize: config.env.ITSM_INTERNAL_IDENTITY_REPLAY_CACHE_SIZE,
        trustedServices,
      });
    } catch (error) {
      throw new Error(
        `${VERIFICATION_KEYS}, ${TRUSTED_SERVICE_KEYS}: ${(error as Error).message}`,
        {
          cause: error,
        },
      );
    }
    const logger = new Logger('InternalIdentity');
    logger.log(`accepting identities signed by the key(s) ${verifier.kids.join(', ')}`);
    for (const [service, kids] of verifier.serviceKids)
      logger.log(
        `accepting calls from the ${service} service signed by the key(s) ${kids.join(', ')}`,
      );
    return verifier;
  });
}

/**
 * The key a service that calls others signs its own identity with (ADR 12). Not the
 * gateway's: a service holding that could mint any user's identity, which ADR 9 takes away
 * from services, so a key whose public half is among the gateway's keys is refused.
 */
export async function serviceIdentitySigner(config: ServiceConfig): Promise<ServiceIdentitySigner> {
  return configured(async () => {
    const material = readKeyMaterial(config.env, SERVICE_SIGNING_KEY);
    if (!material)
      throw new Error(
        `${SERVICE_SIGNING_KEY} (or ${SERVICE_SIGNING_KEY}_FILE) is required: the private key the ${config.serviceName} service signs its own identity with when it calls another service`,
      );
    const key = await loadSigningKey(material, SERVICE_SIGNING_KEY);
    const gatewayMaterial = readKeyMaterial(config.env, VERIFICATION_KEYS);
    const gatewayKeys = gatewayMaterial
      ? await loadVerificationKeys(gatewayMaterial, VERIFICATION_KEYS)
      : [];
    if (gatewayKeys.some((gatewayKey) => gatewayKey.kid === key.kid))
      throw new Error(
        `${SERVICE_SIGNING_KEY}: is the gateway's key (its public half is in ${VERIFICATION_KEYS}); each service signs with a key of its own`,
      );
    const signer = new ServiceIdentitySigner(key, {
      service: config.serviceName,
      ttlSeconds: config.env.ITSM_SERVICE_IDENTITY_TTL_SECONDS,
    });
    new Logger('ServiceIdentity').log(
      `calling other services as ${signer.service}, signed with the key ${signer.kid}`,
    );
    return signer;
  });
}
