import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { RunningPlatform, tokenFor } from '@itsm/testing';

/** A console build of its own, so that the test does not depend on what Vite wrote. */
function fakeConsole(): string {
  const directory = mkdtempSync(join(tmpdir(), 'itsm-console-'));
  mkdirSync(join(directory, 'assets'));
  writeFileSync(
    join(directory, 'index.html'),
    '<!doctype html><html lang="en"><head><title>ITSM console</title><script type="module" src="/assets/index-abc123.js"></script></head><body><div id="root"></div></body></html>',
  );
  writeFileSync(join(directory, 'assets', 'index-abc123.js'), 'console.log("console");\n');
  writeFileSync(join(directory, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  return directory;
}

describe('the web console, served by the gateway', () => {
  let platform: RunningPlatform;
  let directory: string;
  const api = () => request(platform.gatewayUrl);

  beforeAll(async () => {
    directory = fakeConsole();
    platform = await RunningPlatform.start(['gateway', 'incident'], { CONSOLE_DIR: directory });
  });

  afterAll(async () => {
    await platform?.stop();
    rmSync(directory, { recursive: true, force: true });
  });

  it('answers / and the pages the console routes with its index.html, never cached, unauthenticated', async () => {
    for (const path of ['/', '/queue', '/incidents/6f1c1e36-62f8-4a54-9b7e-1f8ab0f0b2a1']) {
      const response = await api().get(path).set('accept', 'text/html').expect(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.text).toContain('<title>ITSM console</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
      const policy = response.headers['content-security-policy'];
      expect(policy).toContain("default-src 'self'");
      expect(policy).toContain("script-src 'self'");
      expect(policy).toContain("connect-src 'self'");
      expect(policy).toContain("frame-ancestors 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('serves a hashed asset for a year, and a missing one as a 404, not the page', async () => {
    const asset = await api().get('/assets/index-abc123.js').expect(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.text).toContain('console');
    const missing = await api().get('/assets/index-gone.js').expect(404);
    expect(missing.text).not.toContain('ITSM console');
  });

  it('leaves the API as it was: authenticated, problem+json for what does not exist, its own headers', async () => {
    const unauthenticated = await api()
      .get('/api/v1/incidents')
      .set('accept', 'text/html')
      .expect(401);
    expect(unauthenticated.headers['content-type']).toContain('application/problem+json');
    const unknown = await api().get('/api/v1/nothing-here').set('accept', 'text/html').expect(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
    const token = await tokenFor(platform.gatewayUrl, 'agent');
    await api().get('/api/v1/incidents').set('authorization', `Bearer ${token}`).expect(200);
    // The reference page keeps helmet's policy, the console's does not replace it.
    const docs = await api().get('/docs').expect(200);
    expect(docs.headers['content-security-policy']).toContain("style-src 'self' https:");
    // Not a page: a POST elsewhere is not the console's.
    await api().post('/queue').send({}).expect(404);
  });

  it('tells how to sign in without a token, and who the caller is with one', async () => {
    const config = await api().get('/api/v1/auth/config').expect(200);
    expect(config.body).toEqual({ mode: 'local', oidc: null });
    await api().get('/api/v1/auth/me').expect(401);
    const token = await tokenFor(platform.gatewayUrl, 'agent');
    const me = await api()
      .get('/api/v1/auth/me')
      .set('authorization', `Bearer ${token}`)
      .expect(200);
    expect(me.body).toMatchObject({ username: 'agent', roles: ['agent'] });
    expect(me.body.permissions).toContain('incident:update');
    expect(me.body.permissions).not.toContain('directory:write');
  });
});
