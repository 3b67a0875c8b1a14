import { z } from 'zod';
import { readSettings } from '@itsm/platform';

/** The read models' own variables (documented in docs/reporting.md). */
const readModelsEnvironment = z.object({
  /** Archived events a rebuild reads and writes per statement. */
  REPORTING_REBUILD_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5000),
  /** A pause between two batches of a rebuild, to leave the database to live traffic. */
  REPORTING_REBUILD_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(0),
});

export type ReadModelsConfig = z.infer<typeof readModelsEnvironment>;
export const READ_MODELS_CONFIG = Symbol('READ_MODELS_CONFIG');

export function loadReadModelsConfig(source: NodeJS.ProcessEnv = process.env): ReadModelsConfig {
  return readSettings(readModelsEnvironment, source);
}
