import { z } from 'zod';
import { isoDurationSetting, readSettings } from '@itsm/platform';
import { type DetectionPolicy } from './domain/unauthorized-change';

const FIELD_NAME = /^[A-Za-z]\w*(\.(\w+|\*))?$/;

const unauthorizedEnvironment = z.object({
  /** How long after a change's implementation ended an update of its CIs is still its own. */
  CHANGE_UNAUTHORIZED_GRACE: isoDurationSetting('PT24H'),
  /** Updates of one CI this close to each other join one unauthorised change (the window slides). */
  CHANGE_UNAUTHORIZED_BURST_WINDOW: isoDurationSetting('PT1H'),
  /** CMDB updates read later than this after they were made are not acted on. */
  CHANGE_UNAUTHORIZED_MAX_AGE: isoDurationSetting('P1D'),
  /** Comma-separated CI fields not watched: `attributes.uptimeSeconds`, or `attributes.*` for all. */
  CHANGE_UNAUTHORIZED_IGNORED_FIELDS: z
    .string()
    .default('')
    .transform((value, context) => {
      const names = value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      for (const name of names.filter((candidate) => !FIELD_NAME.test(candidate))) {
        context.addIssue({
          code: 'custom',
          message: `"${name}" is not a CI field name (e.g. attributes.uptimeSeconds or attributes.*)`,
        });
      }
      return names;
    }),
});

export const UNAUTHORIZED_CHANGE_POLICY = Symbol('UNAUTHORIZED_CHANGE_POLICY');

/** Reads the detection's settings once, every problem listed by variable. */
export function loadDetectionPolicy(source: NodeJS.ProcessEnv = process.env): DetectionPolicy {
  const settings = readSettings(unauthorizedEnvironment, source);
  return {
    graceMs: settings.CHANGE_UNAUTHORIZED_GRACE,
    burstWindowMs: settings.CHANGE_UNAUTHORIZED_BURST_WINDOW,
    maxAgeMs: settings.CHANGE_UNAUTHORIZED_MAX_AGE,
    ignoredFields: settings.CHANGE_UNAUTHORIZED_IGNORED_FIELDS,
  };
}
