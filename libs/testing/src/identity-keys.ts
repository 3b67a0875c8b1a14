import { generateKeyPairSync } from 'node:crypto';

/** A fresh P-256 key pair for the internal identity, in PEM: the gateway's private key and the services' public key. */
export function identityKeyPair(): { signingKey: string; verificationKeys: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    verificationKeys: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/**
 * Which service calls which synchronously as itself (ADR 12), as `deploy/local/common.sh`
 * wires `npm start`: the caller signs with a key pair of its own, each service it calls
 * trusts the public key.
 */
export const SERVICE_CALLS: Readonly<Record<string, readonly string[]>> = { change: ['cmdb'] };

/** A run's key material of the services that call others as themselves, for the run's services and its tests. */
export interface ServiceIdentityKeys {
  /** By calling service: the private key it signs its own identity with (PEM). */
  signingKeys: Record<string, string>;
  /** By service called: what it reads as `ITSM_TRUSTED_SERVICE_KEYS` (JSON: caller -> PEM). */
  trustedKeys: Record<string, string>;
}

/** A fresh key pair for each calling service of {@link SERVICE_CALLS}. */
export function serviceIdentityKeys(): ServiceIdentityKeys {
  const signingKeys: Record<string, string> = {};
  const trusted: Record<string, Record<string, string>> = {};
  for (const [caller, callees] of Object.entries(SERVICE_CALLS)) {
    const pair = identityKeyPair();
    signingKeys[caller] = pair.signingKey;
    for (const callee of callees)
      trusted[callee] = { ...trusted[callee], [caller]: pair.verificationKeys };
  }
  return {
    signingKeys,
    trustedKeys: Object.fromEntries(
      Object.entries(trusted).map(([callee, keys]) => [callee, JSON.stringify(keys)]),
    ),
  };
}
