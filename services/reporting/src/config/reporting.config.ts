import { z } from 'zod';
import { readSettings } from '@itsm/platform';

const reportingEnvironment = z.object({
  /** How often KPI thresholds are evaluated against the current period's figures. */
  REPORT_THRESHOLD_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
});

export interface ReportingConfig {
  thresholdIntervalMs: number;
}

export const REPORTING_CONFIG = Symbol('REPORTING_CONFIG');

export function loadReportingConfig(source: NodeJS.ProcessEnv = process.env): ReportingConfig {
  const settings = readSettings(reportingEnvironment, source);
  return { thresholdIntervalMs: settings.REPORT_THRESHOLD_INTERVAL_MS };
}
