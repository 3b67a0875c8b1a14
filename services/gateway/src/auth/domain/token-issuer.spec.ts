import { SignJWT, generateKeyPair } from 'jose';
import { LocalTokenIssuer } from './token-issuer';

const settings = {
  issuer: 'urn:itsm:gateway',
  audience: 'itsm-api',
  ttlSeconds: 600,
  devPassword: 'secret',
};

describe('the local token issuer', () => {
  let issuer: LocalTokenIssuer;

  beforeAll(async () => {
    issuer = await LocalTokenIssuer.create(settings);
  });

  it('issues a token for a seeded user that verifies back to the user, roles and groups', async () => {
    const token = await issuer.issue('agent', 'secret');
    expect(token).toMatchObject({ tokenType: 'Bearer', expiresIn: 600 });
    await expect(issuer.verify(token!.accessToken)).resolves.toEqual({
      username: 'agent',
      roles: ['agent'],
      groups: ['service-desk'],
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

  it('refuses tokens signed by another key, expired, for another audience or issuer, or unsigned', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const kid = issuer.jwks.keys[0].kid!;
    const base = () =>
      new SignJWT({ roles: ['admin'] })
        .setProtectedHeader({ alg: 'ES256', kid })
        .setSubject('admin')
        .setIssuedAt();
    const foreign = await base()
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setExpirationTime('5m')
      .sign(privateKey);
    await expect(issuer.verify(foreign)).rejects.toThrow();

    const other = await LocalTokenIssuer.create({ ...settings, audience: 'someone-else' });
    const wrongAudience = (await other.issue('admin', 'secret'))!.accessToken;
    await expect(issuer.verify(wrongAudience)).rejects.toThrow();

    let now = new Date('2026-11-22T10:00:00Z');
    const clockedIssuer = await LocalTokenIssuer.create({
      ...settings,
      ttlSeconds: 60,
      now: () => now,
    });
    const shortLived = (await clockedIssuer.issue('admin', 'secret'))!.accessToken;
    now = new Date('2026-11-22T10:00:59Z');
    await expect(clockedIssuer.verify(shortLived)).resolves.toMatchObject({ username: 'admin' });
    now = new Date('2026-11-22T10:02:00Z');
    await expect(clockedIssuer.verify(shortLived)).rejects.toThrow(/exp/);
    now = new Date('2026-11-22T09:58:00Z');
    await expect(clockedIssuer.verify(shortLived)).rejects.toThrow(/nbf|iat/);

    const valid = (await issuer.issue('admin', 'secret'))!.accessToken;
    const [, payload] = valid.split('.');
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${payload}.`;
    await expect(issuer.verify(unsigned)).rejects.toThrow();
  });
});
