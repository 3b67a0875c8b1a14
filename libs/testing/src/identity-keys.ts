import { generateKeyPairSync } from 'node:crypto';

/** A fresh P-256 key pair for the internal identity, in PEM: the gateway's private key and the services' public key. */
export function identityKeyPair(): { signingKey: string; verificationKeys: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    signingKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    verificationKeys: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}
