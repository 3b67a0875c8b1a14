import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import {
  DEV_PASSWORD,
  REPO_ROOT,
  ServiceProcess,
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
        ...serviceEnvironment(env),
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
    const weak = await refusedStart({ ...production, ITSM_DEV_PASSWORD: 'Password2026!' });
    expect(weak.code).not.toBe(0);
    expect(weak.output).toContain('ITSM_DEV_PASSWORD: is too easy to guess');
  });
});
