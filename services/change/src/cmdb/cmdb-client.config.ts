import { z } from 'zod';
import { readSettings } from '@itsm/platform';

/** The change service's variables for reading the CMDB (docs/configuration.md is rendered from them). */
export const cmdbClientEnvironment = z.object({
  CMDB_URL: z
    .url({ protocol: /^https?$/ })
    .default('http://127.0.0.1:3005')
    .meta({
      description:
        "Where the change service reads the cmdb service's internal API (its impact analysis, as itself: docs/adr/0012): the same variable the gateway reaches it by.",
    }),
  CHANGE_CMDB_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2000).meta({
    description:
      'Milliseconds one read of the CMDB may take, all its requests together, before it is degraded.',
  }),
});

export interface CmdbClientConfig {
  url: string;
  timeoutMs: number;
}

export const CMDB_CLIENT_CONFIG = Symbol('CMDB_CLIENT_CONFIG');

export function loadCmdbClientConfig(source: NodeJS.ProcessEnv = process.env): CmdbClientConfig {
  const settings = readSettings(cmdbClientEnvironment, source);
  return { url: settings.CMDB_URL, timeoutMs: settings.CHANGE_CMDB_TIMEOUT_MS };
}
