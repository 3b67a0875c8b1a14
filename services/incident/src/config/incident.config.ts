import { z } from 'zod';
import { isoDurationSetting, priorityMatrixSetting, readSettings } from '@itsm/platform';
import { type PriorityMatrix } from '@itsm/contracts';

const incidentEnvironment = z.object({
  /** Cells of the impact x urgency matrix that differ from the default, e.g. `1x2=P1,3x3=P4`. */
  PRIORITY_MATRIX: priorityMatrixSetting,
  /** How long a resolved incident (or fulfilled request) waits before it closes by itself. */
  AUTO_CLOSE_AFTER: isoDurationSetting('P3D'),
  /** How often the auto-close sweep looks for records due to close. */
  AUTO_CLOSE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000),
  /**
   * The group new incidents and requests go to when opened without one, so the service
   * desk's queue holds them. A group name as the directory has them (1..100 characters).
   */
  TRIAGE_GROUP: z.string().trim().min(1).max(100).default('service-desk'),
});

export interface IncidentConfig {
  priorityMatrix: PriorityMatrix;
  autoCloseAfterMs: number;
  autoCloseIntervalMs: number;
  triageGroup: string;
}

export const INCIDENT_CONFIG = Symbol('INCIDENT_CONFIG');

export function loadIncidentConfig(source: NodeJS.ProcessEnv = process.env): IncidentConfig {
  const settings = readSettings(incidentEnvironment, source);
  return {
    priorityMatrix: settings.PRIORITY_MATRIX,
    autoCloseAfterMs: settings.AUTO_CLOSE_AFTER,
    autoCloseIntervalMs: settings.AUTO_CLOSE_INTERVAL_MS,
    triageGroup: settings.TRIAGE_GROUP,
  };
}
