import { SignJWT, jwtVerify } from 'jose';
import { type Caller } from './caller';

export const CALLER_HEADER = 'x-itsm-caller';
const ISSUER = 'urn:itsm:gateway';
const AUDIENCE = 'urn:itsm:services';
const ALGORITHM = 'HS256';
const LIFETIME_SECONDS = 60;
export const MIN_SECRET_LENGTH = 32;

export class InvalidInternalIdentity extends Error {
  constructor(reason: string) {
    super(`invalid internal identity: ${reason}`);
    this.name = 'InvalidInternalIdentity';
  }
}

function keyOf(secret: string): Uint8Array {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`the internal token secret must have at least ${MIN_SECRET_LENGTH} characters`);
  return new TextEncoder().encode(secret);
}

/**
 * The identity the gateway forwards to services: a short-lived token signed with a secret
 * shared only by the platform's own processes. A service accepts no request without one,
 * so nobody reaches a service around the gateway.
 */
export class InternalIdentitySigner {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = keyOf(secret);
  }

  sign(caller: Caller): Promise<string> {
    return new SignJWT({ roles: caller.roles, groups: caller.groups, kind: caller.kind })
      .setProtectedHeader({ alg: ALGORITHM })
      .setSubject(caller.username)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime(`${LIFETIME_SECONDS}s`)
      .sign(this.key);
  }
}

export class InternalIdentityVerifier {
  private readonly key: Uint8Array;

  constructor(secret: string) {
    this.key = keyOf(secret);
  }

  async verify(token: string | undefined): Promise<Caller> {
    if (!token) throw new InvalidInternalIdentity('missing');
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [ALGORITHM],
        clockTolerance: 5,
      });
      const strings = (value: unknown): string[] =>
        Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
      if (typeof payload.sub !== 'string' || payload.sub.length === 0)
        throw new InvalidInternalIdentity('no subject');
      return {
        username: payload.sub,
        roles: strings(payload.roles),
        groups: strings(payload.groups),
        kind: payload.kind === 'api_key' ? 'api_key' : 'user',
      };
    } catch (error) {
      if (error instanceof InvalidInternalIdentity) throw error;
      throw new InvalidInternalIdentity(error instanceof Error ? error.message : String(error));
    }
  }
}
