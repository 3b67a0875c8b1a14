import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, importJWK, type CryptoKey, type JWK } from 'jose';

/** ES256 (EC P-256) or EdDSA (Ed25519): the algorithm follows from the key, never from a token. */
export type IdentityAlgorithm = 'ES256' | 'EdDSA';

export interface IdentityKey {
  /** The key's RFC 7638 thumbprint: both sides compute it, so there is no key id to configure or mistype. */
  kid: string;
  alg: IdentityAlgorithm;
  /** Imported once, not extractable: a signer's private key (the gateway's, a calling service's) or a public key. */
  key: CryptoKey;
  /** The public half as a JWK (no private parts), for a signer that publishes it in a key set. */
  publicJwk: JWK;
}

/** A signing key, or a key to verify with, that turned out not to be what it must be. */
export class InvalidKeyMaterial extends Error {
  constructor(variable: string, reason: string) {
    super(`${variable}: ${reason}`);
    this.name = 'InvalidKeyMaterial';
  }
}

/**
 * The key material of `variable`: the variable's value, or the contents of the file
 * `<variable>_FILE` names (a mounted Kubernetes Secret). Undefined when neither is set;
 * both at once is refused, so it is never unclear which key is in force.
 */
export function readKeyMaterial(
  source: Readonly<Record<string, unknown>>,
  variable: string,
): string | undefined {
  const inline = nonEmpty(source[variable]);
  const file = nonEmpty(source[`${variable}_FILE`]);
  if (inline && file)
    throw new InvalidKeyMaterial(variable, `set either it or ${variable}_FILE, not both`);
  if (!file) return inline;
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InvalidKeyMaterial(
      `${variable}_FILE`,
      `cannot read ${file}: ${(error as Error).message}`,
    );
  }
}

function nonEmpty(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

type Parsed = { key: KeyObject; isPrivate: boolean };

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/**
 * PEM blocks (PKCS#8 or SEC1 private keys, SPKI public keys, X.509 certificates, whose
 * public key is taken: what Helm's `genPrivateKey` and `genSelfSignedCertWithKey` make),
 * a JWK, or a JWK Set, as Node reads them.
 */
function parseKeys(material: string, variable: string): Parsed[] {
  const text = material.trim();
  try {
    if (text.startsWith('{')) {
      const json = JSON.parse(text) as JsonWebKey & { keys?: unknown };
      const jwks = Array.isArray(json.keys) ? (json.keys as JsonWebKey[]) : [json];
      return jwks.map((jwk) =>
        jwk.d === undefined
          ? { key: createPublicKey({ key: jwk, format: 'jwk' }), isPrivate: false }
          : { key: createPrivateKey({ key: jwk, format: 'jwk' }), isPrivate: true },
      );
    }
    // `openssl ecparam -genkey` writes the curve's parameters ahead of the key: no key, skipped.
    const blocks = [...text.matchAll(PEM_BLOCK)].filter(([, label]) => label !== 'EC PARAMETERS');
    if (blocks.length === 0) throw new Error('neither PEM nor JSON (a JWK or a JWK Set)');
    return blocks.map(([pem, label]) =>
      label?.includes('PRIVATE')
        ? { key: createPrivateKey(pem), isPrivate: true }
        : { key: createPublicKey(pem), isPrivate: false },
    );
  } catch (error) {
    throw new InvalidKeyMaterial(variable, `not a usable key: ${(error as Error).message}`);
  }
}

/** What a key is, in the words an operator reads in `openssl` output: `an RSA key`, `an EC key on secp384r1`. */
function describeKey(key: KeyObject): string {
  const type = key.asymmetricKeyType;
  if (type === 'ec')
    return `an EC key on ${key.asymmetricKeyDetails?.namedCurve ?? 'an unnamed curve'}`;
  if (type === undefined) return 'a symmetric key';
  const name = type.toUpperCase();
  return `${/^[AEFHILMNORSX]/.test(name) ? 'an' : 'a'} ${name} key`;
}

function algorithmOf(key: KeyObject, variable: string): IdentityAlgorithm {
  if (key.asymmetricKeyType === 'ed25519') return 'EdDSA';
  if (key.asymmetricKeyType === 'ec' && key.asymmetricKeyDetails?.namedCurve === 'prime256v1')
    return 'ES256';
  throw new InvalidKeyMaterial(
    variable,
    `${describeKey(key)} is not supported; use EC P-256 (ES256) or Ed25519 (EdDSA)`,
  );
}

async function identityKey(
  key: KeyObject,
  publicKey: KeyObject,
  variable: string,
): Promise<IdentityKey> {
  const alg = algorithmOf(key, variable);
  const publicJwk = publicKey.export({ format: 'jwk' }) as JWK;
  return {
    kid: await calculateJwkThumbprint(publicJwk),
    alg,
    publicJwk,
    key: (await importJWK(key.export({ format: 'jwk' }) as JWK, alg, {
      extractable: false,
    })) as CryptoKey,
  };
}

/** A signer's one key (the gateway's, or a service's that calls another as itself): exactly one private key. */
export async function loadSigningKey(material: string, variable: string): Promise<IdentityKey> {
  const keys = parseKeys(material, variable);
  const [only] = keys;
  if (keys.length !== 1 || !only)
    throw new InvalidKeyMaterial(variable, `holds ${keys.length} keys; a signer signs with one`);
  if (!only.isPrivate)
    throw new InvalidKeyMaterial(variable, 'holds a public key; signing needs the private key');
  return identityKey(only.key, createPublicKey(only.key), variable);
}

/**
 * A verification set (the gateway's keys, or a calling service's): public keys only, every
 * one accepted (the old and the new during a rollover). A private key here is refused
 * rather than reduced to its public half: a service that held the gateway's private key
 * could mint identities, or one that held another service's could act as that service,
 * which is what this design takes away from services.
 */
export async function loadVerificationKeys(
  material: string,
  variable: string,
): Promise<IdentityKey[]> {
  const parsed = parseKeys(material, variable);
  if (parsed.some((key) => key.isPrivate))
    throw new InvalidKeyMaterial(
      variable,
      'holds a private key; a service verifies with public keys only',
    );
  const keys = await Promise.all(parsed.map(({ key }) => identityKey(key, key, variable)));
  // The same key listed twice (say, in PEM and as a JWK) is one key.
  return [...new Map(keys.map((key) => [key.kid, key])).values()];
}

/** A service name as it appears in an audience, an issuer and a subject: `change`, `cmdb`. */
const SERVICE_NAME = /^[a-z][a-z0-9-]{0,62}$/;

export function isServiceName(value: string): boolean {
  return SERVICE_NAME.test(value);
}

/**
 * The public keys of the services a service accepts calls from as themselves (ADR 12), by
 * calling service: a JSON object whose values are what {@link loadVerificationKeys} reads
 * (PEM, a JWK or a JWK Set, as a string), or a JWK or JWK Set as JSON itself, e.g.
 * `{"change": {"keys": [...]}}`. Each service's keys are named in errors as
 * `<variable> (<service>)`.
 */
export async function loadTrustedServiceKeys(
  material: string,
  variable: string,
): Promise<Map<string, IdentityKey[]>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(material);
  } catch (error) {
    throw new InvalidKeyMaterial(
      variable,
      `not JSON (an object of service name to keys): ${(error as Error).message}`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new InvalidKeyMaterial(variable, 'must be a JSON object of service name to keys');
  const trusted = new Map<string, IdentityKey[]>();
  for (const [service, keys] of Object.entries(parsed)) {
    if (!isServiceName(service))
      throw new InvalidKeyMaterial(variable, `"${service}" is not a service name`);
    const name = `${variable} (${service})`;
    if (typeof keys !== 'string' && (typeof keys !== 'object' || keys === null))
      throw new InvalidKeyMaterial(name, 'must be PEM, a JWK or a JWK Set');
    trusted.set(
      service,
      await loadVerificationKeys(typeof keys === 'string' ? keys : JSON.stringify(keys), name),
    );
  }
  return trusted;
}
