import { z } from 'zod';
import { MAX_IDENTITY_LIFETIME_SECONDS } from '@itsm/auth';
import {
  ConfigurationError,
  DEVELOPMENT_PASSWORD,
  deploymentMode,
  passwordWeakness,
} from '@itsm/platform';
import { SEEDED_USERS } from '../directory/domain/seed';

/** Where each service's internal API listens. */
const upstreams = {
  INCIDENT_URL: z.url().default('http://127.0.0.1:3001'),
  PROBLEM_URL: z.url().default('http://127.0.0.1:3002'),
  CHANGE_URL: z.url().default('http://127.0.0.1:3003'),
  SLM_URL: z.url().default('http://127.0.0.1:3004'),
  CMDB_URL: z.url().default('http://127.0.0.1:3005'),
  REPORTING_URL: z.url().default('http://127.0.0.1:3006'),
};

/**
 * Outside development and test the local issuer and its seeded users are off unless
 * AUTH_MODE=local says otherwise, and then their password must be given and strong.
 */
const gatewayEnvironment = (production: boolean) =>
  z.object({
    ...upstreams,
    UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
    /** `local`: the gateway issues tokens for seeded users; `oidc`: tokens come from an external issuer only. */
    AUTH_MODE: z.enum(['local', 'oidc']).default(production ? 'oidc' : 'local'),
    /** The seeded users' password; required (and strong) for local mode in production, checked below. */
    ITSM_DEV_PASSWORD: production
      ? z.string().min(1).optional()
      : z.string().min(1).default(DEVELOPMENT_PASSWORD),
    /**
     * The local issuer's private key (PEM SEC1/PKCS#8 or JWK; EC P-256 or Ed25519), inline or
     * in the file `_FILE` names, shared by every gateway replica; required for local mode in
     * production, checked below. Unset in development: a key per process.
     */
    AUTH_SIGNING_KEY: z.string().optional(),
    AUTH_SIGNING_KEY_FILE: z.string().optional(),
    AUTH_ISSUER: z.string().min(1).default('urn:itsm:gateway'),
    AUTH_AUDIENCE: z.string().min(1).default('itsm-api'),
    /** The issuer's key set; in local mode the gateway's own `/.well-known/jwks.json` when unset. */
    AUTH_JWKS_URL: z.url().optional(),
    AUTH_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
    /** How long fetched keys are trusted before the key set is fetched again. */
    AUTH_JWKS_CACHE_SECONDS: z.coerce.number().int().min(10).default(600),
    /** The least time between two fetches of the key set, so unknown key ids cannot make the gateway hammer the issuer. */
    AUTH_JWKS_COOLDOWN_SECONDS: z.coerce.number().int().min(0).default(30),
    AUTH_USERNAME_CLAIM: z.string().min(1).default('preferred_username'),
    AUTH_ROLES_CLAIM: z.string().min(1).default('roles'),
    AUTH_GROUPS_CLAIM: z.string().min(1).default('groups'),
    AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(3600),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
    /** Failed logins for one username within the window before its logins are refused (429). */
    LOGIN_MAX_FAILURES_PER_USER: z.coerce.number().int().min(1).default(5),
    /** Failed logins from one client address within the window before its logins are refused (429). */
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(20),
    LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
    /** How long logins stay refused once a limit is reached. */
    LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86400).default(900),
    /**
     * The private key the gateway signs forwarded identities with (PEM or JWK; P-256 or
     * Ed25519), inline or in the file `_FILE` names; read when the gateway starts.
     */
    ITSM_INTERNAL_IDENTITY_SIGNING_KEY: z.string().optional(),
    ITSM_INTERNAL_IDENTITY_SIGNING_KEY_FILE: z.string().optional(),
    /** How long a forwarded identity is valid: the time from the gateway to the service, plus room. */
    ITSM_INTERNAL_IDENTITY_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(1)
      .max(MAX_IDENTITY_LIFETIME_SECONDS)
      .default(5),
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
