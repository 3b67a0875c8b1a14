import { createServer, type Server } from 'node:http';
import request from 'supertest';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { ROLES } from '@itsm/auth';
import { EventTypes, Topics, fromKafkaRecord } from '@itsm/contracts';
import {
  RunningPlatform,
  eventually,
  freePort,
  readWholeTopic,
  testKafka,
  tokenFor,
} from '@itsm/testing';

interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  return {
    kid,
    privateKey,
    jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' },
  };
}

/** An identity provider's JWKS endpoint, whose keys the test can rotate. */
class FakeJwksEndpoint {
  keys: JWK[] = [];
  private readonly server: Server = createServer((_, response) =>
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ keys: this.keys })),
  );
  url = '';

  async start(): Promise<this> {
    const port = await freePort();
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}/jwks`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const ISSUER = 'https://idp.example.test/realms/itsm';
const AUDIENCE = 'itsm-api';

function idpToken(
  key: SigningKey,
  claims: Record<string, unknown>,
  issuer = ISSUER,
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: key.kid })
    .setIssuer(issuer)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);
}

describe('the directory', () => {
  describe('in local mode', () => {
    let platform: RunningPlatform;

    beforeAll(async () => {
      platform = await RunningPlatform.start(['gateway']);
    });

    afterAll(async () => {
      await platform?.stop();
    });

    it('is seeded with the assignment groups and their members, and published', async () => {
      const token = await tokenFor(platform.gatewayUrl, 'agent');
      const groups = await request(platform.gatewayUrl)
        .get('/api/v1/directory/groups')
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect((groups.body as { items: unknown[] }).items).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ name: 'service-desk', members: ['agent'] }),
          expect.objectContaining({ name: 'change-advisory-board', members: ['cab_member'] }),
          expect.objectContaining({ name: 'network', members: [] }),
        ]),
      );
      const firstPage = await request(platform.gatewayUrl)
        .get('/api/v1/directory/users')
        .query({ limit: 4 })
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      const page = firstPage.body as { items: { username: string }[]; nextCursor: string };
      expect(page.items).toHaveLength(4);
      const secondPage = await request(platform.gatewayUrl)
        .get('/api/v1/directory/users')
        .query({ limit: 100, cursor: page.nextCursor })
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      const usernames = [
        ...page.items,
        ...(secondPage.body as { items: { username: string }[] }).items,
      ].map((user) => user.username);
      // One seeded user per role, each listed once. Users an OIDC gateway of another suite
      // met on the shared test database may be listed beside them.
      const seeded = usernames.filter((username) =>
        (ROLES as readonly string[]).includes(username),
      );
      expect(seeded).toHaveLength(ROLES.length);
      expect(new Set(seeded).size).toBe(ROLES.length);

      const published = (await readWholeTopic(testKafka(), Topics.directoryEvents)).map(
        ({ message }) => fromKafkaRecord(message),
      );
      expect(
        published.some(
          (event) =>
            event.type === EventTypes.directory.groupCreated && event.subject === 'service-desk',
        ),
      ).toBe(true);
      expect(
        published.some(
          (event) => event.type === EventTypes.directory.userCreated && event.subject === 'agent',
        ),
      ).toBe(true);
    });

    it('refuses a cursor it did not issue', async () => {
      const token = await tokenFor(platform.gatewayUrl, 'agent');
      const response = await request(platform.gatewayUrl)
        .get('/api/v1/directory/users')
        .query({ cursor: 'not-a-cursor' })
        .set('authorization', `Bearer ${token}`)
        .expect(400);
      expect((response.body as { errors: { field: string }[] }).errors[0]?.field).toBe('cursor');
    });
  });

  describe('with an OIDC identity provider', () => {
    let jwks: FakeJwksEndpoint;
    let platform: RunningPlatform;
    let first: SigningKey;
    /** The key the provider signs with now. */
    let current: SigningKey;

    beforeAll(async () => {
      jwks = await new FakeJwksEndpoint().start();
      first = await signingKey('key-1');
      jwks.keys = [first.jwk];
      platform = await RunningPlatform.start(['gateway'], {
        AUTH_MODE: 'oidc',
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        AUTH_JWKS_URL: jwks.url,
        AUTH_JWKS_COOLDOWN_SECONDS: '0',
      });
    });

    afterAll(async () => {
      await platform?.stop();
      await jwks?.stop();
    });

    it('accepts the provider’s tokens and records a new user, their roles and groups, on first sight', async () => {
      const token = await idpToken(first, {
        sub: 'u-123',
        preferred_username: 'dana',
        roles: ['agent'],
        groups: ['network', 'dba-oncall'],
      });
      const users = await request(platform.gatewayUrl)
        .get('/api/v1/directory/users')
        .query({ limit: 500 })
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      expect((users.body as { items: unknown[] }).items).toContainEqual({
        username: 'dana',
        roles: ['agent'],
        groups: ['dba-oncall', 'network'],
        source: 'token',
      });

      // The user and the group are different subjects, so their events land on different
      // partitions and need not become readable at the same moment.
      await eventually(
        async () => {
          const published = (await readWholeTopic(testKafka(), Topics.directoryEvents)).map(
            ({ message }) => fromKafkaRecord(message),
          );
          const userCreated = published.some(
            (event) => event.type === EventTypes.directory.userCreated && event.subject === 'dana',
          );
          const groupCreated = published.some(
            (event) =>
              event.type === EventTypes.directory.groupCreated && event.subject === 'dba-oncall',
          );
          return userCreated && groupCreated ? published : undefined;
        },
        {
          description: 'user.created for dana and group.created for dba-oncall',
          timeoutMs: 60_000,
        },
      );
    });

    it('follows a key rotation at the provider', async () => {
      const second = await signingKey('key-2');
      current = second;
      jwks.keys = [second.jwk];
      const token = await idpToken(second, { preferred_username: 'erin', roles: ['auditor'] });
      await request(platform.gatewayUrl)
        .get('/api/v1/directory/groups')
        .set('authorization', `Bearer ${token}`)
        .expect(200);
      const retired = await idpToken(first, { preferred_username: 'dana', roles: ['agent'] });
      await request(platform.gatewayUrl)
        .get('/api/v1/directory/groups')
        .set('authorization', `Bearer ${retired}`)
        .expect(401);
    });

    it('refuses expired, not yet valid, wrongly addressed, wrongly signed and unsigned tokens with 401', async () => {
      const now = Math.floor(Date.now() / 1000);
      const signed = (claims: Record<string, unknown>, audience = AUDIENCE) =>
        new SignJWT({ preferred_username: 'dana', roles: ['agent'], ...claims })
          .setProtectedHeader({ alg: 'RS256', kid: 'key-2' })
          .setIssuer(ISSUER)
          .setAudience(audience)
          .sign(current.privateKey);
      const other = await signingKey('key-2');
      const refused = [
        await signed({ iat: now - 7200, exp: now - 3600 }),
        await signed({ iat: now, nbf: now + 3600, exp: now + 7200 }),
        await signed({ exp: now + 300 }, 'another-api'),
        await new SignJWT({ preferred_username: 'dana', roles: ['admin'] })
          .setProtectedHeader({ alg: 'RS256', kid: 'key-2' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setExpirationTime('5m')
          .sign(other.privateKey),
        `${Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url')}.${Buffer.from(
          JSON.stringify({
            iss: ISSUER,
            aud: AUDIENCE,
            preferred_username: 'dana',
            roles: ['admin'],
            exp: now + 300,
          }),
        ).toString('base64url')}.`,
      ];
      for (const token of refused) {
        const response = await request(platform.gatewayUrl)
          .get('/api/v1/directory/groups')
          .set('authorization', `Bearer ${token}`)
          .expect(401);
        expect(response.headers['content-type']).toContain('application/problem+json');
      }
    });

    it('refuses tokens of another issuer, and has no local issuer', async () => {
      const foreign = await idpToken(
        first,
        { preferred_username: 'mallory', roles: ['admin'] },
        'https://evil.example.test',
      );
      await request(platform.gatewayUrl)
        .get('/api/v1/directory/groups')
        .set('authorization', `Bearer ${foreign}`)
        .expect(401);
      await request(platform.gatewayUrl)
        .post('/api/v1/auth/token')
        .send({ username: 'admin', password: 'itsm-dev' })
        .expect(404);
    });

    it('keeps the groups an admin gave through the API whatever later tokens say, and the token’s own up to date', async () => {
      const run = Math.random().toString(36).slice(2, 8);
      const oncall = `oncall-${run}`;
      const team = `team-${run}`;
      const frank = `frank-${run}`;
      const admin = await idpToken(current, {
        preferred_username: `admin-${run}`,
        roles: ['admin'],
      });
      const as = (token: string) => ({ authorization: `Bearer ${token}` });
      const signIn = async (groups: string[]) => {
        const token = await idpToken(current, {
          preferred_username: frank,
          roles: ['agent'],
          groups,
        });
        await request(platform.gatewayUrl)
          .get('/api/v1/directory/groups')
          .set(as(token))
          .expect(200);
      };
      const groupsOfFrank = async () => {
        const users = await request(platform.gatewayUrl)
          .get('/api/v1/directory/users')
          .query({ limit: 500 })
          .set(as(admin))
          .expect(200);
        return (users.body as { items: { username: string; groups: string[] }[] }).items.find(
          (user) => user.username === frank,
        )?.groups;
      };
      const oncallGroup = async () =>
        (
          await request(platform.gatewayUrl)
            .get(`/api/v1/directory/groups/${oncall}`)
            .set(as(admin))
            .expect(200)
        ).body as { members: string[]; apiMembers: string[] };

      // Before Frank ever signs in: the group, and Frank in it.
      await request(platform.gatewayUrl)
        .post('/api/v1/directory/groups')
        .set(as(admin))
        .send({ name: oncall })
        .expect(201);
      await request(platform.gatewayUrl)
        .post(`/api/v1/directory/groups/${oncall}/members`)
        .set(as(admin))
        .send({ username: frank })
        .expect(201);
      expect(await groupsOfFrank()).toBeUndefined();

      await signIn([team]);
      expect(await groupsOfFrank()).toEqual([oncall, team].sort());
      await signIn([]);
      expect(await groupsOfFrank()).toEqual([oncall]);

      // Both grant it: the API's grant goes, the token's keeps Frank in the group.
      await signIn([oncall]);
      await request(platform.gatewayUrl)
        .delete(`/api/v1/directory/groups/${oncall}/members/${frank}`)
        .set(as(admin))
        .expect(204);
      expect(await oncallGroup()).toMatchObject({ members: [frank], apiMembers: [] });
      const refused = await request(platform.gatewayUrl)
        .delete(`/api/v1/directory/groups/${oncall}/members/${frank}`)
        .set(as(admin))
        .expect(409);
      expect((refused.body as { type: string }).type).toBe(
        'https://itsm.dev/problems/membership-from-identity-provider',
      );
      await signIn([]);
      expect(await oncallGroup()).toMatchObject({ members: [], apiMembers: [] });
      await request(platform.gatewayUrl)
        .delete(`/api/v1/directory/groups/${oncall}`)
        .set(as(admin))
        .expect(204);
    });
  });
});
