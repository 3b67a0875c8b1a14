import { randomUUID, timingSafeEqual } from 'node:crypto';
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  createLocalJWKSet,
  jwtVerify,
  type JSONWebKeySet,
  type CryptoKey,
} from 'jose';
import { findSeededUser, type SeededUser } from './seeded-users';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface VerifiedPrincipal {
  username: string;
  roles: string[];
  groups: string[];
}

export interface TokenSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  devPassword: string;
  /** The clock tokens are issued and checked against. */
  now?: () => Date;
}

const ALGORITHM = 'ES256';

function passwordMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The local development issuer: signs ES256 tokens with a key generated at start and
 * verifies them against its own JWKS, the same path an external OIDC issuer's tokens take.
 */
export class LocalTokenIssuer {
  private constructor(
    private readonly settings: TokenSettings,
    private readonly privateKey: CryptoKey,
    private readonly keyId: string,
    readonly jwks: JSONWebKeySet,
  ) {}

  static async create(settings: TokenSettings): Promise<LocalTokenIssuer> {
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const keyId = randomUUID();
    const publicJwk = { ...(await exportJWK(publicKey)), kid: keyId, alg: ALGORITHM, use: 'sig' };
    return new LocalTokenIssuer(settings, privateKey, keyId, { keys: [publicJwk] });
  }

  /** Undefined when the user is unknown or the password is wrong; the caller must not say which. */
  async issue(username: string, password: string): Promise<IssuedToken | undefined> {
    const user = findSeededUser(username);
    if (!user || !passwordMatches(password, this.settings.devPassword)) return undefined;
    return {
      accessToken: await this.sign(user),
      tokenType: 'Bearer',
      expiresIn: this.settings.ttlSeconds,
    };
  }

  /** Throws when the token is unsigned, wrongly signed, expired, not yet valid, or for another issuer or audience. */
  async verify(token: string): Promise<VerifiedPrincipal> {
    const { payload } = await jwtVerify(token, createLocalJWKSet(this.jwks), {
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      algorithms: [ALGORITHM],
      clockTolerance: 30,
      currentDate: this.now(),
    });
    if (typeof payload.sub !== 'string') throw new Error('the token has no subject');
    const roles = Array.isArray(payload.roles)
      ? payload.roles.filter((r): r is string => typeof r === 'string')
      : [];
    const groups = Array.isArray(payload.groups)
      ? payload.groups.filter((g): g is string => typeof g === 'string')
      : [];
    return { username: payload.sub, roles, groups };
  }

  private now(): Date {
    return this.settings.now?.() ?? new Date();
  }

  private sign(user: SeededUser): Promise<string> {
    const issuedAt = Math.floor(this.now().getTime() / 1000);
    return new SignJWT({ roles: user.roles, groups: user.groups })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.keyId, typ: 'JWT' })
      .setSubject(user.username)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + this.settings.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.privateKey);
  }
}
