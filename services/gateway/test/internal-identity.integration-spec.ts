import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { CALLER_HEADER, InternalIdentitySigner, loadSigningKey } from '@itsm/auth';
import {
  REPO_ROOT,
  ServiceProcess,
  freePort,
  identityKeyPair,
  internalIdentityFor,
  serviceEnvironment,
  serviceIdentitySignerFor,
  tokenFor,
} from '@itsm/testing';

const run = promisify(execFile);
const ARCHIVE = '/api/v1/reports/event-archive';

interface Forwarded {
  method: string;
  target: string;
  identity: string;
}

/**
 * Stands where the reporting service would, for the gateway: keeps what the gateway
 * forwards (the identity it minted) without using it, so the test can present that very
 * identity to the real service, as someone who intercepted it would.
 */
async function interceptor(): Promise<{ server: Server; url: string; forwarded: Forwarded[] }> {
  const forwarded: Forwarded[] = [];
  const server = createServer((incoming, response) => {
    forwarded.push({
      method: incoming.method ?? '',
      target: incoming.url ?? '',
      identity: String(incoming.headers[CALLER_HEADER]),
    });
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ items: [], nextCursor: null }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}`, forwarded };
}

/** A service process started with `env` replaced, expected to refuse to start; its output. */
async function refusedStart(
  service: 'gateway' | 'reporting',
  env: Record<string, string>,
): Promise<string> {
  const started = run(
    process.execPath,
    [join(REPO_ROOT, 'dist/services', service, 'src/main.js')],
    {
      env: {
        PATH: process.env.PATH ?? '',
        ...env,
        [`${service.toUpperCase()}_PORT`]: String(await freePort()),
        HTTP_HOST: '127.0.0.1',
      },
      timeout: 60_000,
    },
  );
  const failure = await started.then(
    () => undefined,
    (error: { code?: number; stdout?: string; stderr?: string }) => error,
  );
  if (!failure) throw new Error(`${service} started without its key`);
  expect(failure.code).not.toBe(0);
  return `${failure.stdout ?? ''}${failure.stderr ?? ''}`;
}

describe('the internal identity between the gateway and a service', () => {
  let intercepting: Awaited<ReturnType<typeof interceptor>>;
  let gateway: ServiceProcess;
  let reporting: ServiceProcess;
  let auditor: string;

  beforeAll(async () => {
    intercepting = await interceptor();
    [gateway, reporting] = await Promise.all([
      ServiceProcess.start('gateway', { REPORTING_URL: intercepting.url }),
      ServiceProcess.start('reporting'),
    ]);
    auditor = await tokenFor(gateway.url, 'auditor');
  });

  afterAll(async () => {
    await Promise.all([gateway?.stop(), reporting?.stop()]);
    intercepting?.server.close();
  });

  /** What the gateway forwards for one request of the auditor's. */
  const mintedByGateway = async (target: string): Promise<Forwarded> => {
    await request(gateway.url).get(target).set('authorization', `Bearer ${auditor}`).expect(200);
    const forwarded = intercepting.forwarded.at(-1);
    if (!forwarded) throw new Error('the gateway forwarded nothing');
    return forwarded;
  };
  const presented = (target: string, identity: string) =>
    request(reporting.url).get(target).set(CALLER_HEADER, identity);

  it('binds what it forwards to the request it forwards', async () => {
    const forwarded = await mintedByGateway(`${ARCHIVE}?limit=5&type=a%20b`);
    expect(forwarded).toMatchObject({ method: 'GET', target: `${ARCHIVE}?limit=5&type=a%20b` });
  });

  it('is accepted by the service once, for the request it was minted for', async () => {
    const { target, identity } = await mintedByGateway(`${ARCHIVE}?limit=5`);
    await presented(`${ARCHIVE}?limit=6`, identity).expect(401);
    await presented(ARCHIVE, identity).expect(401);
    // Express answers HEAD with the GET route: the same route, another method.
    await request(reporting.url).head(target).set(CALLER_HEADER, identity).expect(401);
    await presented(target, identity).expect(200);
    const replayed = await presented(target, identity).expect(401);
    expect(replayed.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses one minted with another key, or for another service', async () => {
    const intruder = new InternalIdentitySigner(
      await loadSigningKey(identityKeyPair().signingKey, 'an intruder’s key'),
      { ttlSeconds: 5 },
    );
    const admin = { username: 'admin', roles: ['admin'], groups: [], kind: 'user' as const };
    const binding = { method: 'GET', target: ARCHIVE };
    await presented(
      ARCHIVE,
      await intruder.sign(admin, { ...binding, service: 'reporting' }),
    ).expect(401);
    await presented(ARCHIVE, await internalIdentityFor('incident', binding, 'admin')).expect(401);
    await presented(ARCHIVE, await internalIdentityFor('reporting', binding, 'admin')).expect(200);
  });

  it('neither takes a service’s identity from a client nor passes one on', async () => {
    const asChange = await serviceIdentitySignerFor('change');
    const fromOutside = (service: string) =>
      asChange.sign({ service, method: 'GET', target: `${ARCHIVE}?limit=7` });
    // Without credentials of its own, a client is not let in on a service's identity.
    await request(gateway.url)
      .get(`${ARCHIVE}?limit=7`)
      .set(CALLER_HEADER, await fromOutside('gateway'))
      .expect(401);
    await request(gateway.url)
      .get(`${ARCHIVE}?limit=7`)
      .set(CALLER_HEADER, await fromOutside('reporting'))
      .expect(401);
    // With them, the service gets the gateway's identity of that caller, never the one sent.
    const sent = await fromOutside('reporting');
    await request(gateway.url)
      .get(`${ARCHIVE}?limit=7`)
      .set('authorization', `Bearer ${auditor}`)
      .set(CALLER_HEADER, sent)
      .expect(200);
    const forwarded = intercepting.forwarded.at(-1);
    expect(forwarded?.identity).not.toBe(sent);
    expect(decodeJwt(forwarded?.identity ?? '')).toMatchObject({
      iss: 'urn:itsm:gateway',
      sub: 'auditor',
      kind: 'user',
    });
  });

  it('refuses at a service the identity of a service it does not trust', async () => {
    // The reporting service trusts no calling service: change's own identity is worth nothing there.
    const asChange = await serviceIdentitySignerFor('change');
    await presented(
      ARCHIVE,
      await asChange.sign({ service: 'reporting', method: 'GET', target: ARCHIVE }),
    ).expect(401);
  });

  it('keeps a service from starting without the gateway’s public key, naming the variable', async () => {
    const withoutKeys = serviceEnvironment('reporting');
    delete withoutKeys.ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS;
    expect(await refusedStart('reporting', withoutKeys)).toContain(
      'ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS (or ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS_FILE) is required',
    );
  });

  it('keeps a service from starting with the private key in its verification set', async () => {
    const output = await refusedStart('reporting', {
      ...serviceEnvironment('reporting'),
      ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: identityKeyPair().signingKey,
    });
    expect(output).toContain('ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: holds a private key');
  });

  it('keeps the gateway from starting without its signing key, naming the variable', async () => {
    const withoutKey = serviceEnvironment('gateway');
    delete withoutKey.ITSM_INTERNAL_IDENTITY_SIGNING_KEY;
    expect(await refusedStart('gateway', withoutKey)).toContain(
      'ITSM_INTERNAL_IDENTITY_SIGNING_KEY (or ITSM_INTERNAL_IDENTITY_SIGNING_KEY_FILE) is required',
    );
  });
});
