import { z } from 'zod';
import { readSettings } from '@itsm/platform';

/** The read models' own variables (docs/configuration.md is rendered from them; docs/reporting.md). */
export const readModelsEnvironment = z.object({
  REPORTING_REBUILD_BATCH_SIZE: z.coerce.number().int().min(1).max(50_000).default(5000).meta({
    description:
      'Archived events a read model\'s rebuild reads and writes per statement (docs/reporting.md, "Read models (projections)").',
  }),
  REPORTING_REBUILD_PAUSE_MS: z.coerce.number().int().min(0).max(60_000).default(0).meta({
    description:
      'Milliseconds of pause between two batches of a rebuild, to leave the database to live traffic.',
  }),
});

export type ReadModelsConfig = z.infer<typeof readModelsEnvironment>;
export const READ_MODELS_CONFIG = Symbol('READ_MODELS_CONFIG');

export function loadReadModelsConfig(source: NodeJS.ProcessEnv = process.env): ReadModelsConfig {
  return readSettings(readModelsEnvironment, source);
}
