import { randomUUID, timingSafeEqual } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JSONWebKeySet } from 'jose';
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

const ALGORITHM = 'ES256';

function passwordMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The local development issuer (`AUTH_MODE=local`): signs ES256 tokens for the seeded users
 * with a key generated at start, and publishes the public key as a JWKS. Tokens are
 * verified like any OIDC issuer's, against that JWKS. A restart makes a new key, so
 * tokens do not outlive the gateway process that issued them.
 */
export class LocalTokenIssuer {
  private constructor(
    private readonly settings: IssuerSettings,
    private readonly privateKey: CryptoKey,
    private readonly keyId: string,
    readonly jwks: JSONWebKeySet,
  ) {}

  static async create(settings: IssuerSettings): Promise<LocalTokenIssuer> {
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

  private sign(user: SeededUser): Promise<string> {
    const issuedAt = Math.floor((this.settings.now?.() ?? new Date()).getTime() / 1000);
    return new SignJWT({
      preferred_username: user.username,
      roles: user.roles,
      groups: user.groups,
    })
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
