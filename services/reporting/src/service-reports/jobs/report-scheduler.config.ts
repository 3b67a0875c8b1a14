import { z } from 'zod';
import { booleanFlag, readSettings } from '@itsm/platform';

/** The report scheduler's variables (docs/configuration.md is rendered from them). */
export const schedulerEnvironment = z.object({
  REPORT_SCHEDULER_ENABLED: booleanFlag.default(true).meta({
    description:
      'Whether this replica produces scheduled reports (any number may: each period is produced once, docs/reporting.md).',
  }),
  REPORT_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000).meta({
    description: 'Milliseconds between two looks for due report schedules.',
  }),
});

export interface ReportSchedulerConfig {
  enabled: boolean;
  intervalMs: number;
}

export const REPORT_SCHEDULER_CONFIG = Symbol('REPORT_SCHEDULER_CONFIG');

export function loadReportSchedulerConfig(
  source: NodeJS.ProcessEnv = process.env,
): ReportSchedulerConfig {
  const settings = readSettings(schedulerEnvironment, source);
  return {
    enabled: settings.REPORT_SCHEDULER_ENABLED,
    intervalMs: settings.REPORT_SCHEDULER_INTERVAL_MS,
  };
}
