import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { SERVICE_SUBJECT_PREFIX, serviceSubject, type Caller } from '../caller';
import { isServiceName, type IdentityKey } from './keys';
import { ReplayCache } from './replay-cache';

export const CALLER_HEADER = 'x-itsm-caller';
const GATEWAY_ISSUER = 'urn:itsm:gateway';
/** Explicit typing (RFC 8725 §3.11): no other JWT, say a user's access token, passes for a caller identity. */
const TOKEN_TYPE = 'itsm-caller+jwt';
/** The longest lifetime a signer may give an identity, and the longest a service accepts. */
export const MAX_IDENTITY_LIFETIME_SECONDS = 60;
/** Between the platform's own hosts, clocks synchronised by NTP differ by far less. */
const IDENTITY_CLOCK_TOLERANCE_SECONDS = 2;

/** The audience of an identity minted for one service: it is worth nothing at another. */
export function identityAudience(service: string): string {
  return `urn:itsm:service:${service}`;
}

/**
 * The issuer of the identity a service signs for itself when it calls another (ADR 12).
 * The same URN as its audience: the name stands for the service, whichever side it is on.
 */
export function serviceIdentityIssuer(service: string): string {
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

/** The one way identities are minted, by the gateway and by services alike: bound, single-use, short-lived. */
class BoundIdentityMinter {
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

  mint(
    claims: JWTPayload,
    identity: { issuer: string; subject: string },
    request: IdentityBinding & { service: string },
  ): Promise<string> {
    const issuedAt = Math.floor(this.now() / 1000);
    return new SignJWT({
      ...claims,
      htm: request.method.toUpperCase(),
      htu: request.target,
    })
      .setProtectedHeader({ alg: this.signingKey.alg, kid: this.signingKey.kid, typ: TOKEN_TYPE })
      .setSubject(identity.subject)
      .setIssuer(identity.issuer)
      .setAudience(identityAudience(request.service))
      .setJti(randomUUID())
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.options.ttlSeconds)
      .sign(this.signingKey.key);
  }
}

/**
 * The gateway's half: signs the caller it authenticated with its private key, for one
 * request (method, path and query) to one service, once. Only the gateway holds the key.
 */
export class InternalIdentitySigner {
  private readonly minter: BoundIdentityMinter;

  constructor(signingKey: IdentityKey, options: SignerOptions) {
    this.minter = new BoundIdentityMinter(signingKey, options);
  }

  get kid(): string {
    return this.minter.kid;
  }

  sign(caller: Caller, request: IdentityBinding & { service: string }): Promise<string> {
    // People and API keys only: a service speaks for itself with its own key (ADR 12), and
    // nobody from outside may be passed on as one.
    if (caller.kind === 'service' || caller.username.startsWith(SERVICE_SUBJECT_PREFIX))
      return Promise.reject(new Error('the gateway does not sign identities of services'));
    return this.minter.mint(
      { roles: caller.roles, groups: caller.groups, kind: caller.kind },
      { issuer: GATEWAY_ISSUER, subject: caller.username },
      request,
    );
  }
}

export interface ServiceSignerOptions extends SignerOptions {
  /** The service signing: its identities name it as issuer and subject. */
  service: string;
}

/**
 * A service's identity as itself, for one request (method, path and query) to one other
 * service, once (ADR 12). It carries no roles or groups: the service called grants the
 * caller what `SERVICE_PERMISSIONS` says, by the name its key is trusted under.
 */
export class ServiceIdentitySigner {
  private readonly minter: BoundIdentityMinter;

  constructor(
    signingKey: IdentityKey,
    private readonly options: ServiceSignerOptions,
  ) {
    if (!isServiceName(options.service))
      throw new Error(`"${options.service}" is not a service name`);
    this.minter = new BoundIdentityMinter(signingKey, options);
  }

  get kid(): string {
    return this.minter.kid;
  }

  /** The service this signer speaks for. */
  get service(): string {
    return this.options.service;
  }

  /** An identity for `request` at `request.service`, the service called. */
  sign(request: IdentityBinding & { service: string }): Promise<string> {
    return this.minter.mint(
      { kind: 'service' },
      {
        issuer: serviceIdentityIssuer(this.options.service),
        subject: serviceSubject(this.options.service),
      },
      request,
    );
  }
}

export interface VerifierOptions {
  /** The service verifying: identities minted for another service are refused. */
  service: string;
  /** The most unexpired identities remembered against replay (see {@link ReplayCache}). */
  replayCacheSize: number;
  /**
   * The services this one takes calls from as themselves (ADR 12), each with its public
   * keys. None by default: then only the gateway's identities are accepted.
   */
  trustedServices?: ReadonlyMap<string, readonly IdentityKey[]>;
  now?: () => number;
}

/** Whose a key is: the gateway's, or a trusted service's (by name). */
interface TrustedKey {
  key: IdentityKey;
  issuer: string;
  service?: string;
}

/**
 * A service's half: accepts an identity signed by any key of the gateway's verification set
 * (two during a rollover), or by a key of a service it trusts, as that service (ADR 12);
 * minted for this service and this very request, not expired, and not seen before by this
 * process. Each key verifies only its owner's identities: a service's key never passes for
 * the gateway's, nor for another service's.
 */
export class InternalIdentityVerifier {
  private readonly keys = new Map<string, TrustedKey>();
  private readonly replays: ReplayCache;
  private readonly now: () => number;

  constructor(
    gatewayKeys: readonly IdentityKey[],
    private readonly options: VerifierOptions,
  ) {
    if (gatewayKeys.length === 0)
      throw new Error('verifying internal identities needs at least one key');
    for (const key of gatewayKeys) this.trust({ key, issuer: GATEWAY_ISSUER });
    for (const [service, keys] of options.trustedServices ?? []) {
      if (!isServiceName(service)) throw new Error(`"${service}" is not a service name`);
      for (const key of keys) this.trust({ key, issuer: serviceIdentityIssuer(service), service });
    }
    this.replays = new ReplayCache(options.replayCacheSize);
    this.now = options.now ?? Date.now;
  }

  /** The gateway's key ids accepted, for the start-up log. */
  get kids(): string[] {
    return [...this.keys.values()].filter((entry) => !entry.service).map((entry) => entry.key.kid);
  }

  /** The key ids accepted from each trusted service, for the start-up log. */
  get serviceKids(): Map<string, string[]> {
    const kids = new Map<string, string[]>();
    for (const { key, service } of this.keys.values())
      if (service) kids.set(service, [...(kids.get(service) ?? []), key.kid]);
    return kids;
  }

  /**
   * One key, one owner: a key listed for two (the gateway and a service, or two services)
   * would let one act as the other, so it is a configuration error, not a choice to make.
   */
  private trust(entry: TrustedKey): void {
    const known = this.keys.get(entry.key.kid);
    if (known && known.issuer !== entry.issuer)
      throw new Error(
        `the key ${entry.key.kid} is trusted as ${ownerOf(known)} and as ${ownerOf(entry)}; each signer needs a key of its own`,
      );
    this.keys.set(entry.key.kid, entry);
  }

  async verify(token: string | undefined, request: IdentityBinding): Promise<Caller> {
    if (!token) throw new InvalidInternalIdentity('missing');
    const now = this.now();
    const { payload, signer } = await this.verifySignature(token, now);
    const caller = callerOf(payload, signer);
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
    return caller;
  }

  private async verifySignature(
    token: string,
    now: number,
  ): Promise<{ payload: JWTPayload; signer: TrustedKey }> {
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(token).kid;
    } catch {
      throw new InvalidInternalIdentity('malformed');
    }
    const signer = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (!signer) throw new InvalidInternalIdentity(`signed with an unknown key (${String(kid)})`);
    try {
      const { payload } = await jwtVerify(token, signer.key.key, {
        algorithms: [signer.key.alg],
        typ: TOKEN_TYPE,
        // The key's owner, not whatever the token claims: a service's key signs only as that service.
        issuer: signer.issuer,
        audience: identityAudience(this.options.service),
        requiredClaims: ['sub', 'jti', 'iat', 'exp'],
        clockTolerance: IDENTITY_CLOCK_TOLERANCE_SECONDS,
        currentDate: new Date(now),
      });
      return { payload, signer };
    } catch (error) {
      throw new InvalidInternalIdentity((error as Error).message);
    }
  }
}

function ownerOf(entry: TrustedKey): string {
  return entry.service ? `the ${entry.service} service’s` : 'the gateway’s';
}

/**
 * The caller an identity stands for. The gateway's: the person or API key it names, with
 * their roles and groups, never a service. A service's: that service, by the name its key
 * is trusted under, with no roles or groups whatever the token holds.
 */
function callerOf(payload: JWTPayload, signer: TrustedKey): Caller {
  if (typeof payload.sub !== 'string' || payload.sub.length === 0)
    throw new InvalidInternalIdentity('no subject');
  if (signer.service) {
    if (payload.kind !== 'service' || payload.sub !== serviceSubject(signer.service))
      throw new InvalidInternalIdentity(`not an identity of the ${signer.service} service`);
    return { username: payload.sub, roles: [], groups: [], kind: 'service' };
  }
  if (payload.kind === 'service' || payload.sub.startsWith(SERVICE_SUBJECT_PREFIX))
    throw new InvalidInternalIdentity('the gateway does not speak for services');
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return {
    username: payload.sub,
    roles: strings(payload.roles),
    groups: strings(payload.groups),
    kind: payload.kind === 'api_key' ? 'api_key' : 'user',
  };
}
