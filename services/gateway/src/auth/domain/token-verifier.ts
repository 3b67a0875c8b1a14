import {
  decodeProtectedHeader,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type ResolvedKey,
} from 'jose';
import { LRUCache } from 'lru-cache';
import { SERVICE_SUBJECT_PREFIX, isRole, type Caller } from '@itsm/auth';

export interface VerificationSettings {
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  usernameClaim: string;
  rolesClaim: string;
  groupsClaim: string;
  now?: () => Date;
  /** Tokens whose verification is remembered, least recently used out first (0: none). */
  cacheSize?: number;
}

/** What the key set resolves a token's header to: the key its signature was checked with. */
type VerificationKey = ResolvedKey['key'];

/** A verified token: its caller, and what the verification held under. */
interface Verified {
  caller: Caller;
  /** The key the signature verified with: the token is reused only while the key set still resolves to it. */
  key: VerificationKey;
  /** When it was verified (ms): a clock set back before that does not reuse it. */
  verifiedAt: number;
  /** Its `exp` (ms), without the clock skew. */
  expiresAt: number;
}

/** Asymmetric algorithms only: `none` and shared-secret (HS*) tokens are refused. */
const ACCEPTED_ALGORITHMS = [
  'ES256',
  'ES384',
  'ES512',
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'EdDSA',
];

/** Each request gets a caller of its own: nothing one request does to it reaches another. */
function copyOf(caller: Caller): Caller {
  return { ...caller, roles: [...caller.roles], groups: [...caller.groups] };
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return value.split(/[\s,]+/).filter(Boolean);
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

/**
 * Verifies OIDC bearer tokens against the issuer's key set: signature, issuer, audience,
 * expiry and not-before (with the configured clock skew). The key set is whatever the
 * gateway is configured with; in local mode it is the local issuer's published JWKS, so
 * local and production tokens take the same path.
 */
export class TokenVerifier {
  private readonly verified: LRUCache<string, Verified> | undefined;
  private signaturesChecked = 0;

  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly settings: VerificationSettings,
  ) {
    const size = settings.cacheSize ?? 0;
    this.verified = size > 0 ? new LRUCache<string, Verified>({ max: size }) : undefined;
  }

  /**
   * The caller a token stands for, once its signature, issuer, audience, expiry and
   * not-before check out. A token verified before (the same string) is not checked again
   * while three things hold: the clock is before its `exp` (the clock skew is not granted to
   * a remembered token), not before the moment it was verified, and the key set still
   * resolves its header to the very key its signature verified with. A key the issuer
   * withdraws or replaces therefore stops admitting remembered tokens exactly when it
   * stops admitting new ones (the key set's own cache, AUTH_JWKS_CACHE_SECONDS, decides
   * both). There is no revocation list with or without it: an access token is good until
   * it expires.
   */
  async verify(token: string): Promise<Caller> {
    const now = (this.settings.now?.() ?? new Date()).getTime();
    const known = this.verified?.get(token);
    if (known && now >= known.verifiedAt && now < known.expiresAt) {
      if ((await this.currentKeyOf(token)) === known.key) return copyOf(known.caller);
      this.verified?.delete(token);
    }
    this.signaturesChecked += 1;
    const { payload, key } = await jwtVerify(token, this.keys, {
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: this.settings.clockSkewSeconds,
      currentDate: this.settings.now?.(),
    });
    const caller = this.callerOf(payload);
    if (this.verified && typeof payload.exp === 'number' && payload.exp * 1000 > now) {
      this.verified.set(token, {
        caller: copyOf(caller),
        key,
        verifiedAt: now,
        expiresAt: payload.exp * 1000,
      });
    }
    return caller;
  }

  /** Tokens verified in full (signature and claims) since start: those not taken from the cache. */
  get fullVerifications(): number {
    return this.signaturesChecked;
  }

  /** The key the key set resolves the token's header to now, or undefined when it resolves to none. */
  private async currentKeyOf(token: string): Promise<unknown> {
    const [protectedHeader = '', payload = '', signature = ''] = token.split('.');
    try {
      const header = decodeProtectedHeader(token);
      if (typeof header.alg !== 'string') return undefined;
      return await this.keys(
        { ...header, alg: header.alg },
        { protected: protectedHeader, payload, signature },
      );
    } catch {
      return undefined;
    }
  }

  private callerOf(payload: JWTPayload): Caller {
    const username = payload[this.settings.usernameClaim] ?? payload.sub;
    if (typeof username !== 'string' || username.length === 0)
      throw new Error('the token names no user');
    // Reserved for the platform's services calling each other (ADR 12): a person so named
    // would read as a service in every record and log they touch.
    if (username.startsWith(SERVICE_SUBJECT_PREFIX))
      throw new Error(`the token names a user in the services' namespace (${username})`);
    return {
      username,
      // Roles the platform does not know are ignored rather than trusted.
      roles: stringList(payload[this.settings.rolesClaim]).filter(isRole),
      groups: stringList(payload[this.settings.groupsClaim]),
      kind: 'user',
    };
  }
}
