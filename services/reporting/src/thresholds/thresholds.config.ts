import { z } from 'zod';
import { readSettings } from '@itsm/platform';

/** The KPI thresholds' variables (docs/configuration.md is rendered from them). */
export const thresholdsEnvironment = z.object({
  REPORT_THRESHOLD_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000).meta({
    description:
      'Milliseconds between two evaluations of the KPI thresholds against the current period\'s figures (docs/reporting.md, "Thresholds").',
  }),
});

export interface ThresholdsConfig {
  thresholdIntervalMs: number;
}

export const THRESHOLDS_CONFIG = Symbol('THRESHOLDS_CONFIG');

export function loadThresholdsConfig(source: NodeJS.ProcessEnv = process.env): ThresholdsConfig {
  const settings = readSettings(thresholdsEnvironment, source);
  return { thresholdIntervalMs: settings.REPORT_THRESHOLD_INTERVAL_MS };
}
