import { Duration } from 'luxon';
import { z } from 'zod';
import { parsePriorityMatrix } from '@itsm/contracts';
import { ConfigurationError } from './service-config';

/** Settings more than one service reads the same way, and how a service reads its own. */

/** A positive ISO 8601 duration (`P3D`, `PT24H`), read as milliseconds. */
export function isoDurationSetting(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value, context) => {
      const duration = Duration.fromISO(value);
      if (!duration.isValid || duration.toMillis() <= 0) {
        context.addIssue({
          code: 'custom',
          message: `must be a positive ISO 8601 duration, e.g. ${fallback}`,
        });
        return 0;
      }
      return duration.toMillis();
    });
}

/**
 * `PRIORITY_MATRIX`: the impact x urgency cells that differ from the default, e.g.
 * `1x2=P1,3x3=P4`. Incidents and problems read the same setting, so that one matrix rates
 * both.
 */
export const priorityMatrixSetting = z
  .string()
  .default('')
  .transform((value, context) => {
    try {
      return parsePriorityMatrix(value);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return parsePriorityMatrix('');
    }
  });

/** A service's own settings read from the environment, every problem listed at once, by variable. */
export function readSettings<T extends z.ZodTypeAny>(
  schema: T,
  source: NodeJS.ProcessEnv,
): z.infer<T> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new ConfigurationError(
      parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  return parsed.data;
}
