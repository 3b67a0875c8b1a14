import { z } from 'zod';
import { isoDurationSetting, readSettings } from '@itsm/platform';
import { type DetectionPolicy } from './domain/unauthorized-change';

const FIELD_NAME = /^[A-Za-z]\w*(\.(\w+|\*))?$/;

/** The unauthorised change detection's variables (docs/configuration.md is rendered from them). */
export const unauthorizedEnvironment = z.object({
  CHANGE_UNAUTHORIZED_GRACE: isoDurationSetting('PT24H').meta({
    description:
      "How long after a change's implementation ended an update of its CIs is still its own, as an ISO 8601 duration (docs/changes.md).",
  }),
  CHANGE_UNAUTHORIZED_BURST_WINDOW: isoDurationSetting('PT1H').meta({
    description:
      'Updates of one CI this close to each other join one unauthorised change (the window slides), as an ISO 8601 duration.',
  }),
  CHANGE_UNAUTHORIZED_MAX_AGE: isoDurationSetting('P1D').meta({
    description:
      'CMDB updates read later than this after they were made are not acted on, as an ISO 8601 duration.',
  }),
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
    })
    .meta({
      description:
        'CI fields that drift on their own and are not watched, comma-separated: `attributes.uptimeSeconds`, or `attributes.*` for all attributes.',
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
