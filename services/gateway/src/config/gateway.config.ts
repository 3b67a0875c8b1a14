import { z } from 'zod';
import { MAX_IDENTITY_LIFETIME_SECONDS } from '@itsm/auth';
import {
  ConfigurationError,
  DEVELOPMENT_PASSWORD,
  deploymentMode,
  MIN_PASSWORD_LENGTH,
  passwordWeakness,
} from '@itsm/platform';
import { SEEDED_USERS } from '../directory/domain/seed';

/** Where each service's internal API listens. */
const upstream = (service: string, url: string) =>
  z
    .url()
    .default(url)
    .meta({
      description: `Where the gateway reaches the ${service} service's internal API${service === 'cmdb' ? ' (the change service reads the same variable)' : ''}.`,
    });
const upstreams = {
  INCIDENT_URL: upstream('incident', 'http://127.0.0.1:3001'),
  PROBLEM_URL: upstream('problem', 'http://127.0.0.1:3002'),
  CHANGE_URL: upstream('change', 'http://127.0.0.1:3003'),
  SLM_URL: upstream('slm', 'http://127.0.0.1:3004'),
  CMDB_URL: upstream('cmdb', 'http://127.0.0.1:3005'),
  REPORTING_URL: upstream('reporting', 'http://127.0.0.1:3006'),
};

/**
 * The gateway's own variables, each documented with `.meta({ description })`
 * (docs/configuration.md). Outside development and test the local issuer and its seeded
 * users are off unless AUTH_MODE=local says otherwise, and then their password must be
 * given and strong.
 */
export const gatewayEnvironment = (production: boolean) =>
  z.object({
    ...upstreams,
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000).meta({
      description:
        "Milliseconds the gateway waits for a service's answer to start (then 504); the body then streams.",
    }),
    AUTH_MODE: z
      .enum(['local', 'oidc'])
      .default(production ? 'oidc' : 'local')
      .meta({
        description:
          '`local`: the gateway also issues tokens for the seeded users (`POST /api/v1/auth/token`); `oidc`: tokens come from your identity provider only, and `AUTH_JWKS_URL` is required.',
      }),
    /** Required (and strong) for local mode in production, checked below. */
    ITSM_DEV_PASSWORD: (production
      ? z.string().min(1).optional()
      : z.string().min(1).default(DEVELOPMENT_PASSWORD)
    ).meta({
      description: `The seeded users' password in local mode. In production with \`AUTH_MODE=local\` it must be set, have at least ${MIN_PASSWORD_LENGTH} characters and zxcvbn's top score (4); \`${DEVELOPMENT_PASSWORD}\` is refused.`,
    }),
    /** Required for local mode in production, checked below. */
    AUTH_SIGNING_KEY: z.string().optional().meta({
      description:
        'Local mode: the private key the local issuer signs tokens with (EC P-256 or Ed25519; PEM SEC1/PKCS#8, e.g. Helm\'s `genPrivateKey "ecdsa"`, or JWK), the same for every gateway replica so that each accepts the others\' tokens. Required with `AUTH_MODE=local` in production; unset in development and test: a key made per process.',
    }),
    AUTH_SIGNING_KEY_FILE: z.string().optional().meta({
      description:
        'Instead of `AUTH_SIGNING_KEY`: the path of a file holding it, e.g. a mounted Kubernetes Secret.',
    }),
    AUTH_ISSUER: z
      .string()
      .min(1)
      .default('urn:itsm:gateway')
      .meta({ description: 'The `iss` a token must carry (and the local issuer signs).' }),
    AUTH_AUDIENCE: z
      .string()
      .min(1)
      .default('itsm-api')
      .meta({ description: 'The `aud` a token must carry (and the local issuer signs).' }),
    AUTH_JWKS_URL: z.url().optional().meta({
      description:
        "The identity provider's key set; required with `AUTH_MODE=oidc`. Unset in local mode: the gateway's own `/.well-known/jwks.json`.",
    }),
    AUTH_CLOCK_SKEW_SECONDS: z.coerce
      .number()
      .int()
      .min(0)
      .max(600)
      .default(30)
      .meta({ description: "Seconds of tolerance on a token's `exp` and `nbf`." }),
    AUTH_JWKS_CACHE_SECONDS: z.coerce.number().int().min(10).default(600).meta({
      description: 'Seconds fetched keys are trusted before the key set is fetched again.',
    }),
    AUTH_TOKEN_CACHE_SIZE: z.coerce.number().int().min(0).default(10000).meta({
      description:
        'Bearer tokens whose verification the gateway remembers, least recently used out first (0: none). A token presented again is not verified again while it has not expired (its `exp`, without `AUTH_CLOCK_SKEW_SECONDS`) and the key set still holds the key it verified with: a rotated or withdrawn key stops admitting remembered tokens when it stops admitting new ones. Tokens are not revocable before they expire, with or without it.',
    }),
    AUTH_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(30).meta({
      description:
        'The least seconds between two fetches of the key set: a token with an unknown key id triggers one (key rotation), so unknown key ids cannot make the gateway hammer the issuer.',
    }),
    AUTH_USERNAME_CLAIM: z
      .string()
      .min(1)
      .default('preferred_username')
      .meta({ description: 'The token claim that carries the user name.' }),
    AUTH_ROLES_CLAIM: z.string().min(1).default('roles').meta({
      description: "The token claim that carries the user's roles (docs/authorization.md).",
    }),
    AUTH_GROUPS_CLAIM: z
      .string()
      .min(1)
      .default('groups')
      .meta({ description: "The token claim that carries the user's groups." }),
    AUTH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .max(86400)
      .default(3600)
      .meta({ description: 'Seconds a token the local issuer signs is valid (60 to 86400).' }),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200).meta({
      description:
        'Requests per caller (user or API key; client address when unauthenticated) per minute at the gateway, then 429 with `Retry-After`.',
    }),
    LOGIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).default(5).meta({
      description:
        'Failed logins at `POST /api/v1/auth/token` for one user name within the window before further attempts (the right password included) answer 429 with `Retry-After`; counted in PostgreSQL, so they hold across gateway replicas and restarts.',
    }),
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20).meta({
      description:
        'Failed logins from one client address (see `TRUST_PROXY`) within the window before further attempts answer 429 with `Retry-After`.',
    }),
    LOGIN_FAILURE_WINDOW_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86400)
      .default(900)
      .meta({ description: 'Seconds failed logins are counted over.' }),
    LOGIN_LOCKOUT_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(86400)
      .default(900)
      .meta({ description: 'Seconds logins stay refused once a limit is reached.' }),
    CONSOLE_DIR: z.string().min(1).optional().meta({
      description:
        "The built web console (`npm run build` writes it to `dist/console`), served at `/` with a fallback to its `index.html` for the paths it routes (docs/console.md). Unset: `dist/console` beside the gateway's own build; a folder without `index.html` leaves `/` unserved.",
    }),
    CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional().meta({
      description:
        'With `AUTH_MODE=oidc`: the client id the web console signs in with at the identity provider (a public client, authorisation code with PKCE, redirect URI `<gateway origin>/auth/callback`); published at `GET /api/v1/auth/config`. Unset: the console offers no sign-in in oidc mode.',
    }),
    CONSOLE_OIDC_AUTHORITY: z.url().optional().meta({
      description:
        "The identity provider's issuer URL the console discovers its endpoints from (`/.well-known/openid-configuration`); unset: `AUTH_ISSUER`. Its origin is added to the console's `connect-src`.",
    }),
    CONSOLE_OIDC_SCOPE: z
      .string()
      .min(1)
      .default('openid profile')
      .meta({ description: 'The scopes the console asks the identity provider for.' }),
    LIVE_MAX_STREAMS_PER_USER: z.coerce.number().int().min(1).max(100).default(5).meta({
      description:
        'Live update streams (`GET /api/v1/stream`) one user or API key may hold open on one gateway replica (a few browser tabs); one more is answered 429.',
    }),
    LIVE_MAX_STREAMS: z.coerce.number().int().min(1).default(10000).meta({
      description:
        'Live update streams one gateway replica holds open at once; one more is answered 503 with `Retry-After`.',
    }),
    LIVE_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(300).default(15).meta({
      description:
        'Seconds of silence after which a live update stream gets a comment line, so that proxies and load balancers do not close it as idle.',
    }),
    LIVE_MAX_BUFFERED_BYTES: z.coerce.number().int().min(1024).default(65536).meta({
      description:
        'Bytes a live update stream may have waiting to be sent to a client that does not read them; past it the client is disconnected (it reconnects and reads its records again) rather than buffered without end.',
    }),
    LIVE_MAX_STREAM_SECONDS: z.coerce.number().int().min(10).default(3600).meta({
      description:
        "Seconds a live update stream stays open at most; it also ends when the bearer token it was opened with expires. The client then opens another with its current token, so a stream never outlives a caller's credentials by long.",
    }),
    ITSM_INTERNAL_IDENTITY_SIGNING_KEY: z.string().optional().meta({
      description:
        'The private key the gateway signs forwarded identities with (EC P-256 or Ed25519; PEM SEC1/PKCS#8 or JWK); required, read when the gateway starts; `npm start` and `npm test` generate one per run. Rotation: docs/adr/0009.',
    }),
    ITSM_INTERNAL_IDENTITY_SIGNING_KEY_FILE: z.string().optional().meta({
      description:
        'Instead of `ITSM_INTERNAL_IDENTITY_SIGNING_KEY`: the path of a file holding it, e.g. a mounted Kubernetes Secret.',
    }),
    ITSM_INTERNAL_IDENTITY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_IDENTITY_LIFETIME_SECONDS)
      .default(5)
      .meta({
        description: `Seconds a forwarded identity is valid (1 to ${MAX_IDENTITY_LIFETIME_SECONDS}): the time from the gateway to the service, plus room.`,
      }),
  });

export type GatewayConfig = z.infer<ReturnType<typeof gatewayEnvironment>>;
export const UPSTREAM_SERVICES = [
  'incident',
  'problem',
  'change',
  'slm',
  'cmdb',
  'reporting',
] as const;
export type UpstreamService = (typeof UPSTREAM_SERVICES)[number];

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const production = deploymentMode(source) === 'production';
  const parsed = gatewayEnvironment(production)
    .refine((env) => env.AUTH_MODE === 'local' || env.AUTH_JWKS_URL, {
      path: ['AUTH_JWKS_URL'],
      message: 'is required when AUTH_MODE is oidc',
    })
    .superRefine((env, context) => {
      if (!production || env.AUTH_MODE !== 'local') return;
      const problem =
        env.ITSM_DEV_PASSWORD === undefined
          ? "is required with AUTH_MODE=local outside development: the seeded users' password"
          : passwordWeakness(
              env.ITSM_DEV_PASSWORD,
              SEEDED_USERS.map((user) => user.username),
            );
      if (problem)
        context.addIssue({ code: 'custom', path: ['ITSM_DEV_PASSWORD'], message: problem });
      if (!env.AUTH_SIGNING_KEY?.trim() && !env.AUTH_SIGNING_KEY_FILE?.trim())
        context.addIssue({
          code: 'custom',
          path: ['AUTH_SIGNING_KEY'],
          message:
            'is required with AUTH_MODE=local outside development (or AUTH_SIGNING_KEY_FILE): the key the local issuer signs tokens with, the same for every gateway replica',
        });
    })
    .safeParse(source);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return parsed.data;
}

export function upstreamUrl(config: GatewayConfig, service: UpstreamService): string {
  const urls: Record<UpstreamService, string> = {
    incident: config.INCIDENT_URL,
    problem: config.PROBLEM_URL,
    change: config.CHANGE_URL,
    slm: config.SLM_URL,
    cmdb: config.CMDB_URL,
    reporting: config.REPORTING_URL,
  };
  return urls[service];
}
