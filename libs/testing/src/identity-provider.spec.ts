import { randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { TestIdentityProvider, s256CodeChallenge } from './identity-provider';

const CLIENT = 'itsm-console';
const AUDIENCE = 'itsm-api';
const REDIRECT = 'http://127.0.0.1:4999/auth/callback';

describe('the test identity provider', () => {
  let provider: TestIdentityProvider;

  beforeAll(async () => {
    provider = await TestIdentityProvider.start({
      clientId: CLIENT,
      audience: AUDIENCE,
      users: [
        { sub: 'u-1', username: 'olive', name: 'Olive Agent', roles: ['agent'], groups: ['desk'] },
      ],
      redirectUris: [REDIRECT],
    });
  });

  afterAll(() => provider?.stop());

  function authorizationRequest(challenge: string, extra: Record<string, string> = {}) {
    return new URLSearchParams({
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid profile',
      state: 'state-1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      ...extra,
    });
  }

  /** Through the provider's page as a browser would: its form, then the redirect's code. */
  async function codeFor(verifier: string, extra: Record<string, string> = {}): Promise<string> {
    const request = authorizationRequest(s256CodeChallenge(verifier), extra);
    const pageAnswer = await fetch(`${provider.authorizationEndpoint}?${request.toString()}`);
    expect(pageAnswer.status).toBe(200);
    const html = await pageAnswer.text();
    expect(html).toContain('<label for="username">User</label>');
    expect(html).toContain('Continue');
    const back = await fetch(provider.authorizationEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ request: request.toString(), username: 'olive' }),
      redirect: 'manual',
    });
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') ?? '');
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('state-1');
    return location.searchParams.get('code') ?? '';
  }

  function redeem(code: string, verifier: string, extra: Record<string, string> = {}) {
    return fetch(provider.tokenEndpoint, {
      method: 'POST',
      headers: { origin: 'http://127.0.0.1:4999' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        redirect_uri: REDIRECT,
        client_id: CLIENT,
        code_verifier: verifier,
        ...extra,
      }),
    });
  }

  const newVerifier = () => randomBytes(32).toString('base64url');

  it('computes the S256 challenge of RFC 7636 (its appendix B example)', () => {
    expect(s256CodeChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('publishes its endpoints, code flow and S256 only, to the client origin', async () => {
    const answer = await fetch(`${provider.issuer}/.well-known/openid-configuration`, {
      headers: { origin: 'http://127.0.0.1:4999' },
    });
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4999');
    await expect(answer.json()).resolves.toMatchObject({
      issuer: provider.issuer,
      authorization_endpoint: provider.authorizationEndpoint,
      token_endpoint: provider.tokenEndpoint,
      jwks_uri: provider.jwksUrl,
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    const elsewhere = await fetch(provider.jwksUrl, { headers: { origin: 'http://evil.test' } });
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
  });

  it.each([
    ['an unknown client', { client_id: 'other' }],
    ['an unregistered redirect URI', { redirect_uri: 'http://127.0.0.1:4999/elsewhere' }],
    ['the implicit flow', { response_type: 'token' }],
    ['the plain challenge method', { code_challenge_method: 'plain' }],
    ['no code challenge', { code_challenge: '' }],
  ])('refuses an authorisation request with %s, without redirecting', async (_, extra) => {
    const request = authorizationRequest(s256CodeChallenge(newVerifier()), extra);
    const answer = await fetch(`${provider.authorizationEndpoint}?${request.toString()}`, {
      redirect: 'manual',
    });
    expect(answer.status).toBe(400);
    await expect(answer.text()).resolves.toContain('role="alert"');
  });

  it('sends the user back with access_denied and the state when they cancel', async () => {
    const request = authorizationRequest(s256CodeChallenge(newVerifier()));
    const back = await fetch(provider.authorizationEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ request: request.toString(), cancel: '1' }),
      redirect: 'manual',
    });
    expect(back.status).toBe(302);
    const location = new URL(back.headers.get('location') ?? '');
    expect(Object.fromEntries(location.searchParams)).toMatchObject({
      error: 'access_denied',
      state: 'state-1',
    });
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('exchanges a code and its verifier for tokens the key set verifies', async () => {
    const verifier = newVerifier();
    const code = await codeFor(verifier, { nonce: 'nonce-1' });
    const answer = await redeem(code, verifier);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:4999');
    const tokens = (await answer.json()) as Record<string, unknown>;
    expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 300 });

    const keys = createRemoteJWKSet(new URL(provider.jwksUrl));
    const access = await jwtVerify(tokens.access_token as string, keys, {
      issuer: provider.issuer,
      audience: AUDIENCE,
    });
    expect(access.payload).toMatchObject({
      sub: 'u-1',
      preferred_username: 'olive',
      roles: ['agent'],
      groups: ['desk'],
    });
    const id = await jwtVerify(tokens.id_token as string, keys, {
      issuer: provider.issuer,
      audience: CLIENT,
    });
    expect(id.payload).toMatchObject({ sub: 'u-1', nonce: 'nonce-1' });
    expect(typeof id.payload.iat).toBe('number');
    expect(typeof id.payload.exp).toBe('number');
  });

  it('refuses a verifier that does not hash to the challenge, and the code is spent', async () => {
    const verifier = newVerifier();
    const code = await codeFor(verifier);
    const wrong = await redeem(code, newVerifier());
    expect(wrong.status).toBe(400);
    await expect(wrong.json()).resolves.toMatchObject({ error: 'invalid_grant' });
    const retried = await redeem(code, verifier);
    expect(retried.status).toBe(400);
    await expect(retried.json()).resolves.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a token request without a verifier', async () => {
    const code = await codeFor(newVerifier());
    const answer = await redeem(code, '');
    expect(answer.status).toBe(400);
    await expect(answer.json()).resolves.toMatchObject({ error: 'invalid_grant' });
  });

  it('redeems a code once only', async () => {
    const verifier = newVerifier();
    const code = await codeFor(verifier);
    expect((await redeem(code, verifier)).status).toBe(200);
    const again = await redeem(code, verifier);
    expect(again.status).toBe(400);
    await expect(again.json()).resolves.toMatchObject({ error: 'invalid_grant' });
  });

  it('refuses a code sent with another redirect URI or client, or another grant type', async () => {
    const verifier = newVerifier();
    const elsewhere = await redeem(await codeFor(verifier), verifier, {
      redirect_uri: 'http://127.0.0.1:4999/other',
    });
    expect(elsewhere.status).toBe(400);
    const otherClient = await redeem(await codeFor(verifier), verifier, { client_id: 'other' });
    expect(otherClient.status).toBe(400);
    const password = await redeem(await codeFor(verifier), verifier, { grant_type: 'password' });
    await expect(password.json()).resolves.toMatchObject({ error: 'unsupported_grant_type' });
  });

  const refresh = (refreshToken: string, clientId = CLIENT) =>
    fetch(provider.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: refreshToken,
        client_id: clientId,
      }),
    });

  it('renews tokens with a refresh token, once per refresh token (rotation)', async () => {
    const verifier = newVerifier();
    const first = (await (await redeem(await codeFor(verifier), verifier)).json()) as {
      refresh_token: string;
    };
    const before = provider.refreshes;
    const renewed = await refresh(first.refresh_token);
    expect(renewed.status).toBe(200);
    const body = (await renewed.json()) as { access_token: string; refresh_token: string };
    expect(body.refresh_token).not.toBe(first.refresh_token);
    const { payload } = await jwtVerify(
      body.access_token,
      createRemoteJWKSet(new URL(provider.jwksUrl)),
      { issuer: provider.issuer, audience: AUDIENCE },
    );
    expect(payload.preferred_username).toBe('olive');
    expect(provider.refreshes).toBe(before + 1);

    await expect((await refresh(first.refresh_token)).json()).resolves.toMatchObject({
      error: 'invalid_grant',
    });
    expect((await refresh(body.refresh_token, 'other')).status).toBe(400);
  });

  it("ends the user's session and sends the browser back to the client's origin only", async () => {
    const verifier = newVerifier();
    const tokens = (await (await redeem(await codeFor(verifier), verifier)).json()) as {
      id_token: string;
    };
    const back = await fetch(
      `${provider.endSessionEndpoint}?${new URLSearchParams({
        id_token_hint: tokens.id_token,
        post_logout_redirect_uri: 'http://127.0.0.1:4999/',
        state: 's-9',
      }).toString()}`,
      { redirect: 'manual' },
    );
    expect(back.status).toBe(302);
    expect(back.headers.get('location')).toBe('http://127.0.0.1:4999/?state=s-9');
    expect(provider.signedOut.at(-1)).toBe('olive');

    const elsewhere = await fetch(
      `${provider.endSessionEndpoint}?post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
      { redirect: 'manual' },
    );
    expect(elsewhere.status).toBe(400);
  });
});
