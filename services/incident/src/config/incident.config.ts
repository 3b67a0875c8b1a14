import { z } from 'zod';
import { isoDurationSetting, priorityMatrixSetting, readSettings } from '@itsm/platform';
import { type PriorityMatrix } from '@itsm/contracts';

/** The incident service's own variables (docs/configuration.md is rendered from them). */
export const incidentEnvironment = z.object({
  PRIORITY_MATRIX: priorityMatrixSetting.meta({
    description:
      'The cells of the impact x urgency priority matrix that differ from the default, e.g. `1x2=P1,3x3=P4` (docs/incidents.md, "Priority"); empty: the default matrix. Set the problem service\'s the same, so that one matrix rates both.',
  }),
  AUTO_CLOSE_AFTER: isoDurationSetting('P3D').meta({
    description:
      'How long a resolved incident (or fulfilled request) waits before it closes by itself, as an ISO 8601 duration.',
  }),
  AUTO_CLOSE_INTERVAL_MS: z.coerce.number().int().min(100).default(60_000).meta({
    description: 'Milliseconds between two looks of the auto-close sweep for records due to close.',
  }),
  TRIAGE_GROUP: z.string().trim().min(1).max(100).default('service-desk').meta({
    description:
      "The group new incidents and requests go to when opened without one, so that the service desk's queue holds them: a group name as the directory has it (1 to 100 characters).",
  }),
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
