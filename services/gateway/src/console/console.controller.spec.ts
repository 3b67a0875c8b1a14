import { loadGatewayConfig } from '../config/gateway.config';
import { signInConfig } from './console.controller';

const base = { NODE_ENV: 'test' };

describe('how the console signs in', () => {
  it('uses the local issuer in local mode', () => {
    expect(signInConfig(loadGatewayConfig({ ...base, AUTH_MODE: 'local' }))).toEqual({
      mode: 'local',
      oidc: null,
    });
  });

  it('names the identity provider and client in oidc mode, the issuer by default', () => {
    const oidc = {
      ...base,
      AUTH_MODE: 'oidc',
      AUTH_JWKS_URL: 'https://id.example.com/jwks',
      AUTH_ISSUER: 'https://id.example.com/realms/itsm',
    };
    expect(signInConfig(loadGatewayConfig(oidc))).toEqual({ mode: 'oidc', oidc: null });
    expect(
      signInConfig(loadGatewayConfig({ ...oidc, CONSOLE_OIDC_CLIENT_ID: 'itsm-console' })),
    ).toEqual({
      mode: 'oidc',
      oidc: {
        authority: 'https://id.example.com/realms/itsm',
        clientId: 'itsm-console',
        scope: 'openid profile',
      },
    });
    expect(
      signInConfig(
        loadGatewayConfig({
          ...oidc,
          CONSOLE_OIDC_CLIENT_ID: 'itsm-console',
          CONSOLE_OIDC_AUTHORITY: 'https://login.example.com/',
        }),
      ).oidc?.authority,
    ).toBe('https://login.example.com/');
  });
});
