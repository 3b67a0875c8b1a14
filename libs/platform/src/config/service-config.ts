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
 * The variables every service reads, each documented with `.meta({ description })`:
 * docs/configuration.md is rendered from these (`npm run docs:configuration`). Each service
 * adds its own with {@link loadServiceConfig}'s `extra` schema.
 */
export const baseServiceEnvironment = z.object({
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).meta({
    description:
      "PostgreSQL, as a `postgres://` URL; each service uses its own schema in it. `npm start` and `npm test` set the local server's (`postgres://itsm:itsm@127.0.0.1:54329/itsm`); in production the local credentials (`itsm:itsm`, `postgres:postgres`) are refused, here and in `PGPASSWORD`. TLS (default: none) is set with libpq's names in the URL's query, for every connection a service makes (its pool, the migrate step, the outbox relay's listener): `sslmode=verify-full&sslrootcert=/path/ca.crt` (TLS, the server's certificate must chain to that CA and name the host; what CloudNativePG's `<cluster>-ca` Secret and managed PostgreSQL's CA bundles are for), `sslmode=no-verify` (TLS without checking the certificate), `sslcert=`/`sslkey=` (a client certificate, PEM files). node-postgres reads `require` and `verify-ca` as `verify-full` (and warns) unless `uselibpqcompat=true` is added, which gives them libpq's meaning. Files are read when a connection is made.",
  }),
  ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS: z.string().optional().meta({
    description:
      "The gateway's public keys a service verifies forwarded identities with: PEM SPKI keys or X.509 certificates, or a JWK Set (old and new during a rollover, docs/adr/0009). Required by every service but the gateway, checked when the service starts (the migrate step does not need them); `npm start` and `npm test` generate a pair per run.",
  }),
  ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS_FILE: z.string().optional().meta({
    description:
      'Instead of `ITSM_INTERNAL_IDENTITY_VERIFICATION_KEYS`: the path of a file holding them, e.g. a mounted Kubernetes Secret.',
  }),
  ITSM_INTERNAL_IDENTITY_REPLAY_CACHE_SIZE: z.coerce.number().int().min(100).default(100_000).meta({
    description:
      'The most unexpired identity ids a service process remembers to refuse replays (then 503): about requests per second × (identity lifetime + 2 s).',
  }),
  ITSM_TRUSTED_SERVICE_KEYS: z.string().optional().meta({
    description:
      'The services this one takes calls from as themselves (the cmdb service, ADR 12), with their public keys: a JSON object of calling service to a PEM string of SPKI keys or certificates, or a JWK Set, e.g. `{"change": "<PEM>"}` or `{"change": {"keys": [...]}}`. Unset: only the gateway\'s identities are accepted; `npm start` and `npm test` generate them per run.',
  }),
  ITSM_TRUSTED_SERVICE_KEYS_FILE: z.string().optional().meta({
    description: 'Instead of `ITSM_TRUSTED_SERVICE_KEYS`: the path of a file holding that JSON.',
  }),
  ITSM_SERVICE_IDENTITY_SIGNING_KEY: z.string().optional().meta({
    description:
      "The private key a service that calls another as itself (the change service, ADR 12) signs its own identity with: P-256 or Ed25519, PEM or JWK; never the gateway's. Read only by such services, which do not start without it; `npm start` and `npm test` generate it per run.",
  }),
  ITSM_SERVICE_IDENTITY_SIGNING_KEY_FILE: z.string().optional().meta({
    description:
      'Instead of `ITSM_SERVICE_IDENTITY_SIGNING_KEY`: the path of a file holding it, e.g. a mounted Kubernetes Secret.',
  }),
  ITSM_SERVICE_IDENTITY_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_IDENTITY_LIFETIME_SECONDS)
    .default(5)
    .meta({
      description: `Seconds an identity a service signs for itself is valid (1 to ${MAX_IDENTITY_LIFETIME_SECONDS}): the time to the service called, plus room.`,
    }),
  KAFKA_BROKERS: brokerList.meta({
    description:
      'The Kafka bootstrap brokers, comma-separated `host:port`. `npm start` and `npm test` set the local broker (`127.0.0.1:19092`).',
  }),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .meta({ description: 'The least severe log level written: `fatal` .. `trace`, or `silent`.' }),
  HTTP_HOST: z
    .string()
    .default('0.0.0.0')
    .meta({ description: 'The interface the service listens on, its API and its metrics.' }),
  HTTP_BODY_LIMIT: z.string().default('1mb').meta({
    description: "The largest request body (then 413), in body-parser's units (`100kb`, `1mb`).",
  }),
  TRUST_PROXY: trustProxySetting.meta({
    description:
      "Express's `trust proxy`: `false` (the connection's address is the client's), a hop count (`1` behind one load balancer), or the proxies' addresses and CIDR ranges, comma-separated (`loopback`, `linklocal`, `uniquelocal` too). Decides the client address the login limits and the rate limit count. `true` (believe any `X-Forwarded-For`) is refused: it would let every client pick its address.",
  }),
  CORS_ORIGINS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .meta({
      description: 'Origins browsers may call the API from, comma-separated; empty: CORS is off.',
    }),
  DATABASE_POOL_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(10)
    .meta({ description: 'PostgreSQL connections per service process (1 to 200).' }),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000).meta({
    description:
      'Milliseconds a query waits for a database connection (from the pool, or a new one) before the request fails with 503 `database-unavailable` (docs/reliability.md).',
  }),
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3_600_000)
    .default(60_000)
    .meta({
      description:
        'Milliseconds after which the server cancels a statement (answered 503 `database-unavailable`); `0` turns the limit off. The migrate step has none.',
    }),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(1000).max(3_600_000).default(25_000).meta({
    description:
      "Milliseconds from SIGTERM (or SIGINT) to exit at most: keep it below the orchestrator's grace period (Kubernetes' `terminationGracePeriodSeconds`, 30 s by default), which kills the process after it. Requests still running when 5 s of it are left have their connections closed.",
  }),
  SHUTDOWN_DELAY_MS: z.coerce.number().int().min(0).max(600_000).optional().meta({
    description:
      "Milliseconds after SIGTERM the service still takes new connections while `/health/ready` answers 503, so the load balancer stops sending before it stops listening; then it finishes the requests in flight, stops the outbox relay after its batch, leaves its Kafka consumer group, closes the database pool and exits 0. Unset: 5000 in production (what a Kubernetes Service's endpoints take to notice), 0 in development and test.",
  }),
  OUTBOX_RELAY_ENABLED: booleanFlag
    .default(true)
    .meta({ description: 'Whether this process runs the outbox relay (`true`/`false`, `1`/`0`).' }),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(1000).meta({
    description:
      "Milliseconds between the relay's fallback polls; it is woken by `NOTIFY` on every commit.",
  }),
  OUTBOX_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(5000)
    .default(500)
    .meta({ description: 'Events the outbox relay reads per round.' }),
  ITSM_FAULT_RELAY_CRASH_AFTER_BATCH: z.coerce.number().int().min(1).optional().meta({
    description:
      "Fault injection, for the fault suite only (docs/reliability.md): the process kills itself (SIGKILL) right after Kafka acknowledged the relay's Nth batch and before the batch leaves the outbox. A production service given any `ITSM_FAULT_*` variable refuses to start.",
  }),
  RETENTION_INTERVAL_MS: z.coerce.number().int().min(0).default(3_600_000).meta({
    description:
      "Milliseconds between rounds of the retention sweeper (libs/platform/src/retention), which deletes old inbox rows, settled dead letters, idempotency keys and a service's own expired rows in batches; replicas sweeping at once take different rows (`SKIP LOCKED`). `0` turns it off.",
  }),
  RETENTION_BATCH_SIZE: z.coerce
    .number()
    .int()
    .min(1)
    .max(50_000)
    .default(1000)
    .meta({ description: 'Rows the retention sweeper deletes per statement.' }),
  INBOX_RETENTION_DAYS: z.coerce.number().int().min(1).default(30).meta({
    description:
      "Days a consumer remembers an applied event (its inbox row): a redelivery older than this would be applied again, so keep it above the topics' retention if offsets may be reset.",
  }),
  DEAD_LETTER_RETENTION_DAYS: z.coerce.number().int().min(1).default(90).meta({
    description:
      'Days a settled (replayed or discarded) dead letter and who settled it are kept; open and held ones stay until settled.',
  }),
  IDEMPOTENCY_KEY_RETENTION_HOURS: z.coerce
    .number()
    .int()
    .min(IDEMPOTENCY_WINDOW_HOURS)
    .default(2 * IDEMPOTENCY_WINDOW_HOURS)
    .meta({
      description: `Hours an answered \`Idempotency-Key\` and its answer are kept; at least the ${IDEMPOTENCY_WINDOW_HOURS} hours a retry is honoured. (The CMDB's finished import jobs: \`CMDB_IMPORT_JOB_RETENTION_DAYS\`; the event archive is kept forever, docs/reporting.md.)`,
    }),
  KAFKA_CONSUMER_GROUP_PREFIX: z.string().default('itsm').meta({
    description:
      'Consumer groups are `<prefix>.<service>`; dead letters go to `itsm.dlq.<group>.v1`.',
  }),
  KAFKA_CONSUMER_MAX_ATTEMPTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .meta({ description: 'Handler attempts before a message is dead-lettered (1 to 100).' }),
  KAFKA_CONSUMER_BACKOFF_MS: z.coerce.number().int().min(0).default(200).meta({
    description: 'Milliseconds before the second attempt, doubled for each next one.',
  }),
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
    })
    .meta({
      description:
        'Where a consumer group that has never committed an offset starts reading its topics: `earliest` (every event ever), `latest` (their end when it first joins), or an ISO 8601 date-time such as `2026-01-01T00:00:00Z` (the first event at or after it, e.g. to build a read model from a date). A group with offsets goes on from them.',
    }),
  KAFKA_CONSUMER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1).meta({
    description:
      "Partitions each consumer works on at once (kafkajs `partitionsConsumedConcurrently`, 1 to 64): one record's events share a partition and stay in order, so more than 1 lets a consumer that waits on PostgreSQL apply several records' events at a time (docs/benchmarks-problem.md).",
  }),
  KAFKA_SESSION_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .default(10000)
    .meta({ description: "The Kafka consumer's session timeout, in milliseconds." }),
  KAFKA_TOPIC_PARTITIONS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(6)
    .meta({ description: 'Partitions of the topics the migrate step creates.' }),
  ITSM_MIGRATE_TOPICS: booleanFlag.default(true).meta({
    description:
      "Whether the migrate step creates the service's topics (and its dead-letter topic); `false` when Strimzi `KafkaTopic` resources or a managed Kafka's console create them, and the migrate step then does not connect to Kafka.",
  }),
  AGENT_RECORD_SCOPE: z
    .enum(AGENT_RECORD_SCOPES as [AgentRecordScope, ...AgentRecordScope[]])
    .default('all')
    .meta({
      description:
        "Which incidents and requests agents see: `all` (every one, as ServiceNow's itil role) or `groups` (their groups' records and the unassigned queue).",
    }),
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
 * A service's own port variables, `<SERVICE>_PORT` (its API) and `<SERVICE>_METRICS_PORT`
 * (Prometheus' `/metrics`), with their defaults: part of every service's environment.
 */
export function servicePortEnvironment(serviceName: string, defaultPort: number) {
  return {
    [portVariable(serviceName)]: z.coerce
      .number()
      .int()
      .min(0)
      .max(65535)
      .default(defaultPort)
      .meta({
        description: `The port the ${serviceName} service's ${serviceName === 'gateway' ? 'public' : 'internal'} API listens on.`,
      }),
    [metricsPortVariable(serviceName)]: metricsPortSetting(defaultPort + METRICS_PORT_OFFSET).meta({
      description: `Where the ${serviceName} service serves Prometheus' \`/metrics\` (on \`HTTP_HOST\`), apart from its API, whose port answers 404 for \`/metrics\`; \`off\` (or \`0\`) serves none. In Kubernetes, name the container port \`metrics\` for a ServiceMonitor.`,
    }),
  };
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
    .extend(servicePortEnvironment(serviceName, defaultPort));
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
