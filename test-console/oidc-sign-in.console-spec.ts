import { type Browser, type Page, type Request } from 'playwright-core';
import request from 'supertest';
import { decodeJwt } from 'jose';
import { RunningPlatform, TestIdentityProvider, eventually } from '@itsm/testing';
import { launchChromium, newPage, screenshot, seriousViolations } from './support/browser';

const CLIENT_ID = 'itsm-console';
const AUDIENCE = 'itsm-api';
const AGENT = { sub: 'oidc-0001', username: 'olive', name: 'Olive Agent' };
const REQUESTER = { sub: 'oidc-0002', username: 'rory', name: 'Rory Requester' };

describe('signing in to the console at an OpenID Connect provider', () => {
  let provider: TestIdentityProvider;
  let platform: RunningPlatform;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    provider = await TestIdentityProvider.start({
      clientId: CLIENT_ID,
      audience: AUDIENCE,
      users: [
        { ...AGENT, roles: ['agent'], groups: ['service-desk'] },
        { ...REQUESTER, roles: ['requester'] },
      ],
      // The console renews a token in its last minute: every few seconds here.
      tokenTtlSeconds: 66,
    });
    platform = await RunningPlatform.start(['gateway', 'incident'], {
      AUTH_MODE: 'oidc',
      AUTH_ISSUER: provider.issuer,
      AUTH_AUDIENCE: AUDIENCE,
      AUTH_JWKS_URL: provider.jwksUrl,
      CONSOLE_OIDC_CLIENT_ID: CLIENT_ID,
    });
    provider.allowRedirect(`${platform.gatewayUrl}/auth/callback`);
    browser = await launchChromium();
    page = await newPage(browser, platform.gatewayUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await platform?.stop();
    await provider?.stop();
  });

  /** From the console's sign-in page to the provider's, checking what the console asked for. */
  async function goToProvider(): Promise<URL> {
    const button = page.getByRole('button', { name: 'Sign in with your organisation' });
    await button.waitFor();
    await button.click();
    await page.waitForURL((url) => url.origin === provider.origin);
    const at = new URL(page.url());
    expect(at.pathname).toBe('/authorize');
    expect(Object.fromEntries(at.searchParams)).toMatchObject({
      client_id: CLIENT_ID,
      redirect_uri: `${platform.gatewayUrl}/auth/callback`,
      response_type: 'code',
      code_challenge_method: 'S256',
      code_challenge: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      state: expect.any(String),
    });
    return at;
  }

  /** The provider's page: pick the user and continue. */
  async function continueAs(username: string): Promise<void> {
    await page.getByRole('heading', { name: 'Test identity provider' }).waitFor();
    await page.getByLabel('User').selectOption(username);
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('offers the provider instead of a password form', async () => {
    await page.goto('/');
    await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
    expect(await page.locator('input[type=password]').count()).toBe(0);
    expect(await page.getByLabel('User name').count()).toBe(0);
    await screenshot(page, 'sign-in-oidc');
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows why when the user cancels at the provider, and lets them start again', async () => {
    await goToProvider();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForURL((url) => url.pathname === '/auth/callback');
    await page.getByText('The user cancelled the sign-in.').waitFor();
    await screenshot(page, 'sign-in-oidc-cancelled');
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('link', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
  });

  it('signs an agent in at the provider with PKCE and comes back to the incident queue', async () => {
    const authorization = await goToProvider();

    // Held until the callback page has been looked at, so that it can be.
    let releaseToken = () => {};
    const tokenHeld = new Promise<void>((resolve) => (releaseToken = resolve));
    await page.route(
      provider.tokenEndpoint,
      async (route) => {
        await tokenHeld;
        await route.continue();
      },
      { times: 1 },
    );
    const tokenRequest = page.waitForRequest(
      (sent) => sent.url() === provider.tokenEndpoint && sent.method() === 'POST',
    );
    await continueAs(AGENT.username);

    await page.waitForURL((url) => url.pathname === '/auth/callback');
    const callback = new URL(page.url());
    expect(callback.origin).toBe(platform.gatewayUrl);
    expect(callback.searchParams.get('code')).toBeTruthy();
    expect(callback.searchParams.get('state')).toBe(authorization.searchParams.get('state'));
    await page.getByText('Completing sign-in…').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The console redeems the code with the verifier whose hash it sent as the challenge.
    const exchange = new URLSearchParams((await tokenRequest).postData() ?? '');
    expect(exchange.get('grant_type')).toBe('authorization_code');
    expect(exchange.get('code')).toBe(callback.searchParams.get('code'));
    expect(exchange.get('code_verifier')).toMatch(/^[A-Za-z0-9\-._~]{43,128}$/);
    releaseToken();

    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    expect(page.url()).toMatch(/\/queue$/);
    await page.getByText(`Signed in as ${AGENT.username} (agent)`).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // The provider's token outlives a reload of the tab (sessionStorage), without a new sign-in.
    await page.reload();
    await page.getByText(`Signed in as ${AGENT.username} (agent)`).waitFor();
    expect(new URL(page.url()).origin).toBe(platform.gatewayUrl);
  });

  it("raises an incident with the provider's token, recorded as raised by that user", async () => {
    const apiCalls: Request[] = [];
    page.on('request', (sent) => {
      if (new URL(sent.url()).pathname.startsWith('/api/v1/incidents')) apiCalls.push(sent);
    });
    const title = `Badge reader at the side door ${Date.now()}`;
    await page.getByRole('link', { name: 'New incident' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Description').fill('Blinks red for every badge');
    await page.getByLabel('Description').press('Control+Enter');
    const heading = page.getByRole('heading', { level: 1, name: new RegExp(title) });
    await heading.waitFor();
    const id = new URL(page.url()).pathname.split('/').pop() as string;

    const created = apiCalls.find((sent) => sent.method() === 'POST');
    const bearer = /^Bearer (.+)$/.exec((await created?.allHeaders())?.authorization ?? '')?.[1];
    expect(bearer).toBeDefined();
    expect(decodeJwt(bearer!)).toMatchObject({
      iss: provider.issuer,
      aud: AUDIENCE,
      sub: AGENT.sub,
      preferred_username: AGENT.username,
    });

    const record = await request(platform.gatewayUrl)
      .get(`/api/v1/incidents/${id}`)
      .set('authorization', `Bearer ${await provider.accessTokenFor(AGENT.username)}`)
      .expect(200);
    expect(record.body).toMatchObject({ id, title, requester: AGENT.username });
  });

  it('renews the token at the provider before it expires, and calls the API with the new one', async () => {
    const tokenInTab = () =>
      page.evaluate<string | null>("window.sessionStorage.getItem('itsm.console.token')");
    const first = await tokenInTab();
    const refreshes = provider.refreshes;
    const renewed = await eventually(
      async () => {
        const now = await tokenInTab();
        return provider.refreshes > refreshes && now && now !== first ? now : undefined;
      },
      { timeoutMs: 30_000, description: 'the console to renew its token' },
    );
    expect(decodeJwt(renewed)).toMatchObject({ sub: AGENT.sub, iss: provider.issuer });

    const listed = page.waitForRequest((sent) =>
      new URL(sent.url()).pathname.startsWith('/api/v1/incidents'),
    );
    await page.getByRole('link', { name: 'Incident queue' }).click();
    const sent = await listed;
    expect((await sent.allHeaders()).authorization).toBe(`Bearer ${renewed}`);
    await page.getByText(`Signed in as ${AGENT.username} (agent)`).waitFor();
  });

  it('signs out at the provider too, and a requester lands on their own incidents', async () => {
    const signedOut = provider.signedOut.length;
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
    expect(provider.signedOut.slice(signedOut)).toEqual([AGENT.username]);
    expect(new URL(page.url()).search).toBe('');

    await goToProvider();
    await continueAs(REQUESTER.username);
    await page.getByRole('heading', { name: 'My incidents' }).waitFor();
    await page.getByText(`Signed in as ${REQUESTER.username} (requester)`).waitFor();
    expect(await page.getByRole('link', { name: 'Incident queue' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing of the session is left in the tab to sign back in with.
    await page.reload();
    await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
    expect(await page.evaluate('window.sessionStorage.length')).toBe(0);
  });
});
