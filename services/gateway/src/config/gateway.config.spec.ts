import { ConfigurationError } from '@itsm/platform';
import { loadGatewayConfig } from './gateway.config';

const problemsOf = (source: NodeJS.ProcessEnv): string[] => {
  try {
    loadGatewayConfig(source);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
};

const JWKS = { AUTH_JWKS_URL: 'https://idp.example.com/jwks.json' };

describe('the gateway configuration', () => {
  it('runs the local issuer with the development password under npm start and npm test', () => {
    for (const NODE_ENV of ['development', 'test']) {
      const config = loadGatewayConfig({ NODE_ENV });
      expect(config.AUTH_MODE).toBe('local');
      expect(config.ITSM_DEV_PASSWORD).toBe('itsm-dev');
    }
  });

  it('defaults to oidc in production, so the seeded users are off', () => {
    const config = loadGatewayConfig({ NODE_ENV: 'production', ...JWKS });
    expect(config.AUTH_MODE).toBe('oidc');
    expect(loadGatewayConfig(JWKS).AUTH_MODE).toBe('oidc');
    expect(problemsOf({})).toEqual([expect.stringMatching(/^AUTH_JWKS_URL: is required/)]);
  });

  it('needs the seeded users’ password set and strong for local mode in production', () => {
    const local = { AUTH_MODE: 'local', AUTH_SIGNING_KEY_FILE: '/secrets/auth/tls.key' };
    expect(problemsOf(local)).toEqual([
      expect.stringMatching(/^ITSM_DEV_PASSWORD: is required with AUTH_MODE=local/),
    ]);
    expect(problemsOf({ ...local, ITSM_DEV_PASSWORD: 'itsm-dev' })).toEqual([
      expect.stringMatching(/^ITSM_DEV_PASSWORD: must have at least 12 characters/),
    ]);
    expect(problemsOf({ ...local, ITSM_DEV_PASSWORD: 'incident_manager1' })).toEqual([
      expect.stringMatching(/^ITSM_DEV_PASSWORD: is too easy to guess/),
    ]);
    const config = loadGatewayConfig({ ...local, ITSM_DEV_PASSWORD: 'tundra-Violet-47-quarry' });
    expect(config.AUTH_MODE).toBe('local');
  });

  it('needs the local issuer’s signing key for local mode in production, so replicas agree', () => {
    const local = { AUTH_MODE: 'local', ITSM_DEV_PASSWORD: 'tundra-Violet-47-quarry' };
    expect(problemsOf(local)).toEqual([
      expect.stringMatching(/^AUTH_SIGNING_KEY: is required with AUTH_MODE=local/),
    ]);
    expect(problemsOf({ ...local, AUTH_SIGNING_KEY: '-----BEGIN EC PRIVATE KEY-----…' })).toEqual(
      [],
    );
    expect(loadGatewayConfig({ NODE_ENV: 'development' }).AUTH_SIGNING_KEY).toBeUndefined();
  });

  it('limits logins with documented defaults', () => {
    expect(loadGatewayConfig({ NODE_ENV: 'test' })).toMatchObject({
      LOGIN_MAX_FAILURES_PER_USER: 5,
      LOGIN_MAX_FAILURES_PER_ADDRESS: 20,
      LOGIN_FAILURE_WINDOW_SECONDS: 900,
      LOGIN_LOCKOUT_SECONDS: 900,
    });
  });
});
