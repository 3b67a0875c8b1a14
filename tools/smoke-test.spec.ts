import { clientCredentialsRequest, loadSmokeConfig, SmokeConfigurationError } from './smoke-test';

const problemsOf = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadSmokeConfig(env);
  } catch (error) {
    if (error instanceof SmokeConfigurationError) return error.problems;
    throw error;
  }
  return [];
};

const BASE = { ITSM_SMOKE_BASE_URL: 'https://itsm.example.com/' };

describe('the smoke test’s configuration', () => {
  it('takes the local issuer’s credentials or a client’s, and the gateway’s address without its trailing slash', () => {
    expect(
      loadSmokeConfig({ ...BASE, ITSM_SMOKE_USERNAME: 'agent', ITSM_SMOKE_PASSWORD: 'pw' }),
    ).toMatchObject({
      baseUrl: 'https://itsm.example.com',
      credentials: { kind: 'local', username: 'agent', password: 'pw' },
      readyTimeoutMs: 120_000,
    });
    expect(
      loadSmokeConfig({
        ...BASE,
        ITSM_SMOKE_TOKEN_URL: 'https://idp.example.com/token',
        ITSM_SMOKE_CLIENT_ID: 'helm-test',
        ITSM_SMOKE_CLIENT_SECRET: 's',
      }).credentials,
    ).toEqual({
      kind: 'client-credentials',
      tokenUrl: 'https://idp.example.com/token',
      clientId: 'helm-test',
      clientSecret: 's',
      scope: undefined,
    });
  });

  it('names every missing or conflicting variable', () => {
    expect(problemsOf({})).toEqual([expect.stringMatching(/^ITSM_SMOKE_BASE_URL: /)]);
    expect(problemsOf({ ...BASE, ITSM_SMOKE_USERNAME: 'agent' })).toEqual([
      expect.stringMatching(/^ITSM_SMOKE_PASSWORD \(or ITSM_SMOKE_PASSWORD_FILE\): is required/),
    ]);
    expect(problemsOf({ ...BASE, ITSM_SMOKE_CLIENT_ID: 'helm-test' })).toEqual([
      expect.stringMatching(/^ITSM_SMOKE_TOKEN_URL: is required/),
      expect.stringMatching(/^ITSM_SMOKE_CLIENT_SECRET \(or ITSM_SMOKE_CLIENT_SECRET_FILE\)/),
    ]);
    expect(
      problemsOf({
        ...BASE,
        ITSM_SMOKE_USERNAME: 'agent',
        ITSM_SMOKE_PASSWORD: 'pw',
        ITSM_SMOKE_CLIENT_ID: 'helm-test',
      }),
    ).toEqual([expect.stringMatching(/set one kind of credentials, not both/)]);
    expect(
      problemsOf({
        ...BASE,
        ITSM_SMOKE_USERNAME: 'agent',
        ITSM_SMOKE_PASSWORD: 'pw',
        ITSM_SMOKE_PASSWORD_FILE: '/secrets/password',
      }),
    ).toEqual([
      'ITSM_SMOKE_PASSWORD: set either it or ITSM_SMOKE_PASSWORD_FILE, not both',
      expect.stringMatching(/^ITSM_SMOKE_PASSWORD \(or ITSM_SMOKE_PASSWORD_FILE\): is required/),
    ]);
  });
});

describe('the client-credentials grant request', () => {
  it('posts the grant and the scope as a form, the client form-encoded in HTTP Basic (RFC 6749 §2.3.1)', () => {
    const { url, init } = clientCredentialsRequest({
      kind: 'client-credentials',
      tokenUrl: 'https://idp.example.com/token',
      clientId: 'helm test',
      clientSecret: 'p:w&d',
      scope: 'openid itsm',
    });
    expect(url).toBe('https://idp.example.com/token');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('grant_type=client_credentials&scope=openid+itsm');
    const { authorization } = init.headers as Record<string, string>;
    expect(Buffer.from(authorization.replace(/^Basic /, ''), 'base64').toString()).toBe(
      'helm%20test:p%3Aw%26d',
    );
  });
});
