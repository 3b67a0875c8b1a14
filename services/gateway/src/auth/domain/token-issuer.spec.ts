import { generateKeyPairSync } from 'node:crypto';
import { SignJWT, createLocalJWKSet, generateKeyPair } from 'jose';
import { LocalTokenIssuer } from './token-issuer';
import { TokenVerifier, type VerificationSettings } from './token-verifier';

const issuerSettings = {
  issuer: 'urn:itsm:gateway',
  audience: 'itsm-api',
  ttlSeconds: 600,
  devPassword: 'secret',
};

function verifierFor(
  issuer: LocalTokenIssuer,
  overrides: Partial<VerificationSettings> = {},
): TokenVerifier {
  return new TokenVerifier(createLocalJWKSet(issuer.jwks), {
    issuer: 'urn:itsm:gateway',
    audience: 'itsm-api',
    clockSkewSeconds: 30,
    usernameClaim: 'preferred_username',
    rolesClaim: 'roles',
    groupsClaim: 'groups',
    ...overrides,
  });
}

describe('local tokens, verified as any OIDC issuer’s are', () => {
  let issuer: LocalTokenIssuer;
  let verifier: TokenVerifier;

  beforeAll(async () => {
    issuer = await LocalTokenIssuer.create(issuerSettings);
    verifier = verifierFor(issuer);
  });

  it('issues a token for a seeded user that verifies back to the user, roles and groups', async () => {
    const token = await issuer.issue('agent', 'secret');
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 600 });
    await expect(verifier.verify(token!.accessToken)).resolves.toEqual({
      username: 'agent',
      roles: ['agent'],
      groups: ['service-desk'],
      kind: 'user',
    });
  });

  it('issues nothing for a wrong password or an unknown user', async () => {
    await expect(issuer.issue('agent', 'Secret')).resolves.toBeUndefined();
    await expect(issuer.issue('mallory', 'secret')).resolves.toBeUndefined();
  });

  it('publishes a public JWKS without private parts', () => {
    expect(issuer.jwks.keys).toHaveLength(1);
    expect(issuer.jwks.keys[0]).toMatchObject({ kty: 'EC', alg: 'ES256', use: 'sig' });
    expect(issuer.jwks.keys[0]).not.toHaveProperty('d');
  });

  it('refuses a token signed by a key outside the key set', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: issuer.jwks.keys[0].kid! })
      .setSubject('admin')
      .setIssuer(issuerSettings.issuer)
      .setAudience(issuerSettings.audience)
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(verifier.verify(forged)).rejects.toThrow();
  });

  it('refuses a token for another audience or from another issuer', async () => {
    const token = (await issuer.issue('admin', 'secret'))!.accessToken;
    await expect(verifierFor(issuer, { audience: 'someone-else' }).verify(token)).rejects.toThrow(
      /aud/,
    );
    await expect(
      verifierFor(issuer, { issuer: 'https://elsewhere' }).verify(token),
    ).rejects.toThrow(/iss/);
  });

  it('refuses an unsigned token', async () => {
    const token = (await issuer.issue('admin', 'secret'))!.accessToken;
    const [, payload] = token.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    await expect(verifier.verify(unsigned)).rejects.toThrow();
  });

  it('refuses an expired or not yet valid token, within the clock skew allowed', async () => {
    let now = new Date('2026-11-22T10:00:00Z');
    const clocked = await LocalTokenIssuer.create({
      ...issuerSettings,
      ttlSeconds: 60,
      now: () => now,
    });
    const clockedVerifier = verifierFor(clocked, { now: () => now });
    const token = (await clocked.issue('admin', 'secret'))!.accessToken;
    now = new Date('2026-11-22T10:01:20Z');
    await expect(clockedVerifier.verify(token)).resolves.toMatchObject({ username: 'admin' });
    now = new Date('2026-11-22T10:02:00Z');
    await expect(clockedVerifier.verify(token)).rejects.toThrow(/exp/);
    now = new Date('2026-11-22T09:58:00Z');
    await expect(clockedVerifier.verify(token)).rejects.toThrow(/nbf|iat/);
  });

  it('ignores roles the platform does not know', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { exportJWK } = await import('jose');
    const keys = createLocalJWKSet({
      keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }],
    });
    const token = await new SignJWT({ preferred_username: 'ops', roles: 'agent superuser' })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('urn:itsm:gateway')
      .setAudience('itsm-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    const caller = await new TokenVerifier(keys, {
      issuer: 'urn:itsm:gateway',
      audience: 'itsm-api',
      clockSkewSeconds: 0,
      usernameClaim: 'preferred_username',
      rolesClaim: 'roles',
      groupsClaim: 'groups',
    }).verify(token);
    expect(caller).toEqual({ username: 'ops', roles: ['agent'], groups: [], kind: 'user' });
  });

  it('refuses a user named like a service, so that nobody from outside passes for one', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const { exportJWK } = await import('jose');
    const keys = createLocalJWKSet({
      keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }],
    });
    const token = await new SignJWT({ preferred_username: 'service:change', roles: ['admin'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1' })
      .setIssuer('urn:itsm:gateway')
      .setAudience('itsm-api')
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(
      new TokenVerifier(keys, {
        issuer: 'urn:itsm:gateway',
        audience: 'itsm-api',
        clockSkewSeconds: 0,
        usernameClaim: 'preferred_username',
        rolesClaim: 'roles',
        groupsClaim: 'groups',
      }).verify(token),
    ).rejects.toThrow(/services' namespace/);
  });
});

describe('the local issuer’s key from AUTH_SIGNING_KEY', () => {
  // As a Helm chart's genPrivateKey "ecdsa" makes it: SEC1 PEM, P-256.
  const sharedKey = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'sec1', format: 'pem' })
    .toString();

  it('lets two gateway replicas accept each other’s tokens', async () => {
    const first = await LocalTokenIssuer.create(issuerSettings, sharedKey);
    const second = await LocalTokenIssuer.create(issuerSettings, sharedKey);
    expect(second.jwks).toEqual(first.jwks);
    const token = await first.issue('agent', 'secret');
    await expect(verifierFor(second).verify(token!.accessToken)).resolves.toMatchObject({
      username: 'agent',
    });
  });

  it('does not let replicas with keys of their own accept each other’s tokens', async () => {
    const first = await LocalTokenIssuer.create(issuerSettings);
    const second = await LocalTokenIssuer.create(issuerSettings);
    const token = await first.issue('agent', 'secret');
    await expect(verifierFor(second).verify(token!.accessToken)).rejects.toThrow();
  });

  it('refuses a key that is not EC P-256 or Ed25519, naming the variable', async () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expect(LocalTokenIssuer.create(issuerSettings, rsa)).rejects.toThrow(
      /^AUTH_SIGNING_KEY: an RSA key is not supported/,
    );
    await expect(LocalTokenIssuer.create(issuerSettings, 'not a key')).rejects.toThrow(
      /^AUTH_SIGNING_KEY: not a usable key/,
    );
  });
});

describe('remembered verifications', () => {
  let now: Date;
  let issuer: LocalTokenIssuer;
  let keySet: ReturnType<typeof createLocalJWKSet>;

  beforeEach(async () => {
    now = new Date('2026-11-22T10:00:00Z');
    issuer = await LocalTokenIssuer.create({ ...issuerSettings, ttlSeconds: 60, now: () => now });
    keySet = createLocalJWKSet(issuer.jwks);
  });

  const cachingVerifier = (cacheSize = 10) =>
    new TokenVerifier((header, token) => keySet(header, token), {
      issuer: 'urn:itsm:gateway',
      audience: 'itsm-api',
      clockSkewSeconds: 30,
      usernameClaim: 'preferred_username',
      rolesClaim: 'roles',
      groupsClaim: 'groups',
      now: () => now,
      cacheSize,
    });

  it('verifies a token presented again only once, and hands each request a caller of its own', async () => {
    const verifier = cachingVerifier();
    const token = (await issuer.issue('agent', 'secret'))!.accessToken;
    const first = await verifier.verify(token);
    first.groups.push('admins');
    await expect(verifier.verify(token)).resolves.toEqual({
      username: 'agent',
      roles: ['agent'],
      groups: ['service-desk'],
      kind: 'user',
    });
    expect(verifier.fullVerifications).toBe(1);
  });

  it('verifies it again from its exp on, where the clock skew still lets it pass, and refuses it after', async () => {
    const verifier = cachingVerifier();
    const token = (await issuer.issue('agent', 'secret'))!.accessToken;
    await verifier.verify(token);
    now = new Date('2026-11-22T10:00:59Z');
    await verifier.verify(token);
    expect(verifier.fullVerifications).toBe(1);
    now = new Date('2026-11-22T10:01:10Z');
    await expect(verifier.verify(token)).resolves.toMatchObject({ username: 'agent' });
    expect(verifier.fullVerifications).toBe(2);
    now = new Date('2026-11-22T10:01:31Z');
    await expect(verifier.verify(token)).rejects.toThrow(/exp/);
  });

  it('stops admitting a remembered token as soon as the key set no longer holds its key', async () => {
    const verifier = cachingVerifier();
    const token = (await issuer.issue('agent', 'secret'))!.accessToken;
    await verifier.verify(token);
    const rotated = await LocalTokenIssuer.create(issuerSettings);
    keySet = createLocalJWKSet(rotated.jwks);
    await expect(verifier.verify(token)).rejects.toThrow();
    keySet = createLocalJWKSet(issuer.jwks);
    await expect(verifier.verify(token)).resolves.toMatchObject({ username: 'agent' });
    expect(verifier.fullVerifications).toBe(3);
  });

  it('does not reuse a verification when the clock goes back before it, nor remember a refusal', async () => {
    const verifier = cachingVerifier();
    const token = (await issuer.issue('agent', 'secret'))!.accessToken;
    await verifier.verify(token);
    now = new Date('2026-11-22T09:58:00Z');
    await expect(verifier.verify(token)).rejects.toThrow(/nbf|iat/);
    now = new Date('2026-11-22T10:00:00Z');
    const forged = `${token.slice(0, token.lastIndexOf('.'))}.${'A'.repeat(86)}`;
    await expect(verifier.verify(forged)).rejects.toThrow();
    await expect(verifier.verify(forged)).rejects.toThrow();
    expect(verifier.fullVerifications).toBe(4);
  });

  it('verifies every time without a cache', async () => {
    const verifier = cachingVerifier(0);
    const token = (await issuer.issue('agent', 'secret'))!.accessToken;
    await verifier.verify(token);
    await verifier.verify(token);
    expect(verifier.fullVerifications).toBe(2);
  });
});
