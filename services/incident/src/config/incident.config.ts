import { Duration } from 'luxon';
import { z } from 'zod';
import { ConfigurationError } from '@itsm/platform';
import { parsePriorityMatrix, type PriorityMatrix } from '@itsm/contracts';

const isoDuration = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value, context) => {
      const duration = Duration.fromISO(value);
      if (!duration.isValid || duration.toMillis() <= 0) {
        context.addIssue({
          code: 'custom',
          message: 'must be a positive ISO 8601 duration, e.g. P3D',
        });
        return 0;
      }
      return duration.toMillis();
    });

const incidentEnvironment = z.object({
  /** Cells of the impact x urgency matrix that differ from the default, e.g. `1x2=P1,3x3=P4`. */
  PRIORITY_MATRIX: z
    .string()
    .default('')
    .transform((value, context) => {
      try {
        return parsePriorityMatrix(value);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return parsePriorityMatrix('');
      }
    }),
  /** How long a resolved incident (or fulfilled request) waits before it closes by itself. */
  AUTO_CLOSE_AFTER: isoDuration('P3D'),
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
  const parsed = incidentEnvironment.safeParse(source);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return {
    priorityMatrix: parsed.data.PRIORITY_MATRIX,
    autoCloseAfterMs: parsed.data.AUTO_CLOSE_AFTER,
    autoCloseIntervalMs: parsed.data.AUTO_CLOSE_INTERVAL_MS,
    triageGroup: parsed.data.TRIAGE_GROUP,
  };
}
