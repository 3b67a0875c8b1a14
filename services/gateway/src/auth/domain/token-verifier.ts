import { jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { SERVICE_SUBJECT_PREFIX, isRole, type Caller } from '@itsm/auth';

export interface VerificationSettings {
  issuer: string;
  audience: string;
  clockSkewSeconds: number;
  usernameClaim: string;
  rolesClaim: string;
  groupsClaim: string;
  now?: () => Date;
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
  constructor(
    private readonly keys: JWTVerifyGetKey,
    private readonly settings: VerificationSettings,
  ) {}

  async verify(token: string): Promise<Caller> {
    const { payload } = await jwtVerify(token, this.keys, {
      issuer: this.settings.issuer,
      audience: this.settings.audience,
      algorithms: ACCEPTED_ALGORITHMS,
      clockTolerance: this.settings.clockSkewSeconds,
      currentDate: this.settings.now?.(),
    });
    return this.callerOf(payload);
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
