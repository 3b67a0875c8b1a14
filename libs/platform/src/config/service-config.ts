import { isIP } from 'node:net';
import { z } from 'zod';
import {
  AGENT_RECORD_SCOPES,
  MAX_IDENTITY_LIFETIME_SECONDS,
  type AgentRecordScope,
} from '@itsm/auth';
import { parseConsumerStart } from '@itsm/messaging';
import { IDEMPOTENCY_WINDOW_HOURS } from '../idempotency/idempotency-window';
import { booleanFlag } from './boolean-flag';
import { checkKafkaSecurity, kafkaSecurityEnvironment } from './kafka-security';
import { deploymentMode, developmentValueProblems, type DeploymentMode } from './deployment-mode';

export { booleanFlag };

const brokerList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  );

/** Express's named address ranges a `trust proxy` list may use. */
const TRUSTED_PROXY_PRESETS = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (TRUSTED_PROXY_PRESETS.has(entry)) return true;
  const [address, prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d+$/.test(prefix) && bits <= (family === 4 ? 32 : 128);
}

/**
 * Express's `trust proxy`: `false` (the connection's address is the client's), a hop count,
 * or the proxies' addresses and ranges. `true` (believe any `X-Forwarded-For`) is refused:
 * it would let every client pick the address its login attempts and rate limit count on.
 */
export const trustProxySetting = z
  .string()
  .default('false')
  .transform((value, context): false | number | string[] => {
    const trimmed = value.trim();
    if (trimmed === 'false' || trimmed === '' || trimmed === '0') return false;
    if (/^\d+$/.test(trimmed)) return Number(trimmed);
    const entries = trimmed
      .split(',')
      .map((entry) => entry.trim())
      .filter(Boolean);
    const invalid = entries.filter((entry) => !isAddressOrRange(entry));
    if (invalid.length > 0 || entries.length === 0)
      context.addIssue({
        code: 'custom',
        message: `must be false, a hop count, or addresses/CIDR ranges (or loopback, linklocal, uniquelocal); not ${invalid.join(', ') || trimmed}`,
      });
    return entries;
  });

/**
 * The variables every service reads. Documented in the README's configuration table;
 * each service adds its own with {@link loadServiceConfig}'s `extra` schema.
 */
export const baseServiceEnvironment = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  /**
   * The gateway's public key(s) that services verify forwarded identities with (PEM or
   * JWK Set), inline or in the file `_FILE` names. Required by every service but the
   * gateway, checked when the service starts (the migrate step does not need them).
   */
  ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: z.string().optional(),
  ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS_FILE: z.string().optional(),
  /** The most unexpired identities a service process remembers against replay: requests per second × (lifetime + 2 s). */
  ITSM_INTERNAL_IDENTITY_REPLAY_CACHE_SIZE: z.coerce.number().int().min(100).default(100_000),
  /**
   * The services this one takes calls from as themselves (ADR 12), with their public keys:
   * a JSON object, e.g. `{"change": "<PEM>"}` or `{"change": {"keys": [...]}}`, inline or in
   * the file `_FILE` names. Unset: only the gateway's identities are accepted.
   */
  ITSM_TRUSTED_SERVICE_KEYS: z.string().optional(),
  ITSM_TRUSTED_SERVICE_KEYS_FILE: z.string().optional(),
  /**
   * The private key a service that calls others signs its own identity with (PEM or JWK;
   * P-256 or Ed25519), inline or in the file `_FILE` names. Read only by services that call
   * another (the change service), which then do not start without it.
   */
  ITSM_SERVICE_IDENTITY_SIGNING_KEY: z.string().optional(),
  ITSM_SERVICE_IDENTITY_SIGNING_KEY_FILE: z.string().optional(),
  /** How long an identity a service signs for itself is valid: the time to the service called, plus room. */
  ITSM_SERVICE_IDENTITY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_IDENTITY_LIFETIME_SECONDS)
    .default(5),
  KAFKA_BROKERS: brokerList,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_BODY_LIMIT: z.string().default('1mb'),
  /** Which proxies' `X-Forwarded-For` names the client (see {@link trustProxySetting}). */
  TRUST_PROXY: trustProxySetting,
  /** Origins browsers may call the API from, comma-separated; CORS is off when empty. */
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /** How long a query waits for a database connection before the request fails with 503 (docs/reliability.md). */
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  /** The server cancels a statement running longer (answered 503); 0 turns the limit off. */
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(60_000),
  /**
   * From SIGTERM to exit at most: keep it below the orchestrator's grace period (Kubernetes'
   * `terminationGracePeriodSeconds`, 30 s by default), which kills the process after it.
   */
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(25_000),
  /**
   * How long after SIGTERM the service still takes new connections while answering not
   * ready, so the load balancer stops sending before it stops listening. Unset: 5000 in
   * production (what a Kubernetes Service's endpoints take to notice), 0 in development.
   */
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).optional(),
  OUTBOX_RELAY_ENABLED: booleanFlag.default(true),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(1000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
  /**
   * Fault injection (docs/reliability.md), honoured in test and development only: the
   * process kills itself (SIGKILL) right after Kafka acknowledged the Nth batch of the relay
   * and before the batch leaves the outbox, so the suite can prove that the republished
   * events are dropped by the consumers' inboxes.
   */
  ITSM_FAULT_RELAY_CRASH_AFTER_BATCH: z.coerce.number().int().min(1).optional(),
  /** Between rounds of the retention sweeper (libs/platform/src/retention); 0 turns it off. */
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000),
  /** Rows the retention sweeper deletes per statement. */
  RETENTION_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(1000),
  /**
   * How long a consumer remembers an applied event (its inbox row): a redelivery older than
   * this would be applied again, so keep it above the topics' retention if offsets may be reset.
   */
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(30),
  /** How long a settled (replayed or discarded) dead letter and its audit trail are kept. */
  DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** How long an answered Idempotency-Key is kept; at least the 24 hours a retry is honoured. */
  IDEMPOTENCY_KEY_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(IDEMPOTENCY_WINDOW_HOURS)
    .default(2 * IDEMPOTENCY_WINDOW_HOURS),
  KAFKA_CONSUMER_GROUP_PREFIX: z.string().default('itsm'),
  KAFKA_CONSUMER_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  KAFKA_CONSUMER_BACKOFF_MS: z.coerce.number().int().min(0).default(200),
  /** Where a new consumer group starts: `earliest` (every event ever), `latest`, or an ISO 8601 time. */
  KAFKA_CONSUMER_START: z
    .string()
    .default('earliest')
    .transform((value, context) => {
      const start = parseConsumerStart(value);
      if (!start)
        context.addIssue({
          code: 'custom',
          message: 'must be earliest, latest or an ISO 8601 time',
        });
      return start ?? { from: 'earliest' as const };
    }),
  /**
   * Partitions the consumer works on at once (kafkajs `partitionsConsumedConcurrently`):
   * one record's events share a partition and stay in order; more than 1 lets a consumer
   * that waits on PostgreSQL apply several records' events at a time.
   */
  KAFKA_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10000),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** Whether the migrate step creates the service's topics; `false` when Strimzi `KafkaTopic` resources (or a managed Kafka's console) do. */
  ITSM_MIGRATE_TOPICS: booleanFlag.default(true),
  /** `all`: agents see every incident and request (ServiceNow's itil); `groups`: their groups' records and the unassigned queue. */
  AGENT_RECORD_SCOPE: z
    .enum(AGENT_RECORD_SCOPES as [AgentRecordScope, ...AgentRecordScope[]])
    .default('all'),
  ...kafkaSecurityEnvironment,
});

export type BaseServiceEnvironment = z.infer<typeof baseServiceEnvironment>;

export interface ServiceConfig<TExtra = object> {
  serviceName: string;
  mode: DeploymentMode;
  port: number;
  /** Where Prometheus scrapes `/metrics`; undefined when turned off. */
  metricsPort: number | undefined;
  env: BaseServiceEnvironment & TExtra;
}

export class ConfigurationError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigurationError';
  }
}

/** `incident` -> `INCIDENT_PORT`. */
export function portVariable(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/-/g, '_')}_PORT`;
}

/** `incident` -> `INCIDENT_METRICS_PORT`. */
export function metricsPortVariable(serviceName: string): string {
  return `${serviceName.toUpperCase().replace(/-/g, '_')}_METRICS_PORT`;
}

/** A service on port 3000 + n serves its metrics on 9400 + n, so that `npm start`'s seven do not collide. */
const METRICS_PORT_OFFSET = 6400;

const metricsPortSetting = (defaultPort: number) =>
  z
    .string()
    .default(String(defaultPort))
    .transform((value, context) => {
      if (value === 'off' || value === '0') return undefined;
      const port = Number(value);
      if (!/^\d+$/.test(value) || port > 65535)
        context.addIssue({ code: 'custom', message: 'must be a port number, or off (or 0)' });
      return port;
    });

/** Fault injection kills processes on purpose: a production service given it refuses to start. */
export function faultInjectionProblems(source: NodeJS.ProcessEnv): string[] {
  return Object.keys(source)
    .filter((name) => name.startsWith('ITSM_FAULT_') && source[name])
    .map((name) => `${name}: fault injection is for tests only (NODE_ENV test or development)`);
}

/**
 * Reads and validates the environment once, listing every problem at once rather than
 * failing on the first. Outside development and test, well-known development values
 * (the local database credentials, the seeded users' password) are problems too.
 */
export function loadServiceConfig<TShape extends z.ZodRawShape>(
  serviceName: string,
  defaultPort: number,
  extra: TShape = {} as TShape,
  source: NodeJS.ProcessEnv = process.env,
): ServiceConfig<z.infer<z.ZodObject<TShape>>> {
  const mode = deploymentMode(source);
  const portName = portVariable(serviceName);
  const metricsPortName = metricsPortVariable(serviceName);
  const schema = baseServiceEnvironment
    .superRefine(checkKafkaSecurity)
    .extend(extra)
    .extend({
      [portName]: z.coerce.number().int().min(0).max(65535).default(defaultPort),
      [metricsPortName]: metricsPortSetting(defaultPort + METRICS_PORT_OFFSET),
    });
  const parsed = schema.safeParse(source);
  const problems = [
    ...(parsed.success
      ? []
      : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...(mode === 'production' ? developmentValueProblems(source) : []),
    ...(mode === 'production' ? faultInjectionProblems(source) : []),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigurationError(problems);
  const env = parsed.data as BaseServiceEnvironment &
    z.infer<z.ZodObject<TShape>> &
    Record<string, number | undefined>;
  return {
    serviceName,
    mode,
    port: env[portName] as number,
    metricsPort: env[metricsPortName],
    env,
  };
}
