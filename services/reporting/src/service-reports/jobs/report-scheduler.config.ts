import { z } from 'zod';
import { booleanFlag, readSettings } from '@itsm/platform';

const schedulerEnvironment = z.object({
  /** Whether this replica produces scheduled reports (any number may: each period is produced once). */
  REPORT_SCHEDULER_ENABLED: booleanFlag.default(true),
  /** How often due schedules are looked for. */
  REPORT_SCHEDULER_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
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
