import { z } from 'zod';
import { ConfigurationError } from '@itsm/platform';

/** Where each service's internal API listens. */
const upstreams = {
  INCIDENT_URL: z.url().default('http://127.0.0.1:3001'),
  PROBLEM_URL: z.url().default('http://127.0.0.1:3002'),
  CHANGE_URL: z.url().default('http://127.0.0.1:3003'),
  SLM_URL: z.url().default('http://127.0.0.1:3004'),
  CMDB_URL: z.url().default('http://127.0.0.1:3005'),
  REPORTING_URL: z.url().default('http://127.0.0.1:3006'),
};

const gatewayEnvironment = z.object({
  ...upstreams,
  UPSTREAM_TIMEOUT_MS: z.coerce.number().int().min(100).max(120000).default(10000),
  AUTH_MODE: z.enum(['local']).default('local'),
  ITSM_DEV_PASSWORD: z.string().min(1).default('itsm-dev'),
  AUTH_ISSUER: z.string().default('urn:itsm:gateway'),
  AUTH_AUDIENCE: z.string().default('itsm-api'),
  AUTH_TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86400).default(3600),
});

export type GatewayConfig = z.infer<typeof gatewayEnvironment>;
export type UpstreamService = 'incident' | 'problem' | 'change' | 'slm' | 'cmdb' | 'reporting';

export const GATEWAY_CONFIG = Symbol('GATEWAY_CONFIG');

export function loadGatewayConfig(source: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const parsed = gatewayEnvironment.safeParse(source);
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
