import { z } from 'zod';
import { booleanFlag, ConfigurationError } from '@itsm/platform';
import {
  AlertPolicyError,
  DEFAULT_ASSIGNMENT_GROUP_LABELS,
  DEFAULT_FALLBACK_PRIORITY,
  DEFAULT_SEVERITY_PRIORITIES,
  DEFAULT_TAG_LABELS,
  parsePriorityLevels,
  parseSeverityLevels,
  splitList,
  type AlertPolicy,
} from './domain/alert-policy';

/** A policy value parsed by the domain, its parse error reported as the variable's problem. */
function parsed<T>(parse: (text: string) => T) {
  return (text: string, context: z.RefinementCtx): T => {
    try {
      return parse(text);
    } catch (error) {
      if (!(error instanceof AlertPolicyError)) throw error;
      context.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  };
}

/**
 * The incident service's Alertmanager webhook settings (docs/integrations/alertmanager.md),
 * documented in docs/configuration.md.
 * Priorities are `<impact>x<urgency>`, each 1 (high) .. 3 (low).
 */
export const alertingEnvironment = z.object({
  ALERTMANAGER_SEVERITY_LABEL: z
    .string()
    .trim()
    .min(1)
    .default('severity')
    .meta({ description: 'The alert label holding its severity.' }),
  ALERTMANAGER_SEVERITY_PRIORITIES: z
    .string()
    .default(DEFAULT_SEVERITY_PRIORITIES)
    .transform(parsed(parseSeverityLevels))
    .meta({
      description:
        "The priority of an alert's incident by its severity: `<severity>=<impact>x<urgency>`, comma-separated.",
    }),
  ALERTMANAGER_FALLBACK_PRIORITY: z
    .string()
    .default(DEFAULT_FALLBACK_PRIORITY)
    .transform(parsed(parsePriorityLevels))
    .meta({
      description: 'The `<impact>x<urgency>` of an alert whose severity is missing or not mapped.',
    }),
  ALERTMANAGER_ASSIGNMENT_GROUP_LABELS: z
    .string()
    .default(DEFAULT_ASSIGNMENT_GROUP_LABELS)
    .transform(splitList)
    .meta({
      description: 'Labels naming the assignment group, comma-separated; the first present wins.',
    }),
  ALERTMANAGER_DEFAULT_ASSIGNMENT_GROUP: z.string().trim().min(1).optional().meta({
    description:
      'The group of an alert that names none; unset: such incidents go to the triage group (`TRIAGE_GROUP`).',
  }),
  ALERTMANAGER_TAG_LABELS: z.string().default(DEFAULT_TAG_LABELS).transform(splitList).meta({
    description: 'Labels copied to the incident as `<label>:<value>` tags, comma-separated.',
  }),
  ALERTMANAGER_RESOLVE_ON_RESOLVED: booleanFlag.default(false).meta({
    description: '`true`: a resolved alert resolves its incident; `false`: it adds a note.',
  }),
});

export const ALERT_POLICY = Symbol('ALERT_POLICY');

/** Reads the webhook's policy from the environment once, listing every problem at once. */
export function loadAlertPolicy(source: NodeJS.ProcessEnv = process.env): AlertPolicy {
  const result = alertingEnvironment.safeParse(source);
  if (!result.success) {
    throw new ConfigurationError(
      result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`),
    );
  }
  const env = result.data;
  return {
    severityLabel: env.ALERTMANAGER_SEVERITY_LABEL,
    severityLevels: env.ALERTMANAGER_SEVERITY_PRIORITIES,
    fallbackLevels: env.ALERTMANAGER_FALLBACK_PRIORITY,
    assignmentGroupLabels: env.ALERTMANAGER_ASSIGNMENT_GROUP_LABELS,
    defaultAssignmentGroup: env.ALERTMANAGER_DEFAULT_ASSIGNMENT_GROUP ?? null,
    tagLabels: env.ALERTMANAGER_TAG_LABELS,
    resolveOnResolved: env.ALERTMANAGER_RESOLVE_ON_RESOLVED,
  };
}
