import { z } from 'zod';
import { readSettings } from '@itsm/platform';

const thresholdsEnvironment = z.object({
  /** How often KPI thresholds are evaluated against the current period's figures. */
  REPORT_THRESHOLD_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
});

export interface ThresholdsConfig {
  thresholdIntervalMs: number;
}

export const THRESHOLDS_CONFIG = Symbol('THRESHOLDS_CONFIG');

export function loadThresholdsConfig(source: NodeJS.ProcessEnv = process.env): ThresholdsConfig {
  const settings = readSettings(thresholdsEnvironment, source);
  return { thresholdIntervalMs: settings.REPORT_THRESHOLD_INTERVAL_MS };
}
