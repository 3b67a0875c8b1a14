import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import request from 'supertest';
import { RunningPlatform, countRows, directClient, freePort, tokenFor } from '@itsm/testing';

const isProblem = (response: request.Response) => {
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({
    status: response.status,
    type: expect.any(String),
    title: expect.any(String),
  });
};

describe('the API conventions, through the gateway', () => {
  let platform: RunningPlatform;
  let token: string;
  const body = { title: 'Payroll batch failed', description: 'Exit code 3', impact: 2, urgency: 2 };

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway', 'incident']);
    token = await tokenFor(platform.gatewayUrl, 'agent');
  });

  afterAll(async () => {
    await platform?.stop();
  });

  const api = () => request(platform.gatewayUrl);

  it('sends the security headers on answers, errors and the reference page alike', async () => {
    for (const response of [
      await api().get('/api/v1/incidents').set('authorization', `Bearer ${token}`).expect(200),
      await api().get('/api/v1/incidents').expect(401),
      await api().get('/docs').expect(200),
    ]) {
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(response.headers['content-security-policy']).toContain("script-src 'self'");
      expect(response.headers['x-powered-by']).toBeUndefined();
    }
  });

  it('answers a retried create with the first response and creates nothing more', async () => {
    const key = randomUUID();
    const before = await countRows('incident.records');
    const first = await api()
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send(body)
      .expect(201);
    const retry = await api()
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send(body)
      .expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.location).toBe(first.headers.location);
    expect(retry.headers['idempotency-replayed']).toBe('true');
    expect(await countRows('incident.records')).toBe(before + 1);

    const reused = await api()
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .set('idempotency-key', key)
      .send({ ...body, title: 'Something else' })
      .expect(422);
    isProblem(reused);
    expect(await countRows('incident.records')).toBe(before + 1);
  });

  it('refuses an update made on a stale version with 412, and one without If-Match with 428', async () => {
    const created = await api()
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .send(body)
      .expect(201);
    const id = (created.body as { id: string }).id;
    const read = await api()
      .get(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(read.headers.etag).toBe('"1"');

    const updated = await api()
      .patch(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${token}`)
      .set('if-match', read.headers.etag)
      .send({ urgency: 1 })
      .expect(200);
    expect(updated.body).toMatchObject({ urgency: 1, priority: 'P2', version: 2 });
    expect(updated.headers.etag).toBe('"2"');

    const stale = await api()
      .patch(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${token}`)
      .set('if-match', '"1"')
      .send({ title: 'Lost update' })
      .expect(412);
    isProblem(stale);
    const missing = await api()
      .patch(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${token}`)
      .send({ title: 'Blind update' })
      .expect(428);
    isProblem(missing);
    const now = await api()
      .get(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(now.body).toMatchObject({ title: body.title, version: 2 });
  });

  it('answers a permission the caller lacks with 403 forbidden naming it, at the gateway and at the service', async () => {
    const atGateway = await api()
      .get('/api/v1/operations/outbox/incident')
      .set('authorization', `Bearer ${token}`)
      .expect(403);
    // The service checks the permission again itself (it trusts no caller blindly).
    const atService = await directClient('incident', platform.service('incident').url, 'agent')
      .get('/api/v1/operations/outbox/incident')
      .expect(403);
    for (const refused of [atGateway, atService]) {
      isProblem(refused);
      expect(refused.body).toMatchObject({
        type: 'https://itsm.dev/problems/forbidden',
        requiredPermission: 'operations:manage',
      });
    }
  });

  it('refuses a body over the size limit with 413', async () => {
    const before = await countRows('incident.records');
    const response = await api()
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .send({ ...body, description: 'x'.repeat(2 * 1024 * 1024) })
      .expect(413);
    isProblem(response);
    expect(await countRows('incident.records')).toBe(before);
  });

  it('refuses a body that is not JSON with 415', async () => {
    const response = await api()
      .post('/api/v1/incidents')
      .set('authorization', `Bearer ${token}`)
      .set('content-type', 'text/plain')
      .send('title=Mail is down')
      .expect(415);
    isProblem(response);
  });

  it('answers an unknown route with 404, on the gateway and on a service', async () => {
    isProblem(
      await api().get('/api/v1/no-such-thing').set('authorization', `Bearer ${token}`).expect(404),
    );
    isProblem(await request(platform.service('incident').url).get('/no-such-thing').expect(404));
  });

  // The fuzzer found the methods of a whole route family in `Allow`, and 404s for methods no route has.
  it.each([
    ['POST', '/api/v1/incidents/00000000-0000-4000-8000-000000000001', 'GET, PATCH'],
    ['OPTIONS', '/api/v1/incidents/00000000-0000-4000-8000-000000000001/journal', 'GET, POST'],
    ['PUT', '/api/v1/incidents', 'GET, POST'],
    ['TRACE', '/api/v1/auth/token', 'POST'],
  ])(
    'answers %s %s with 405 and exactly the methods the path documents',
    async (method, path, allowed) => {
      const response = await api()
        [method.toLowerCase() as 'post' | 'options' | 'put' | 'trace'](path)
        .set('authorization', `Bearer ${token}`)
        .expect(405);
      expect(response.headers.allow).toBe(allowed);
      isProblem(response);
    },
  );

  it('answers a method a path does not serve with 405 on the service too', async () => {
    const response = await request(platform.service('incident').url)
      .delete('/api/v1/incidents')
      .expect(405);
    expect(response.headers.allow).toBe('GET, POST');
    isProblem(response);
  });

  it('answers 503 when the owning service is down, without hanging', async () => {
    const response = await api()
      .get('/api/v1/problems')
      .set('authorization', `Bearer ${token}`)
      .expect(503);
    isProblem(response);
  });
});

describe('rate limits', () => {
  let platform: RunningPlatform;

  beforeAll(async () => {
    platform = await RunningPlatform.start(['gateway'], { RATE_LIMIT_PER_MINUTE: '5' });
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers 429 with Retry-After once a caller used up its budget, and counts callers apart', async () => {
    const agent = await tokenFor(platform.gatewayUrl, 'agent');
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push(
        (
          await request(platform.gatewayUrl)
            .get('/api/v1/reports/event-archive')
            .set('authorization', `Bearer ${agent}`)
        ).status,
      );
    }
    expect(statuses.slice(0, 5)).not.toContain(429);
    const limited = await request(platform.gatewayUrl)
      .get('/api/v1/reports/event-archive')
      .set('authorization', `Bearer ${agent}`)
      .expect(429);
    isProblem(limited);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    const admin = await tokenFor(platform.gatewayUrl, 'admin');
    const other = await request(platform.gatewayUrl)
      .get('/api/v1/reports/event-archive')
      .set('authorization', `Bearer ${admin}`);
    expect(other.status).not.toBe(429);
  });
});

describe('a slow service, and browsers', () => {
  let platform: RunningPlatform;
  let silent: Server;
  const hanging = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never answers: a service that hangs.
    const port = await freePort();
    silent = createServer((socket) => hanging.add(socket));
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    platform = await RunningPlatform.start(['gateway'], {
      INCIDENT_URL: `http://127.0.0.1:${port}`,
      UPSTREAM_TIMEOUT_MS: '300',
      CORS_ORIGINS: 'https://portal.example.test',
    });
  });

  afterAll(async () => {
    await platform?.stop();
    hanging.forEach((socket) => socket.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('answers 504 when the owning service does not answer in time', async () => {
    const token = await tokenFor(platform.gatewayUrl, 'agent');
    const response = await request(platform.gatewayUrl)
      .get(`/api/v1/incidents/${randomUUID()}`)
      .set('authorization', `Bearer ${token}`)
      .expect(504);
    isProblem(response);
  });

  it('lets the configured origins, and only those, call it from a browser', async () => {
    const allowed = await request(platform.gatewayUrl)
      .options('/api/v1/incidents')
      .set('origin', 'https://portal.example.test')
      .set('access-control-request-method', 'POST');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://portal.example.test');
    const other = await request(platform.gatewayUrl)
      .options('/api/v1/incidents')
      .set('origin', 'https://elsewhere.example.test')
      .set('access-control-request-method', 'POST');
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('a client that leaves before the service answers', () => {
  let platform: RunningPlatform;
  let slow: HttpServer;

  beforeAll(async () => {
    // Answers every request after 400 ms, as a busy service would.
    const port = await freePort();
    slow = createHttpServer((_request, response) => {
      setTimeout(() => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ items: [], nextCursor: null }));
      }, 400);
    });
    await new Promise<void>((resolve) => slow.listen(port, '127.0.0.1', resolve));
    platform = await RunningPlatform.start(['gateway'], { CMDB_URL: `http://127.0.0.1:${port}` });
  });

  afterAll(async () => {
    await platform?.stop();
    slow.closeAllConnections();
    await new Promise((resolve) => slow.close(resolve));
  });

  it('is not logged as an error of the platform, and the next caller is answered', async () => {
    const token = await tokenFor(platform.gatewayUrl, 'admin');
    const gone = request(platform.gatewayUrl)
      .get('/api/v1/cis')
      .set('authorization', `Bearer ${token}`)
      .timeout(100);
    await expect(gone).rejects.toThrow(/Timeout/);
    const answered = await request(platform.gatewayUrl)
      .get('/api/v1/cis')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(answered.body).toEqual({ items: [], nextCursor: null });
    const errors = readFileSync(platform.service('gateway').logFile, 'utf8')
      .split('\n')
      .filter((line) => line.includes('"level":50') || line.includes('ERR_STREAM_UNABLE_TO_PIPE'));
    expect(errors).toEqual([]);
  });
});
