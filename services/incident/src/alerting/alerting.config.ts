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
 * The incident service's Alertmanager webhook settings (docs/integrations/alertmanager.md).
 * Priorities are `<impact>x<urgency>`, each 1 (high) .. 3 (low).
 */
export const alertingEnvironment = z.object({
  /** The alert label holding its severity. */
  ALERTMANAGER_SEVERITY_LABEL: z.string().trim().min(1).default('severity'),
  /** `<severity>=<impact>x<urgency>`, comma-separated. */
  ALERTMANAGER_SEVERITY_PRIORITIES: z
    .string()
    .default(DEFAULT_SEVERITY_PRIORITIES)
    .transform(parsed(parseSeverityLevels)),
  /** For an alert whose severity is missing or not mapped. */
  ALERTMANAGER_FALLBACK_PRIORITY: z
    .string()
    .default(DEFAULT_FALLBACK_PRIORITY)
    .transform(parsed(parsePriorityLevels)),
  /** Labels naming the assignment group, first present wins. */
  ALERTMANAGER_ASSIGNMENT_GROUP_LABELS: z
    .string()
    .default(DEFAULT_ASSIGNMENT_GROUP_LABELS)
    .transform(splitList),
  /** The group of an alert that names none; unset sends such incidents to the triage group. */
  ALERTMANAGER_DEFAULT_ASSIGNMENT_GROUP: z.string().trim().min(1).optional(),
  /** Labels copied as `<label>:<value>` tags. */
  ALERTMANAGER_TAG_LABELS: z.string().default(DEFAULT_TAG_LABELS).transform(splitList),
  /** true: a resolved alert resolves its incident; false (default): it adds a note. */
  ALERTMANAGER_RESOLVE_ON_RESOLVED: booleanFlag.default(false),
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
