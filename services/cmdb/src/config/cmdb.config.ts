import { z } from 'zod';
import { ConfigurationError, loadServiceConfig, type ServiceConfig } from '@itsm/platform';

const sourceList = z.string().transform((value) =>
  value
    .split(',')
    .map((source) => source.trim())
    .filter(Boolean),
);

/** The cmdb service's own variables, beside the ones every service reads (docs/configuration.md is rendered from them). */
export const cmdbEnvironment = {
  CMDB_SOURCE_PRECEDENCE: sourceList.default(['manual']).meta({
    description:
      'Discovery sources by precedence, highest first, comma-separated; a source not listed ranks below all listed (docs/cmdb.md).',
  }),
  CMDB_IMPORT_SYNC_LIMIT: z.coerce.number().int().min(1).max(100000).default(2000).meta({
    description:
      'An import with more items plus relationships than this runs as a background job (202) in batches, polled for its report.',
  }),
  CMDB_IMPORT_BATCH_SIZE: z.coerce.number().int().min(1).max(10000).default(1000).meta({
    description: 'Items (and relationships) per transaction when an import runs as a job.',
  }),
  CMDB_IMPORT_MAX_ENTRIES: z.coerce.number().int().min(1).default(200000).meta({
    description: 'The most items plus relationships one import request may carry.',
  }),
  CMDB_IMPORT_POLL_INTERVAL_MS: z.coerce.number().int().min(50).default(1000).meta({
    description: 'Milliseconds between two looks of a replica for import jobs waiting to run.',
  }),
  CMDB_IMPORT_LEASE_MS: z.coerce.number().int().min(300).default(60_000).meta({
    description:
      'Milliseconds an import job stays with a replica that stopped renewing its lease (a crash) before another takes it over; a running job renews it every third of this.',
  }),
  CMDB_IMPORT_JOB_RETENTION_DAYS: z.coerce.number().int().min(1).default(90).meta({
    description:
      'Days a finished (completed or failed) import job and its report are kept; removed by the retention sweeper (`RETENTION_INTERVAL_MS`).',
  }),
  CMDB_IMPACT_MAX_DEPTH: z.coerce
    .number()
    .int()
    .min(1)
    .max(50)
    .default(10)
    .meta({ description: 'The deepest impact analysis answered, in relationship hops (1 to 50).' }),
  CMDB_IMPACT_MAX_CIS: z.coerce.number().int().min(1).default(20000).meta({
    description: 'The most CIs one impact analysis reaches before it stops and says `truncated`.',
  }),
  CMDB_IMPACT_DEFAULT_LIMIT: z.coerce.number().int().min(1).default(1000).meta({
    description:
      'How many of the CIs reached an impact analysis lists when the caller gives no `limit`; at most `CMDB_IMPACT_MAX_CIS`.',
  }),
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
