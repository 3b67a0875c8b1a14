import { z } from 'zod';
import { ConfigurationError, loadServiceConfig, type ServiceConfig } from '@itsm/platform';

const sourceList = z.string().transform((value) =>
  value
    .split(',')
    .map((source) => source.trim())
    .filter(Boolean),
);

/** The cmdb service's own variables, beside the ones every service reads. Documented in docs/cmdb.md. */
export const cmdbEnvironment = {
  /** Discovery sources by precedence, highest first; a source not listed ranks below all listed. */
  CMDB_SOURCE_PRECEDENCE: sourceList.default(['manual']),
  /** An import with more items plus relationships than this runs as a background job (202). */
  CMDB_IMPORT_SYNC_LIMIT: z.coerce.number().int().min(1).max(100000).default(2000),
  /** Items (and relationships) per transaction when an import runs as a job. */
  CMDB_IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(1000),
  /** The most items plus relationships one import request may carry. */
  CMDB_IMPORT_MAX_ENTRIES: z.coerce.number().int().min(1).default(200000),
  CMDB_IMPORT_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000),
  /**
   * How long an import job stays with a replica that stopped renewing its lease (a crash)
   * before another takes it over; a running job renews it every third of this.
   */
  CMDB_IMPORT_LEASE_MS: z.coerce.number().int().min(300).default(60_000),
  /** How long a finished (completed or failed) import job and its report are kept. */
  CMDB_IMPORT_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  /** The deepest impact analysis answered. */
  CMDB_IMPACT_MAX_DEPTH: z.coerce.number().int().min(1).max(50).default(10),
  /** The most CIs one impact analysis reaches before it stops and says `truncated`. */
  CMDB_IMPACT_MAX_CIS: z.coerce.number().int().min(1).default(20000),
  /** How many of the CIs reached an impact analysis lists when the caller gives no `limit`; at most CMDB_IMPACT_MAX_CIS. */
  CMDB_IMPACT_DEFAULT_LIMIT: z.coerce.number().int().min(1).default(1000),
};

export type CmdbConfig = ServiceConfig<z.infer<z.ZodObject<typeof cmdbEnvironment>>>['env'];

export const CMDB_CONFIG = Symbol('CMDB_CONFIG');

export function loadCmdbConfig(source: NodeJS.ProcessEnv = process.env): CmdbConfig {
  const env = loadServiceConfig('cmdb', 3005, cmdbEnvironment, source).env;
  // A default the cap would cut is a configuration mistake, not a value to clamp quietly.
  if (env.CMDB_IMPACT_DEFAULT_LIMIT > env.CMDB_IMPACT_MAX_CIS) {
    throw new ConfigurationError([
      `CMDB_IMPACT_DEFAULT_LIMIT: ${env.CMDB_IMPACT_DEFAULT_LIMIT} is above CMDB_IMPACT_MAX_CIS (${env.CMDB_IMPACT_MAX_CIS})`,
    ]);
  }
  return env;
}
