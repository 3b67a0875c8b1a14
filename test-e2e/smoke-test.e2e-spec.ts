import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import request from 'supertest';
import { DEV_PASSWORD, REPO_ROOT, ServiceProcess, freePort, tokenFor } from '@itsm/testing';

const run = promisify(execFile);
const ISSUER = 'https://idp.example.test/realms/itsm';
const AUDIENCE = 'itsm-api';
const CLIENT_ID = 'itsm-helm-test';
const CLIENT_SECRET = 'a client secret: with colon & ampersand';

/**
 * An identity provider with a client-credentials token endpoint and its key set: what
 * Keycloak or Entra ID answer the smoke test's grant with, for one confidential client.
 */
class FakeIdentityProvider {
  private key!: { privateKey: CryptoKey; jwk: JWK };
  private readonly server: Server = createServer((incoming, response) => {
    let body = '';
    incoming.on('data', (chunk: Buffer) => (body += chunk.toString()));
    incoming.on('end', () => {
      if (incoming.url === '/jwks') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ keys: [this.key.jwk] }));
        return;
      }
      const form = new URLSearchParams(body);
      const expected = `Basic ${Buffer.from(
        `${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`,
      ).toString('base64')}`;
      if (incoming.url !== '/token' || incoming.method !== 'POST') {
        response.writeHead(404).end();
      } else if (incoming.headers.authorization !== expected) {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'invalid_client' }));
      } else if (form.get('grant_type') !== 'client_credentials' || form.get('scope') !== 'itsm') {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: 'invalid_request' }));
      } else {
        void new SignJWT({ preferred_username: CLIENT_ID, roles: ['agent'] })
          .setProtectedHeader({ alg: 'ES256', kid: 'idp-key' })
          .setIssuer(ISSUER)
          .setAudience(AUDIENCE)
          .setSubject(CLIENT_ID)
          .setIssuedAt()
          .setExpirationTime('5m')
          .sign(this.key.privateKey)
          .then((token) => {
            response.writeHead(200, { 'content-type': 'application/json' });
            response.end(
              JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 300 }),
            );
          });
      }
    });
  });
  url = '';

  async start(): Promise<this> {
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    this.key = {
      privateKey,
      jwk: { ...(await exportJWK(publicKey)), kid: 'idp-key', alg: 'ES256', use: 'sig' },
    };
    const port = await freePort();
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${port}`;
    return this;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** The smoke test as `helm test` runs it: the built script, its own environment only. */
async function smokeTest(env: Record<string, string>): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--enable-source-maps', join(REPO_ROOT, 'dist/tools/smoke-test.js')],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 60_000 },
    );
    return { code: 0, output: `${stdout}${stderr}` };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? -1, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
}

describe('the smoke test (helm test), against a running gateway and incident service', () => {
  let directory: string;
  let idp: FakeIdentityProvider;
  let incident: ServiceProcess;
  let localGateway: ServiceProcess;
  let oidcGateway: ServiceProcess;

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), 'itsm-smoke-'));
    idp = await new FakeIdentityProvider().start();
    incident = await ServiceProcess.start('incident');
    [localGateway, oidcGateway] = await Promise.all([
      ServiceProcess.start('gateway', { INCIDENT_URL: incident.url }),
      ServiceProcess.start('gateway', {
        INCIDENT_URL: incident.url,
        AUTH_MODE: 'oidc',
        AUTH_ISSUER: ISSUER,
        AUTH_AUDIENCE: AUDIENCE,
        AUTH_JWKS_URL: `${idp.url}/jwks`,
      }),
    ]);
  });

  afterAll(async () => {
    await Promise.all([localGateway?.stop(), oidcGateway?.stop()]);
    await incident?.stop();
    await idp?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  const passwordFile = (content: string) => {
    const file = join(directory, `secret-${Math.random().toString(36).slice(2)}`);
    writeFileSync(file, `${content}\n`);
    return file;
  };

  it('logs in at the local issuer, creates an incident and reads it back, one line per step', async () => {
    const { code, output } = await smokeTest({
      ITSM_SMOKE_BASE_URL: localGateway.url,
      ITSM_SMOKE_USERNAME: 'agent',
      ITSM_SMOKE_PASSWORD_FILE: passwordFile(DEV_PASSWORD),
    });
    expect({ code, output }).toMatchObject({ code: 0 });
    const lines = output.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^ok ready: .*\/health\/ready after 1 attempt/),
      'ok token: the local issuer logged agent in',
      expect.stringMatching(/^ok create: incident INC\d+ \([0-9a-f-]{36}\)$/),
      expect.stringMatching(/^ok read: incident [0-9a-f-]{36} as created$/),
      'smoke test passed',
    ]);
    const id = /\(([0-9a-f-]{36})\)/.exec(output)?.[1];
    const created = await request(localGateway.url)
      .get(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${await tokenFor(localGateway.url, 'agent')}`)
      .expect(200);
    expect(created.body).toMatchObject({ title: expect.stringMatching(/^Smoke test /) });
  });

  it('fails at the token step with the gateway’s problem+json for a wrong password', async () => {
    const { code, output } = await smokeTest({
      ITSM_SMOKE_BASE_URL: localGateway.url,
      ITSM_SMOKE_USERNAME: 'agent',
      ITSM_SMOKE_PASSWORD: 'not the password',
    });
    expect(code).toBe(1);
    expect(output).toMatch(/^FAILED token: HTTP 401 application\/problem\+json.*"status":401/m);
    expect(output).not.toContain('ok create');
  });

  it('gets its token by the OIDC client-credentials grant from the identity provider', async () => {
    const { code, output } = await smokeTest({
      ITSM_SMOKE_BASE_URL: oidcGateway.url,
      ITSM_SMOKE_TOKEN_URL: `${idp.url}/token`,
      ITSM_SMOKE_CLIENT_ID: CLIENT_ID,
      ITSM_SMOKE_CLIENT_SECRET_FILE: passwordFile(CLIENT_SECRET),
      ITSM_SMOKE_SCOPE: 'itsm',
    });
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output).toContain(`ok token: client credentials of ${CLIENT_ID} at ${idp.url}/token`);
    expect(output).toContain('smoke test passed');
  });

  it('fails at the token step with the identity provider’s answer for a wrong client secret', async () => {
    const { code, output } = await smokeTest({
      ITSM_SMOKE_BASE_URL: oidcGateway.url,
      ITSM_SMOKE_TOKEN_URL: `${idp.url}/token`,
      ITSM_SMOKE_CLIENT_ID: CLIENT_ID,
      ITSM_SMOKE_CLIENT_SECRET: 'wrong',
      ITSM_SMOKE_SCOPE: 'itsm',
    });
    expect(code).toBe(1);
    expect(output).toContain('FAILED token: HTTP 401 application/json {"error":"invalid_client"}');
  });

  it('refuses to run without credentials, naming the variables (exit 2)', async () => {
    const { code, output } = await smokeTest({ ITSM_SMOKE_BASE_URL: localGateway.url });
    expect(code).toBe(2);
    expect(output).toContain('no credentials: set ITSM_SMOKE_USERNAME and ITSM_SMOKE_PASSWORD');
  });
});
