import { z } from 'zod';
import { AGENT_RECORD_SCOPES, type AgentRecordScope } from '@itsm/auth';
import { parseConsumerStart } from '@itsm/messaging';

/** `true|false|1|0` -> boolean, for flags in any service's environment schema. */
export const booleanFlag = z
  .enum(['true', 'false', '1', '0'])
  .transform((value) => value === 'true' || value === '1');

const brokerList = z
  .string()
  .min(1)
  .transform((value) =>
    value
      .split(',')
      .map((broker) => broker.trim())
      .filter(Boolean),
  );

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
  KAFKA_BROKERS: brokerList,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HTTP_HOST: z.string().default('0.0.0.0'),
  HTTP_BODY_LIMIT: z.string().default('1mb'),
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
  OUTBOX_RELAY_ENABLED: booleanFlag.default(true),
  OUTBOX_POLL_INTERVAL_MS: z.coerce.number().int().min(10).default(1000),
  OUTBOX_BATCH_SIZE: z.coerce.number().int().min(1).max(5000).default(500),
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
  KAFKA_SESSION_TIMEOUT_MS: z.coerce.number().int().min(1000).default(10000),
  KAFKA_TOPIC_PARTITIONS: z.coerce.number().int().min(1).max(1000).default(6),
  /** `all`: agents see every incident and request (ServiceNow's itil); `groups`: their groups' records and the unassigned queue. */
  AGENT_RECORD_SCOPE: z
    .enum(AGENT_RECORD_SCOPES as [AgentRecordScope, ...AgentRecordScope[]])
    .default('all'),
});

export type BaseServiceEnvironment = z.infer<typeof baseServiceEnvironment>;

export interface ServiceConfig<TExtra = object> {
  serviceName: string;
  port: number;
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

/**
 * Reads and validates the environment once, listing every problem at once rather than
 * failing on the first.
 */
export function loadServiceConfig<TShape extends z.ZodRawShape>(
  serviceName: string,
  defaultPort: number,
  extra: TShape = {} as TShape,
  source: NodeJS.ProcessEnv = process.env,
): ServiceConfig<z.infer<z.ZodObject<TShape>>> {
  const portName = portVariable(serviceName);
  const schema = baseServiceEnvironment.extend(extra).extend({
    [portName]: z.coerce.number().int().min(0).max(65535).default(defaultPort),
  });
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const env = parsed.data as BaseServiceEnvironment &
    z.infer<z.ZodObject<TShape>> &
    Record<string, number>;
  return { serviceName, port: env[portName], env };
}
