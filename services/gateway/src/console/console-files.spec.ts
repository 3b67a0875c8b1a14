import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { consoleContentSecurityPolicy, consoleFiles } from './console-files';

describe('the console files', () => {
  let directory: string;
  let app: express.Express;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'console-files-'));
    mkdirSync(join(directory, 'assets'));
    writeFileSync(join(directory, 'index.html'), '<!doctype html><title>console</title>');
    writeFileSync(join(directory, 'assets', 'app-1a2b.js'), 'void 0;');
    writeFileSync(join(directory, 'assets', 'app-1a2b.js.br'), brotliCompressSync('void 0;'));
    writeFileSync(join(directory, 'assets', 'app-1a2b.js.gz'), gzipSync('void 0;'));
    const handler = consoleFiles({ directory, identityProviderOrigin: 'https://id.example.com' });
    app = express();
    app.get('/api/v1/known', (_request, response) => {
      response.json({ ok: true });
    });
    app.use(handler!);
    app.use((_request, response) => {
      response.status(404).json({ status: 404 });
    });
  });

  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  it('answers pages with index.html, revalidated, under the console policy', async () => {
    for (const path of ['/', '/queue', '/incidents/1']) {
      const response = await request(app).get(path).set('accept', 'text/html').expect(200);
      expect(response.text).toContain('<title>console</title>');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers['content-security-policy']).toContain(
        "connect-src 'self' https://id.example.com",
      );
    }
  });

  it('caches hashed assets for a year and never answers a missing one with the page', async () => {
    const asset = await request(app).get('/assets/app-1a2b.js').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    await request(app).get('/assets/app-gone.js').expect(404);
  });

  it('sends the compressed copy the browser takes, Brotli first, and the file itself otherwise', async () => {
    const brotli = await request(app)
      .get('/assets/app-1a2b.js')
      .set('accept-encoding', 'gzip, deflate, br')
      .expect(200);
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotli.headers['content-type']).toMatch(/^text\/javascript|^application\/javascript/);
    expect(brotli.headers['vary']).toContain('Accept-Encoding');
    expect(brotli.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(brotli.text).toBe('void 0;');

    const gzip = await request(app)
      .get('/assets/app-1a2b.js')
      .set('accept-encoding', 'gzip')
      .expect(200);
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gzip.text).toBe('void 0;');

    const plain = await request(app)
      .get('/assets/app-1a2b.js')
      .set('accept-encoding', 'identity')
      .expect(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.text).toBe('void 0;');
  });

  it('leaves the API, other methods and non-HTML requests alone', async () => {
    await request(app).get('/api/v1/known').expect(200, { ok: true });
    const unknown = await request(app).get('/api/v1/unknown').set('accept', 'text/html');
    expect(unknown.status).toBe(404);
    expect(unknown.headers['content-security-policy']).toBeUndefined();
    await request(app).post('/queue').expect(404);
    await request(app).get('/queue').set('accept', 'application/json').expect(404);
    for (const path of ['/docs/x', '/health/nope', '/.well-known/x', '/metrics'])
      await request(app).get(path).set('accept', 'text/html').expect(404);
  });

  it('is absent when the folder has no index.html', () => {
    expect(
      consoleFiles({ directory: tmpdir(), identityProviderOrigin: undefined }),
    ).toBeUndefined();
  });

  it('asks for HTTPS upgrades only when served over HTTPS', () => {
    expect(consoleContentSecurityPolicy(undefined, false)).not.toContain(
      'upgrade-insecure-requests',
    );
    expect(consoleContentSecurityPolicy(undefined, true)).toContain('upgrade-insecure-requests');
    expect(consoleContentSecurityPolicy(undefined, false)).toContain("connect-src 'self';");
  });
});
