import { execFile } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  DEV_PASSWORD,
  REPO_ROOT,
  ServiceProcess,
  eventually,
  queryTestDatabase,
  serviceEnvironment,
  testEnvironment,
} from '@itsm/testing';

const run = promisify(execFile);

const isProblem = (response: request.Response, slug?: string) => {
  expect(response.headers['content-type']).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status: response.status, title: expect.any(String) });
  if (slug)
    expect((response.body as { type: string }).type).toBe(`https://itsm.dev/problems/${slug}`);
};

/**
 * A production deployment has its own database credentials. The test database's role is
 * the local one, so a production-mode gateway gets the password from a pgpass file (as a
 * mounted secret would give it) and a DATABASE_URL without the development credentials.
 */
function productionDatabase(directory: string): Record<string, string> {
  const url = new URL(testEnvironment().databaseUrl);
  const passFile = join(directory, 'pgpass');
  writeFileSync(
    passFile,
    `${url.hostname}:${url.port}:*:${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}\n`,
    { mode: 0o600 },
  );
  url.password = '';
  return { DATABASE_URL: url.toString(), PGPASSFILE: passFile };
}

/** Starts the gateway's process expecting it to refuse: its exit code and what it wrote. */
async function refusedStart(
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  try {
    await run(process.execPath, [join(REPO_ROOT, 'dist/services/gateway/src/main.js')], {
      env: {
        PATH: process.env.PATH ?? '',
        ...serviceEnvironment('gateway', env),
        HTTP_HOST: '127.0.0.1',
        GATEWAY_PORT: '0',
        GATEWAY_METRICS_PORT: 'off',
      },
      timeout: 60_000,
    });
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
  throw new Error('the gateway started');
}

const IDP = { AUTH_JWKS_URL: 'http://127.0.0.1:9/jwks.json' };

describe('safe defaults outside development', () => {
  let directory: string;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'itsm-safe-defaults-'));
    gateway = await ServiceProcess.start('gateway', {
      NODE_ENV: 'production',
      ...productionDatabase(directory),
      ...IDP,
      RATE_LIMIT_PER_MINUTE: '20',
    });
  });

  afterAll(async () => {
    await gateway?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('has no local issuer without AUTH_MODE: the token endpoint and its keys answer 404', async () => {
    const token = await request(gateway.url)
      .post('/api/v1/auth/token')
      .send({ username: 'admin', password: DEV_PASSWORD })
      .expect(404);
    isProblem(token, 'local-issuer-disabled');
    isProblem(await request(gateway.url).get('/.well-known/jwks.json').expect(404));
  });

  it('serves /metrics on the metrics port only', async () => {
    isProblem(await request(gateway.url).get('/metrics').expect(404));
    const metrics = await request(gateway.metricsUrl).get('/metrics').expect(200);
    expect(metrics.headers['content-type']).toContain('text/plain');
    expect(metrics.text).toContain('process_cpu_user_seconds_total');
    await request(gateway.metricsUrl).get('/health/ready').expect(404);
  });

  it('ignores X-Forwarded-For without TRUST_PROXY: forged addresses share the connection’s limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const response = await request(gateway.url)
        .get('/.well-known/jwks.json')
        .set('x-forwarded-for', `198.51.100.${i + 1}`);
      statuses.push(response.status);
    }
    expect(statuses).toContain(429);
  });

  it('refuses to start with the development password or database credentials, naming each', async () => {
    const { code, output } = await refusedStart({
      NODE_ENV: 'production',
      AUTH_MODE: 'local',
      ITSM_DEV_PASSWORD: 'itsm-dev',
    });
    expect(code).not.toBe(0);
    expect(output).toContain('DATABASE_URL: carries the local development credentials');
    expect(output).toContain('ITSM_DEV_PASSWORD: is the development password');
  });

  it('refuses local mode without a password, or with a weak one, naming ITSM_DEV_PASSWORD', async () => {
    const production = {
      NODE_ENV: 'production',
      AUTH_MODE: 'local',
      ...productionDatabase(directory),
    };
    const missing = await refusedStart(production);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('ITSM_DEV_PASSWORD: is required with AUTH_MODE=local');
    expect(missing.output).toContain('AUTH_SIGNING_KEY: is required with AUTH_MODE=local');
    const weak = await refusedStart({ ...production, ITSM_DEV_PASSWORD: 'Password2026!' });
    expect(weak.code).not.toBe(0);
    expect(weak.output).toContain('ITSM_DEV_PASSWORD: is too easy to guess');
  });
});

describe('several gateway replicas in local mode, sharing AUTH_SIGNING_KEY_FILE', () => {
  const PASSWORD = 'tundra-Violet-47-quarry';
  let directory: string;
  let replicas: ServiceProcess[] = [];

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'itsm-replicas-'));
    // As the Helm chart mounts it: genPrivateKey "ecdsa" (SEC1 PEM, P-256) in a Secret.
    const keyFile = join(directory, 'auth-signing.key');
    writeFileSync(
      keyFile,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({
        type: 'sec1',
        format: 'pem',
      }),
    );
    const env = {
      NODE_ENV: 'production',
      AUTH_MODE: 'local',
      ITSM_DEV_PASSWORD: PASSWORD,
      AUTH_SIGNING_KEY_FILE: keyFile,
      ...productionDatabase(directory),
    };
    replicas = await Promise.all([
      ServiceProcess.start('gateway', env),
      ServiceProcess.start('gateway', env),
    ]);
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    rmSync(directory, { recursive: true, force: true });
  });

  it('accepts at one replica the token another issued, as behind a load balancer', async () => {
    const [first, second] = replicas as [ServiceProcess, ServiceProcess];
    const token = await request(first.url)
      .post('/api/v1/auth/token')
      .send({ username: 'admin', password: PASSWORD })
      .expect(200);
    const { accessToken } = token.body as { accessToken: string };
    for (const replica of [second, first])
      await request(replica.url)
        .get('/api/v1/directory/users')
        .set('authorization', `Bearer ${accessToken}`)
        .expect(200);
    const [firstKeys, secondKeys] = await Promise.all(
      replicas.map((replica) => request(replica.url).get('/.well-known/jwks.json').expect(200)),
    );
    expect(secondKeys?.body).toEqual(firstKeys?.body);
  });
});

describe('login limits, behind a trusted proxy', () => {
  const LOCKOUT_SECONDS = 4;
  let gateway: ServiceProcess;

  beforeAll(async () => {
    gateway = await ServiceProcess.start('gateway', {
      TRUST_PROXY: 'loopback',
      RATE_LIMIT_PER_MINUTE: '20',
      LOGIN_MAX_FAILURES_PER_USER: '3',
      LOGIN_MAX_FAILURES_PER_ADDRESS: '4',
      LOGIN_LOCKOUT_SECONDS: String(LOCKOUT_SECONDS),
    });
  });

  afterAll(async () => {
    await gateway?.stop();
  });

  const login = (username: string, password: string, address: string) =>
    request(gateway.url)
      .post('/api/v1/auth/token')
      .set('x-forwarded-for', address)
      .send({ username, password });

  const expectLocked = (response: request.Response) => {
    expect(response.status).toBe(429);
    isProblem(response, 'too-many-login-attempts');
    const retryAfter = Number(response.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(LOCKOUT_SECONDS);
  };

  it('locks a username after its failures, whatever the address, the right password included', async () => {
    const prefix = `198.51.${Math.floor(Math.random() * 200)}`;
    for (let i = 0; i < 3; i++)
      expect((await login('auditor', 'wrong', `${prefix}.${i + 1}`)).status).toBe(401);
    expectLocked(await login('Auditor', DEV_PASSWORD, `${prefix}.10`));
    // Kept in PostgreSQL, so every gateway replica, and a restarted one, refuses too.
    const [lock] = await queryTestDatabase<{ locked: boolean }>(
      `SELECT locked_until > now() AS locked FROM gateway.login_attempt_counters WHERE key = 'user:auditor'`,
    );
    expect(lock?.locked).toBe(true);
    // Another user from another address is not held up.
    await login('agent', DEV_PASSWORD, `${prefix}.11`).expect(200);
    // After the lockout the user logs in again; the other suites of the run need it.
    await eventually(
      async () =>
        (await login('auditor', DEV_PASSWORD, `${prefix}.12`)).status === 200 ? true : undefined,
      {
        timeoutMs: (LOCKOUT_SECONDS + 10) * 1000,
        intervalMs: 1000,
        description: 'the lockout to end',
      },
    );
  });

  it('locks an address that tries many usernames, and only that address', async () => {
    const host = Math.floor(Math.random() * 250) + 1;
    const address = `203.0.113.${host}`;
    for (let i = 0; i < 4; i++)
      expect((await login(`nobody-${randomUUID().slice(0, 8)}`, 'guess', address)).status).toBe(
        401,
      );
    expectLocked(await login('agent', DEV_PASSWORD, address));
    await login('agent', DEV_PASSWORD, `192.0.2.${host}`).expect(200);
  });

  it('counts each forwarded client address on its own with TRUST_PROXY', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) {
      const response = await request(gateway.url)
        .get('/.well-known/jwks.json')
        .set('x-forwarded-for', `100.64.${Math.floor(Math.random() * 250)}.${i + 1}`);
      statuses.push(response.status);
    }
    expect(statuses.every((status) => status === 200)).toBe(true);
  });
});
