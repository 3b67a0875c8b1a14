import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { type Caller } from '../caller';
import { type IdentityKey } from './keys';
import { ReplayCache } from './replay-cache';

export const CALLER_HEADER = 'x-itsm-caller';
const ISSUER = 'urn:itsm:gateway';
/** Explicit typing (RFC 8725 §3.11): no other JWT, say a user's access token, passes for a caller identity. */
const TOKEN_TYPE = 'itsm-caller+jwt';
/** The longest lifetime the gateway may give an identity, and the longest a service accepts. */
export const MAX_IDENTITY_LIFETIME_SECONDS = 60;
/** Between the platform's own hosts, clocks synchronised by NTP differ by far less. */
const IDENTITY_CLOCK_TOLERANCE_SECONDS = 2;

/** The audience of an identity minted for one service: it is worth nothing at another. */
export function identityAudience(service: string): string {
  return `urn:itsm:service:${service}`;
}

/** The request an identity is minted for: it is good for this one only. */
export interface IdentityBinding {
  method: string;
  /** Path and query exactly as sent on the request line, e.g. `/api/v1/incidents?limit=10`. */
  target: string;
}

export class InvalidInternalIdentity extends Error {
  constructor(reason: string) {
    super(`invalid internal identity: ${reason}`);
    this.name = 'InvalidInternalIdentity';
  }
}

export interface SignerOptions {
  /** Seconds the identity is valid: long enough for the request to reach the service. */
  ttlSeconds: number;
  now?: () => number;
}

/**
 * The gateway's half: signs the caller it authenticated with its private key, for one
 * request (method, path and query) to one service, once. Only the gateway holds the key.
 */
export class InternalIdentitySigner {
  private readonly now: () => number;

  constructor(
    private readonly signingKey: IdentityKey,
    private readonly options: SignerOptions,
  ) {
    if (signingKey.key.type !== 'private')
      throw new Error('signing an internal identity needs the private key');
    if (options.ttlSeconds < 1 || options.ttlSeconds > MAX_IDENTITY_LIFETIME_SECONDS)
      throw new Error(`an identity lives 1 to ${MAX_IDENTITY_LIFETIME_SECONDS} seconds`);
    this.now = options.now ?? Date.now;
  }

  get kid(): string {
    return this.signingKey.kid;
  }

  sign(caller: Caller, request: IdentityBinding & { service: string }): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    return new SignJWT({
      roles: caller.roles,
      groups: caller.groups,
      kind: caller.kind,
      htm: request.method.toUpperCase(),
      htu: request.target,
    })
      .setProtectedHeader({ alg: this.signingKey.alg, kid: this.signingKey.kid, typ: TOKEN_TYPE })
      .setSubject(caller.username)
      .setIssuer(ISSUER)
      .setAudience(identityAudience(request.service))
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.options.ttlSeconds)
      .sign(this.signingKey.key);
  }
}

export interface VerifierOptions {
  /** The service verifying: identities minted for another service are refused. */
  service: string;
  /** The most unexpired identities remembered against replay (see {@link ReplayCache}). */
  replayCacheSize: number;
  now?: () => number;
}

/**
 * A service's half: accepts an identity signed by any key of its verification set (two
 * during a rollover), minted for this service and this very request, not expired, and not
 * seen before by this process.
 */
export class InternalIdentityVerifier {
  private readonly keys: ReadonlyMap<string, IdentityKey>;
  private readonly replays: ReplayCache;
  private readonly now: () => number;

  constructor(
    keys: readonly IdentityKey[],
    private readonly options: VerifierOptions,
  ) {
    if (keys.length === 0) throw new Error('verifying internal identities needs at least one key');
    this.keys = new Map(keys.map((key) => [key.kid, key]));
    this.replays = new ReplayCache(options.replayCacheSize);
    this.now = options.now ?? Date.now;
  }

  /** The key ids accepted, for the start-up log. */
  get kids(): string[] {
    return [...this.keys.keys()];
  }

  async verify(token: string | undefined, request: IdentityBinding): Promise<Caller> {
    if (!token) throw new InvalidInternalIdentity('missing');
    const now = this.now();
    const { payload } = await this.verifySignature(token, now);
    if (typeof payload.sub !== 'string' || payload.sub.length === 0)
      throw new InvalidInternalIdentity('no subject');
    const issuedAt = payload.iat as number;
    const expiresAt = payload.exp as number;
    if (expiresAt - issuedAt > MAX_IDENTITY_LIFETIME_SECONDS)
      throw new InvalidInternalIdentity('lives longer than an identity may');
    if (payload.htm !== request.method.toUpperCase())
      throw new InvalidInternalIdentity(`minted for ${String(payload.htm)}, not ${request.method}`);
    if (payload.htu !== request.target)
      throw new InvalidInternalIdentity('minted for another path or query');
    // Last, so that only an identity good in every other respect takes a place in the cache.
    const expiry = (expiresAt + IDENTITY_CLOCK_TOLERANCE_SECONDS) * 1000;
    if (!this.replays.remember(payload.jti as string, expiry, now))
      throw new InvalidInternalIdentity('replayed');
    const strings = (value: unknown): string[] =>
      Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
    return {
      username: payload.sub,
      roles: strings(payload.roles),
      groups: strings(payload.groups),
      kind: payload.kind === 'api_key' ? 'api_key' : 'user',
    };
  }

  private async verifySignature(token: string, now: number) {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new InvalidInternalIdentity('malformed');
    }
    const key = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (!key) throw new InvalidInternalIdentity(`signed with an unknown key (${String(kid)})`);
    try {
      return await jwtVerify(token, key.key, {
        algorithms: [key.alg],
        typ: TOKEN_TYPE,
        issuer: ISSUER,
        audience: identityAudience(this.options.service),
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        clockTolerance: IDENTITY_CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now),
      });
    } catch (error) {
      throw new InvalidInternalIdentity((error as Error).message);
    }
  }
}
