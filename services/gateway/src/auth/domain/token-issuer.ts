import { generateKeyPairSync, randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, type JSONWebKeySet } from 'jose';
import { loadSigningKey, type IdentityKey } from '@itsm/auth';
import { findSeededUser, type SeededUser } from '../../directory/domain/seed';

export interface IssuedToken {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

export interface IssuerSettings {
  issuer: string;
  audience: string;
  ttlSeconds: number;
  devPassword: string;
  /** The clock tokens are issued against. */
  now?: () => Date;
}

function passwordMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Where the local issuer's signing key comes from: PEM (SEC1, PKCS#8) or a JWK, EC P-256 or Ed25519. */
export const AUTH_SIGNING_KEY = 'AUTH_SIGNING_KEY';

/**
 * The local issuer (`AUTH_MODE=local`): signs tokens for the seeded users and publishes the
 * public key as a JWKS. Tokens are verified like any OIDC issuer's, against that JWKS.
 * The key is `AUTH_SIGNING_KEY` when given, so that every gateway replica issues tokens the
 * others accept and tokens outlive a restart; without it (development only) a key is made
 * at start and dies with the process. The key id is the key's RFC 7638 thumbprint, the same
 * in every replica.
 */
export class LocalTokenIssuer {
  private constructor(
    private readonly settings: IssuerSettings,
    private readonly signingKey: IdentityKey,
    readonly jwks: JSONWebKeySet,
  ) {}

  /** `signingKey`: the material of {@link AUTH_SIGNING_KEY}; undefined makes a key for this process alone. */
  static async create(settings: IssuerSettings, signingKey?: string): Promise<LocalTokenIssuer> {
    const material =
      signingKey ??
      generateKeyPairSync('ec', { namedCurve: 'P-256' })
        .privateKey.export({ type: 'pkcs8', format: 'pem' })
        .toString();
    const key = await loadSigningKey(material, AUTH_SIGNING_KEY);
    const publicJwk = { ...key.publicJwk, kid: key.kid, alg: key.alg, use: 'sig' };
    return new LocalTokenIssuer(settings, key, { keys: [publicJwk] });
  }

  /** The id of the key tokens are signed with, as the JWKS lists it. */
  get kid(): string {
    return this.signingKey.kid;
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

  private sign(user: SeededUser): Promise<string> {
    const issuedAt = Math.floor((this.settings.now?.() ?? new Date()).getTime() / 1000);
    return new SignJWT({
      preferred_username: user.username,
      roles: user.roles,
      groups: user.groups,
    })
      .setProtectedHeader({ alg: this.signingKey.alg, kid: this.signingKey.kid, typ: 'JWT' })
      .setSubject(user.username)
      .setIssuer(this.settings.issuer)
      .setAudience(this.settings.audience)
      .setIssuedAt(issuedAt)
      .setNotBefore(issuedAt)
      .setExpirationTime(issuedAt + this.settings.ttlSeconds)
      .setJti(randomUUID())
      .sign(this.signingKey.key);
  }
}
