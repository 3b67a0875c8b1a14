import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';
import { freePort } from './free-port';

/** Someone the test identity provider can sign in. */
export interface IdentityProviderUser {
  /** The stable subject (`sub`). */
  sub: string;
  /** What the gateway reads as the user name (`preferred_username`). */
  username: string;
  /** Shown on the provider's page and put in the tokens' `name`. */
  name: string;
  roles: string[];
  groups?: string[];
}

export interface TestIdentityProviderOptions {
  /** The one public client the provider knows (the console's `CONSOLE_OIDC_CLIENT_ID`). */
  clientId: string;
  /** The `aud` of the access tokens (the gateway's `AUTH_AUDIENCE`). */
  audience: string;
  users: readonly IdentityProviderUser[];
  /** Where the client may be sent back to; more can be added once known ({@link TestIdentityProvider.allowRedirect}). */
  redirectUris?: readonly string[];
  /** Seconds an access or ID token is valid. */
  tokenTtlSeconds?: number;
}

/** What `/token` answers, as the OAuth 2.0 token endpoint does. */
export interface TokenResponse {
  access_token: string;
  id_token: string;
  /** Single use: each refresh answers a new one (rotation, as current providers do). */
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

/** What a refresh token stands for. */
interface Grant {
  clientId: string;
  scope: string;
  user: IdentityProviderUser;
}

interface PendingCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  nonce: string | undefined;
  scope: string;
  user: IdentityProviderUser;
  expiresAt: number;
}

/** The parameters of an authorisation request, checked. */
interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  state: string | undefined;
  nonce: string | undefined;
  scope: string;
}

class OAuthError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    description: string,
  ) {
    super(description);
  }
}

const CODE_TTL_MS = 60_000;
const KEY_ID = 'test-provider-key';

/** BASE64URL(SHA-256(verifier)): the `S256` code challenge of RFC 7636. */
export function s256CodeChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (character) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[character]!,
  );
}

/**
 * An OpenID Connect provider for tests, on a free loopback port: discovery, a key set, an
 * authorisation endpoint with a page to choose who signs in, and a token endpoint for the
 * authorisation code flow with PKCE (S256 only; each code redeemable once). Its access
 * tokens carry what the gateway reads in `AUTH_MODE=oidc`: `iss`, `aud`, `sub`,
 * `preferred_username`, `roles` and `groups`. Browsers on the registered redirect URIs'
 * origins may call discovery, the key set and the token endpoint (CORS).
 */
export class TestIdentityProvider {
  issuer = '';
  private readonly redirectUris = new Set<string>();
  private readonly codes = new Map<string, PendingCode>();
  private readonly refreshTokens = new Map<string, Grant>();
  /** How many refresh grants were answered: a client's silent renewals. */
  refreshes = 0;
  /** The users whose session at the provider was ended (`end_session_endpoint`), in order. */
  readonly signedOut: string[] = [];
  private readonly server: Server;
  private readonly ttlSeconds: number;

  private constructor(
    private readonly options: TestIdentityProviderOptions,
    private readonly privateKey: CryptoKey,
    private readonly publicJwk: JWK,
  ) {
    for (const uri of options.redirectUris ?? []) this.redirectUris.add(uri);
    this.ttlSeconds = options.tokenTtlSeconds ?? 300;
    this.server = createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
        response.end(error instanceof Error ? error.message : 'internal error');
      });
    });
  }

  static async start(options: TestIdentityProviderOptions): Promise<TestIdentityProvider> {
    const { privateKey, publicKey } = await generateKeyPair('RS256');
    const jwk: JWK = { ...(await exportJWK(publicKey)), kid: KEY_ID, alg: 'RS256', use: 'sig' };
    const provider = new TestIdentityProvider(options, privateKey, jwk);
    const port = await freePort();
    await new Promise<void>((resolve) => provider.server.listen(port, '127.0.0.1', resolve));
    provider.issuer = `http://127.0.0.1:${port}`;
    return provider;
  }

  get origin(): string {
    return new URL(this.issuer).origin;
  }

  get jwksUrl(): string {
    return `${this.issuer}/jwks`;
  }

  get authorizationEndpoint(): string {
    return `${this.issuer}/authorize`;
  }

  get tokenEndpoint(): string {
    return `${this.issuer}/token`;
  }

  get endSessionEndpoint(): string {
    return `${this.issuer}/logout`;
  }

  /** Registers a redirect URI of the client; its origin may then call the provider from a browser. */
  allowRedirect(uri: string): void {
    this.redirectUris.add(uri);
  }

  /** An access token for the user, as the token endpoint would give it (for API calls of the test's own). */
  async accessTokenFor(username: string): Promise<string> {
    return this.accessToken(this.user(username), 'openid profile');
  }

  /**
   * What the provider's page does when the user picks a name: the address the browser is
   * sent back to, the client's redirect URI with a fresh `code` and the request's `state`.
   */
  authorize(request: URLSearchParams, username: string): string {
    const checked = this.checkAuthorizationRequest(request);
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, {
      clientId: checked.clientId,
      redirectUri: checked.redirectUri,
      codeChallenge: checked.codeChallenge,
      nonce: checked.nonce,
      scope: checked.scope,
      user: this.user(username),
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    const back = new URL(checked.redirectUri);
    back.searchParams.set('code', code);
    if (checked.state !== undefined) back.searchParams.set('state', checked.state);
    return back.toString();
  }

  /** What the provider's page does when the user cancels: back to the client with `access_denied`. */
  deny(request: URLSearchParams): string {
    const checked = this.checkAuthorizationRequest(request);
    const back = new URL(checked.redirectUri);
    back.searchParams.set('error', 'access_denied');
    back.searchParams.set('error_description', 'The user cancelled the sign-in.');
    if (checked.state !== undefined) back.searchParams.set('state', checked.state);
    return back.toString();
  }

  /** The token endpoint's work: the code's (or refresh token's) tokens, or an {@link OAuthError}. */
  async redeem(form: URLSearchParams): Promise<TokenResponse> {
    const grantType = form.get('grant_type');
    if (grantType === 'refresh_token') return this.refresh(form);
    if (grantType !== 'authorization_code')
      throw new OAuthError(
        400,
        'unsupported_grant_type',
        'only authorization_code and refresh_token are supported',
      );
    const code = form.get('code') ?? '';
    const pending = this.codes.get(code);
    // Redeemed once, whatever the outcome: a code that was tried cannot be tried again.
    this.codes.delete(code);
    if (!pending || pending.expiresAt < Date.now())
      throw new OAuthError(400, 'invalid_grant', 'unknown, expired or already redeemed code');
    if (form.get('client_id') !== pending.clientId)
      throw new OAuthError(400, 'invalid_grant', 'the code was issued to another client');
    if (form.get('redirect_uri') !== pending.redirectUri)
      throw new OAuthError(400, 'invalid_grant', 'redirect_uri differs from the authorisation');
    const verifier = form.get('code_verifier');
    if (!verifier || !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier))
      throw new OAuthError(400, 'invalid_grant', 'code_verifier missing or malformed');
    if (s256CodeChallenge(verifier) !== pending.codeChallenge)
      throw new OAuthError(400, 'invalid_grant', 'code_verifier does not match the code_challenge');
    return this.tokens(pending, pending.nonce);
  }

  /**
   * Where the client sends the browser to end the user's session at the provider: back to
   * its `post_logout_redirect_uri` (an origin of a registered redirect URI), with its `state`.
   */
  endSession(request: URLSearchParams): string {
    const back = request.get('post_logout_redirect_uri') ?? '';
    const allowed =
      URL.canParse(back) &&
      [...this.redirectUris].some((uri) => new URL(uri).origin === new URL(back).origin);
    if (!allowed)
      throw new OAuthError(400, 'invalid_request', `unregistered post_logout_redirect_uri ${back}`);
    const hint = request.get('id_token_hint');
    const subject = hint ? subjectOf(hint) : undefined;
    this.signedOut.push(
      this.options.users.find((user) => user.sub === subject)?.username ?? '(unknown)',
    );
    const to = new URL(back);
    const state = request.get('state');
    if (state !== null) to.searchParams.set('state', state);
    return to.toString();
  }

  private async refresh(form: URLSearchParams): Promise<TokenResponse> {
    const token = form.get('refresh_token') ?? '';
    const grant = this.refreshTokens.get(token);
    this.refreshTokens.delete(token);
    if (!grant) throw new OAuthError(400, 'invalid_grant', 'unknown or already used refresh token');
    if (form.get('client_id') !== grant.clientId)
      throw new OAuthError(400, 'invalid_grant', 'the refresh token was issued to another client');
    this.refreshes += 1;
    return this.tokens(grant, undefined);
  }

  private async tokens(grant: Grant, nonce: string | undefined): Promise<TokenResponse> {
    const refreshToken = randomBytes(32).toString('base64url');
    this.refreshTokens.set(refreshToken, {
      clientId: grant.clientId,
      scope: grant.scope,
      user: grant.user,
    });
    return {
      access_token: await this.accessToken(grant.user, grant.scope),
      id_token: await this.idToken(grant.user, nonce),
      refresh_token: refreshToken,
      token_type: 'Bearer',
      expires_in: this.ttlSeconds,
      scope: grant.scope,
    };
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private user(username: string): IdentityProviderUser {
    const user = this.options.users.find((candidate) => candidate.username === username);
    if (!user) throw new OAuthError(400, 'access_denied', `no user ${username}`);
    return user;
  }

  private checkAuthorizationRequest(request: URLSearchParams): AuthorizationRequest {
    const clientId = request.get('client_id');
    if (clientId !== this.options.clientId)
      throw new OAuthError(400, 'unauthorized_client', `unknown client_id ${clientId ?? ''}`);
    const redirectUri = request.get('redirect_uri') ?? '';
    if (!this.redirectUris.has(redirectUri))
      throw new OAuthError(400, 'invalid_request', `unregistered redirect_uri ${redirectUri}`);
    if (request.get('response_type') !== 'code')
      throw new OAuthError(400, 'unsupported_response_type', 'only response_type=code');
    if (request.get('code_challenge_method') !== 'S256')
      throw new OAuthError(400, 'invalid_request', 'code_challenge_method must be S256');
    const codeChallenge = request.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge))
      throw new OAuthError(400, 'invalid_request', 'code_challenge missing or malformed');
    const scope = request.get('scope') ?? '';
    if (!scope.split(' ').includes('openid'))
      throw new OAuthError(400, 'invalid_scope', 'the openid scope is required');
    return {
      clientId,
      redirectUri,
      codeChallenge,
      state: request.get('state') ?? undefined,
      nonce: request.get('nonce') ?? undefined,
      scope,
    };
  }

  private accessToken(user: IdentityProviderUser, scope: string): Promise<string> {
    return this.sign(
      {
        preferred_username: user.username,
        name: user.name,
        roles: user.roles,
        groups: user.groups ?? [],
        scope,
        client_id: this.options.clientId,
      },
      user.sub,
      this.options.audience,
    );
  }

  private idToken(user: IdentityProviderUser, nonce: string | undefined): Promise<string> {
    return this.sign(
      { preferred_username: user.username, name: user.name, ...(nonce ? { nonce } : {}) },
      user.sub,
      this.options.clientId,
    );
  }

  private sign(claims: Record<string, unknown>, subject: string, audience: string) {
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: KEY_ID, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setSubject(subject)
      .setAudience(audience)
      .setIssuedAt()
      .setExpirationTime(`${this.ttlSeconds}s`)
      .sign(this.privateKey);
  }

  private discovery(): Record<string, unknown> {
    return {
      issuer: this.issuer,
      authorization_endpoint: this.authorizationEndpoint,
      token_endpoint: this.tokenEndpoint,
      jwks_uri: this.jwksUrl,
      end_session_endpoint: this.endSessionEndpoint,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid', 'profile'],
      token_endpoint_auth_methods_supported: ['none'],
      code_challenge_methods_supported: ['S256'],
      claims_supported: ['sub', 'name', 'preferred_username', 'roles', 'groups', 'nonce'],
    };
  }

  /** The origins of the registered redirect URIs: the browsers that may call the provider. */
  private corsHeaders(request: IncomingMessage): Record<string, string> {
    const origin = request.headers.origin;
    const allowed = [...this.redirectUris].some((uri) => new URL(uri).origin === origin);
    return origin && allowed
      ? {
          'access-control-allow-origin': origin,
          'access-control-allow-methods': 'GET, POST',
          'access-control-allow-headers': 'accept, content-type',
          vary: 'Origin',
        }
      : { vary: 'Origin' };
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', this.issuer);
    const cors = this.corsHeaders(request);
    const json = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      response
        .writeHead(status, {
          'content-type': 'application/json',
          'cache-control': 'no-store',
          ...cors,
          ...extra,
        })
        .end(JSON.stringify(body));

    if (request.method === 'OPTIONS') {
      response.writeHead(204, cors).end();
      return;
    }
    if (url.pathname === '/.well-known/openid-configuration' && request.method === 'GET') {
      json(200, this.discovery());
      return;
    }
    if (url.pathname === '/jwks' && request.method === 'GET') {
      json(200, { keys: [this.publicJwk] });
      return;
    }
    if (url.pathname === '/authorize' && request.method === 'GET') {
      this.answerPage(response, () => {
        const checked = this.checkAuthorizationRequest(url.searchParams);
        return this.userPicker(url.searchParams, checked);
      });
      return;
    }
    if (url.pathname === '/authorize' && request.method === 'POST') {
      const form = new URLSearchParams(await bodyOf(request));
      const original = new URLSearchParams(form.get('request') ?? '');
      this.answerPage(response, () => ({
        redirect: form.has('cancel')
          ? this.deny(original)
          : this.authorize(original, form.get('username') ?? ''),
      }));
      return;
    }
    if (url.pathname === '/logout' && request.method === 'GET') {
      this.answerPage(response, () => ({ redirect: this.endSession(url.searchParams) }));
      return;
    }
    if (url.pathname === '/token' && request.method === 'POST') {
      const form = new URLSearchParams(await bodyOf(request));
      try {
        json(200, await this.redeem(form));
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        json(error.status, { error: error.error, error_description: error.message });
      }
      return;
    }
    json(404, { error: 'not_found' });
  }

  /** An HTML answer, a redirect, or the request's error as a page (never sent back to an unchecked URI). */
  private answerPage(
    response: ServerResponse,
    answer: () => { html: string } | { redirect: string },
  ): void {
    try {
      const result = answer();
      if ('redirect' in result) response.writeHead(302, { location: result.redirect }).end();
      else
        response
          .writeHead(200, {
            'content-type': 'text/html; charset=utf-8',
            'cache-control': 'no-store',
          })
          .end(result.html);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      response
        .writeHead(error.status, { 'content-type': 'text/html; charset=utf-8' })
        .end(
          page(
            'Sign-in refused',
            `<p role="alert">${escapeHtml(`${error.error}: ${error.message}`)}</p>`,
          ),
        );
    }
  }

  private userPicker(request: URLSearchParams, checked: AuthorizationRequest): { html: string } {
    const options = this.options.users
      .map(
        (user) =>
          `<option value="${escapeHtml(user.username)}">${escapeHtml(user.name)} (${escapeHtml(user.username)})</option>`,
      )
      .join('');
    return {
      html: page(
        'Test identity provider',
        `<p>${escapeHtml(checked.clientId)} asks you to sign in.</p>
<form method="post" action="/authorize">
<input type="hidden" name="request" value="${escapeHtml(request.toString())}">
<label for="username">User</label>
<select id="username" name="username">${options}</select>
<button type="submit">Continue</button>
<button type="submit" name="cancel" value="1">Cancel</button>
</form>`,
      ),
    };
  }
}

/** The `sub` of a token the provider signed (an `id_token_hint`), unverified: it is the provider's own. */
function subjectOf(token: string): string | undefined {
  try {
    const payload = JSON.parse(
      Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'),
    ) as { sub?: unknown };
    return typeof payload.sub === 'string' ? payload.sub : undefined;
  } catch {
    return undefined;
  }
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body><main><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

function bodyOf(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
