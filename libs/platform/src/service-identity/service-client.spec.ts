import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import {
  CALLER_HEADER,
  InternalIdentityVerifier,
  ServiceIdentitySigner,
  loadSigningKey,
  loadVerificationKeys,
  type Caller,
} from '@itsm/auth';
import { ServiceCallRefused, ServiceClient } from './service-client';

function pemPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

type Handler = (
  request: IncomingMessage,
  response: ServerResponse,
  body: string,
  caller: Caller,
) => void;

/**
 * Stands for the cmdb service: verifies each request's identity as the real guard does
 * (trusting the change service's key) and answers as the test says.
 */
class FakeCmdb {
  handler: Handler = (_request, response) => response.end('{}');
  readonly callers: Caller[] = [];
  private readonly server: Server;

  private constructor(
    private readonly verifier: InternalIdentityVerifier,
    readonly url: string,
    server: Server,
  ) {
    this.server = server;
  }

  static async start(trusted: string, gateway: string): Promise<FakeCmdb> {
    const verifier = new InternalIdentityVerifier(await loadVerificationKeys(gateway, 'G'), {
      service: 'cmdb',
      replayCacheSize: 1000,
      trustedServices: new Map([['change', await loadVerificationKeys(trusted, 'T')]]),
    });
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const fake = new FakeCmdb(verifier, `http://127.0.0.1:${port}`, server);
    server.on('request', (request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        fake.verifier
          .verify(request.headers[CALLER_HEADER] as string | undefined, {
            method: request.method ?? '',
            target: request.url ?? '',
          })
          .then(
            (caller) => {
              fake.callers.push(caller);
              fake.handler(request, response, body, caller);
            },
            (error: Error) => {
              response.statusCode = 401;
              response.setHeader('content-type', 'application/problem+json');
              response.end(JSON.stringify({ title: 'Unauthorized', detail: error.message }));
            },
          );
      });
    });
    return fake;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const json = (response: ServerResponse, status: number, body: unknown) => {
  response.statusCode = status;
  response.setHeader('content-type', 'application/json');
  response.end(JSON.stringify(body));
};

describe('the client a service reads another with, as itself', () => {
  const change = pemPair();
  const gateway = pemPair();
  let cmdb: FakeCmdb;
  let signer: ServiceIdentitySigner;
  const client = (timeoutMs = 1000, baseUrl = cmdb.url) =>
    new ServiceClient({ callee: 'cmdb', baseUrl, timeoutMs, signer });

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    cmdb = await FakeCmdb.start(change.publicPem, gateway.publicPem);
    signer = new ServiceIdentitySigner(await loadSigningKey(change.privatePem, 'S'), {
      service: 'change',
      ttlSeconds: 5,
    });
  });

  afterAll(() => cmdb.stop());

  it('signs a fresh identity for each request, bound to the service called and the exact request', async () => {
    cmdb.handler = (request, response, body) =>
      json(response, 200, { target: request.url, body: JSON.parse(body || 'null') as unknown });
    const reader = client();
    for (const depth of [1, 2]) {
      await expect(
        reader.post('/api/v1/cis/impact?probe=1', { ciIds: ['a'], depth }),
      ).resolves.toEqual({
        degraded: false,
        value: { target: '/api/v1/cis/impact?probe=1', body: { ciIds: ['a'], depth } },
      });
    }
    await expect(reader.get('/api/v1/cis?limit=1')).resolves.toMatchObject({ degraded: false });
    expect(cmdb.callers).toContainEqual({
      username: 'service:change',
      roles: [],
      groups: [],
      kind: 'service',
    });
  });

  it('types the answer through the given parser, and reads an answer it refuses as degraded', async () => {
    cmdb.handler = (_request, response) => json(response, 200, { count: 'many' });
    const parse = (body: unknown) => {
      const count = (body as { count?: unknown }).count;
      if (typeof count !== 'number') throw new Error('count is not a number');
      return count;
    };
    await expect(client().get('/count', { parse })).resolves.toEqual({
      degraded: true,
      reason: 'cmdb answered something unexpected: count is not a number',
    });
    cmdb.handler = (_request, response) => json(response, 200, { count: 3 });
    await expect(client().get('/count', { parse })).resolves.toEqual({
      degraded: false,
      value: 3,
    });
  });

  it('reads a service that does not answer in time as degraded, within its timeout', async () => {
    cmdb.handler = (_request, response) => {
      setTimeout(() => json(response, 200, {}), 1500).unref();
    };
    const started = Date.now();
    await expect(client(200).get('/slow')).resolves.toEqual({
      degraded: true,
      reason: 'cmdb did not answer within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('counts reading the answer in the timeout: headers then a stall are slow too', async () => {
    cmdb.handler = (_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"items": [');
    };
    const started = Date.now();
    await expect(client(200).get('/stalls')).resolves.toEqual({
      degraded: true,
      reason: 'cmdb did not answer within 200 ms',
    });
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('gives up at the caller’s own deadline too', async () => {
    cmdb.handler = (_request, response) => {
      setTimeout(() => json(response, 200, {}), 1500).unref();
    };
    await expect(client(5000).get('/slow', { signal: AbortSignal.timeout(100) })).resolves.toEqual({
      degraded: true,
      reason: "cmdb did not answer before the caller's deadline",
    });
  });

  it('reads a failing or overloaded service as degraded, with what it said', async () => {
    cmdb.handler = (_request, response) =>
      json(response, 503, { title: 'Service Unavailable', detail: 'PostgreSQL is down' });
    await expect(client().get('/x')).resolves.toEqual({
      degraded: true,
      reason: 'cmdb answered 503 (PostgreSQL is down)',
    });
    cmdb.handler = (_request, response) => response.writeHead(429).end();
    await expect(client().get('/x')).resolves.toEqual({
      degraded: true,
      reason: 'cmdb answered 429',
    });
  });

  it('reads a service that is not there as degraded', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    await expect(client(1000, `http://127.0.0.1:${port}`).get('/x')).resolves.toEqual({
      degraded: true,
      reason: 'cmdb is not reachable (ECONNREFUSED)',
    });
  });

  it('throws a refusal (a 4xx), which waiting does not mend, with the problem it was answered', async () => {
    cmdb.handler = (_request, response) =>
      json(response, 403, { title: 'Forbidden', detail: 'not granted to the change service' });
    const refused = client().post('/api/v1/cis', {});
    await expect(refused).rejects.toBeInstanceOf(ServiceCallRefused);
    await expect(refused).rejects.toMatchObject({
      status: 403,
      callee: 'cmdb',
      request: { method: 'POST', target: '/api/v1/cis' },
      problem: { detail: 'not granted to the change service' },
    });
  });

  it('is refused, not degraded, where the service called does not trust the caller’s key', async () => {
    const stranger = new ServiceIdentitySigner(await loadSigningKey(pemPair().privatePem, 'S'), {
      service: 'change',
      ttlSeconds: 5,
    });
    cmdb.handler = (_request, response) => json(response, 200, {});
    await expect(
      new ServiceClient({
        callee: 'cmdb',
        baseUrl: cmdb.url,
        timeoutMs: 1000,
        signer: stranger,
      }).get('/x'),
    ).rejects.toMatchObject({ status: 401 });
  });
});
