import { execFile } from 'node:child_process';
import { createServer, request as forward, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { Logger } from '@nestjs/common';
import { ServiceIdentitySigner, loadSigningKey } from '@itsm/auth';
import { ServiceCallRefused, ServiceClient } from '@itsm/platform';
import {
  REPO_ROOT,
  RunningPlatform,
  ServiceProcess,
  freePort,
  identityKeyPair,
  serviceEnvironment,
  serviceIdentitySignerFor,
  tokenFor,
} from '@itsm/testing';
import { CmdbImpactClient } from '../src/cmdb/cmdb-impact.client';

const run = promisify(execFile);

interface Ci {
  id: string;
}

/** A name no other test (or earlier run) uses. */
const unique = (prefix: string) => `${prefix}-${Math.random().toString(36).slice(2, 10)}`;

/** Stands between the client and the real cmdb service, passing each request on only after `delayMs`. */
async function slowProxy(
  targetUrl: string,
  delayMs: number,
): Promise<{ url: string; server: Server }> {
  const target = new URL(targetUrl);
  const server = createServer((incoming, response) => {
    setTimeout(() => {
      const outgoing = forward(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers: incoming.headers,
        },
        (answer) => {
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        },
      );
      outgoing.on('error', () => response.destroy());
      incoming.pipe(outgoing);
    }, delayMs).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the change service reads the CMDB’s impact analysis as itself', () => {
  const timeoutMs = 1000;
  let platform: RunningPlatform;
  let cmdbUrl: string;
  let asChange: ServiceIdentitySigner;
  let db: Ci;
  let app: Ci;
  let shop: Ci;
  let payroll: Ci;

  const clientAt = (baseUrl: string, signer = asChange) =>
    new CmdbImpactClient(
      new ServiceClient({ callee: 'cmdb', baseUrl, timeoutMs, signer }),
      timeoutMs,
    );

  beforeAll(async () => {
    // The degraded reads log a warning each, by design; the test says what they are.
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    platform = await RunningPlatform.start(['gateway', 'cmdb']);
    cmdbUrl = platform.service('cmdb').url;
    asChange = await serviceIdentitySignerFor('change');
    // The graph, built as an admin through the gateway: shop and payroll (restricted to HR)
    // are business services provided by app, which depends on db.
    const admin = await tokenFor(platform.gatewayUrl, 'admin');
    const post = async (path: string, body: object): Promise<Ci> => {
      const response = await request(platform.gatewayUrl)
        .post(path)
        .set('authorization', `Bearer ${admin}`)
        .send(body);
      expect([response.status, response.body]).toEqual([201, expect.anything()]);
      return response.body as Ci;
    };
    const prefix = unique('change-impact');
    db = await post('/api/v1/cis', { class: 'application', name: `${prefix}-db` });
    app = await post('/api/v1/cis', { class: 'application', name: `${prefix}-app` });
    shop = await post('/api/v1/cis', {
      class: 'business_service',
      name: `${prefix}-shop`,
      criticality: 1,
    });
    payroll = await post('/api/v1/cis', {
      class: 'business_service',
      name: `${prefix}-payroll`,
      criticality: 1,
      restricted: true,
      ownerGroup: 'hr',
    });
    const relate = (type: string, source: Ci, target: Ci) =>
      post('/api/v1/relationships', { type, sourceId: source.id, targetId: target.id });
    await relate('depends_on', app, db);
    await relate('provides', app, shop);
    await relate('provides', app, payroll);
  });

  afterAll(async () => {
    await platform?.stop();
  });

  it('answers the business services a change of its CIs puts at risk, with their criticality', async () => {
    const read = await clientAt(cmdbUrl).upstreamBusinessServices([db.id], 3);
    expect(read).toEqual({
      degraded: false,
      value: {
        businessServices: [
          expect.objectContaining({
            ciId: shop.id,
            criticality: 1,
            distance: 2,
            path: [db.id, app.id, shop.id],
          }),
        ],
        // app, shop and payroll: the restricted one counted, never named, to the change service.
        reachedCount: 3,
        withheldCount: 1,
        truncated: false,
        unseenCiIds: [],
      },
    });
  });

  it('finds the CIs that depend on each other, and leaves out what it may not see', async () => {
    await expect(clientAt(cmdbUrl).dependencies([shop.id, db.id, payroll.id], 2)).resolves.toEqual({
      degraded: false,
      value: {
        dependencies: [
          {
            ciId: shop.id,
            relatedCiId: db.id,
            direction: 'downstream',
            distance: 2,
            path: [shop.id, app.id, db.id],
          },
        ],
        incompleteCiIds: [],
        unseenCiIds: [payroll.id],
      },
    });
  });

  it('is refused (401) when signed with a key the cmdb service does not trust for change', async () => {
    const stranger = new ServiceIdentitySigner(
      await loadSigningKey(identityKeyPair().signingKey, 'a stranger’s key'),
      { service: 'change', ttlSeconds: 5 },
    );
    await expect(clientAt(cmdbUrl, stranger).upstreamBusinessServices([db.id], 3)).rejects.toEqual(
      expect.objectContaining({ name: ServiceCallRefused.name, status: 401 }),
    );
  });

  it('is refused (403) what SERVICE_PERMISSIONS does not grant the change service', async () => {
    const cmdb = new ServiceClient({
      callee: 'cmdb',
      baseUrl: cmdbUrl,
      timeoutMs,
      signer: asChange,
    });
    const refusal = cmdb.post('/api/v1/cis', { class: 'application', name: unique('by-change') });
    await expect(refusal).rejects.toEqual(
      expect.objectContaining({
        name: ServiceCallRefused.name,
        status: 403,
        problem: expect.objectContaining({
          detail: expect.stringContaining('not granted to the change service'),
        }),
      }),
    );
    await expect(cmdb.get(`/api/v1/cis/${db.id}`)).resolves.toMatchObject({
      degraded: false,
      value: { id: db.id },
    });
  });

  it('is degraded, within its timeout, when the cmdb service is slow', async () => {
    const proxy = await slowProxy(cmdbUrl, 3 * timeoutMs);
    try {
      const started = Date.now();
      const read = await clientAt(proxy.url).upstreamBusinessServices([db.id], 3);
      expect(read).toEqual({ degraded: true, reason: expect.stringMatching(/did not answer/) });
      expect(Date.now() - started).toBeLessThan(timeoutMs + 500);
      const dependencies = await clientAt(proxy.url).dependencies([shop.id, db.id, app.id], 2);
      expect(dependencies).toMatchObject({ degraded: true });
      expect(Date.now() - started).toBeLessThan(2 * timeoutMs + 1000);
    } finally {
      proxy.server.closeAllConnections();
      proxy.server.close();
    }
  });

  it('is degraded at once when the cmdb service is down', async () => {
    await platform.service('cmdb').stop();
    const started = Date.now();
    await expect(clientAt(cmdbUrl).upstreamBusinessServices([db.id], 3)).resolves.toEqual({
      degraded: true,
      reason: 'cmdb is not reachable (ECONNREFUSED)',
    });
    expect(Date.now() - started).toBeLessThan(timeoutMs);
  });
});

describe('the change service process', () => {
  it('starts with its own signing key, as npm start and npm test give it', async () => {
    const change = await ServiceProcess.start('change');
    await change.stop();
  });

  it('does not start without its signing key, naming the variable', async () => {
    const env = serviceEnvironment('change');
    delete env.ITSM_SERVICE_IDENTITY_SIGNING_KEY;
    const failure = await run(
      process.execPath,
      [join(REPO_ROOT, 'dist/services/change/src/main.js')],
      {
        env: {
          PATH: process.env.PATH ?? '',
          ...env,
          CHANGE_PORT: String(await freePort()),
          CHANGE_METRICS_PORT: 'off',
          HTTP_HOST: '127.0.0.1',
        },
        timeout: 60_000,
      },
    ).then(
      () => undefined,
      (error: { code?: number; stdout?: string; stderr?: string }) => error,
    );
    expect(failure?.code).not.toBe(0);
    expect(`${failure?.stdout ?? ''}${failure?.stderr ?? ''}`).toContain(
      'ITSM_SERVICE_IDENTITY_SIGNING_KEY (or ITSM_SERVICE_IDENTITY_SIGNING_KEY_FILE) is required',
    );
  });
});
