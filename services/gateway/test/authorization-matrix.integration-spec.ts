import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  CALLER_HEADER,
  InternalIdentitySigner,
  ROLES,
  hasPermission,
  loadSigningKey,
} from '@itsm/auth';
import {
  ALL_SERVICES,
  RunningPlatform,
  directClient,
  identityKeyPair,
  tokenFor,
} from '@itsm/testing';
import { ROUTE_TABLE } from '../src/routing/route-table';

const ID = randomUUID();
/** Path suffixes tried, in order, to find a request each access rule governs. */
const SUFFIXES = [
  '',
  `/${ID}`,
  `/${ID}/journal`,
  `/${ID}/transitions`,
  `/${ID}/approvals`,
  '/evidence',
  '/event-archive',
  '/impact',
];

const cases = ROUTE_TABLE.flatMap((family) =>
  family.access.map((rule) => {
    const suffix = SUFFIXES.find((candidate) => !rule.path || rule.path.test(candidate)) ?? '';
    const method = rule.methods[0];
    return {
      family: family.prefix,
      method,
      path: `${family.prefix}${suffix}`,
      permission: rule.permission,
    };
  }),
);

describe('the authorisation matrix, generated from the permission table and the route table', () => {
  let platform: RunningPlatform;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    platform = await RunningPlatform.start(ALL_SERVICES);
    for (const role of ROLES) tokens.set(role, await tokenFor(platform.gatewayUrl, role));
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it.each(cases)('$method $path needs $permission', async ({ method, path, permission }) => {
    const outcomes: string[] = [];
    for (const role of ROLES) {
      const call = request(platform.gatewayUrl)
        [method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path)
        .set('authorization', `Bearer ${tokens.get(role)}`);
      const response = method === 'GET' ? await call : await call.send({});
      const allowed = hasPermission([role], permission);
      const refused = response.status === 403;
      if (allowed === refused || response.status === 401)
        outcomes.push(
          `${role}: ${response.status} (${allowed ? 'allowed' : 'refused'} by the table)`,
        );
      if (refused) expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect(outcomes).toEqual([]);
  });

  describe('a service called directly, around the gateway', () => {
    const path = '/api/v1/reports/event-archive';
    const reportingUrl = () => platform.service('reporting').url;

    it('refuses a request without the internal identity', async () => {
      const response = await request(reportingUrl()).get(path).expect(401);
      expect(response.headers['content-type']).toContain('application/problem+json');
    });

    it('refuses an identity signed with a key the services do not accept', async () => {
      const intruder = await loadSigningKey(identityKeyPair().signingKey, 'an intruder’s key');
      const forged = await new InternalIdentitySigner(intruder, { ttlSeconds: 5 }).sign(
        { username: 'admin', roles: ['admin'], groups: [], kind: 'user' },
        { service: 'reporting', method: 'GET', target: path },
      );
      await request(reportingUrl()).get(path).set(CALLER_HEADER, forged).expect(401);
    });

    it('checks the permission again', async () => {
      await directClient('reporting', reportingUrl(), 'requester').get(path).expect(403);
      await directClient('reporting', reportingUrl(), 'auditor').get(path).expect(200);
    });
  });

  it('answers a method a family does not accept with 405 and the methods it does', async () => {
    const response = await request(platform.gatewayUrl)
      .delete('/api/v1/sla-timers')
      .set('authorization', `Bearer ${tokens.get('admin')}`)
      .expect(405);
    expect(response.headers.allow).toBe('GET');
    expect(response.headers['content-type']).toContain('application/problem+json');
  });

  it('hides an incident from a requester who did not raise it', async () => {
    const created = await request(platform.gatewayUrl)
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${tokens.get('agent')}`)
      .send({ title: 'Laptop will not boot', description: 'Black screen', impact: 3, urgency: 2 })
      .expect(201);
    const id = (created.body as { id: string }).id;
    await request(platform.gatewayUrl)
      .get(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${tokens.get('requester')}`)
      .expect(404);
    await request(platform.gatewayUrl)
      .get(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${tokens.get('auditor')}`)
      .expect(200);
  });
});
