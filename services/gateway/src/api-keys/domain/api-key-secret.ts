import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** `itsm_<prefix>_<secret>`: the prefix finds the key, the secret proves it; only the secret's hash is stored. */
const KEY_PATTERN = /^itsm_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface NewApiKeySecret {
  prefix: string;
  /** Shown to its creator once, never stored. */
  key: string;
  hash: string;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function generateApiKeySecret(): NewApiKeySecret {
  const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
  const secret = randomBytes(32).toString('base64url');
  return { prefix, key: `itsm_${prefix}_${secret}`, hash: hashSecret(secret) };
}

export function parseApiKey(key: string): { prefix: string; secret: string } | undefined {
  const match = KEY_PATTERN.exec(key);
  return match ? { prefix: match[1], secret: match[2] } : undefined;
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}
