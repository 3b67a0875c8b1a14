import type { Impact, Urgency } from '@itsm/contracts';
import type { AlertmanagerAlert } from './alertmanager-payload';

/** Impact and urgency an alert's incident gets; the priority follows from the matrix. */
export interface PriorityLevels {
  impact: Impact;
  urgency: Urgency;
}

/** How alerts become incidents: built from the service's configuration (alerting.config.ts). */
export interface AlertPolicy {
  /** The label holding the alert's severity, `severity` by convention. */
  severityLabel: string;
  /** Severity label value -> impact and urgency. */
  severityLevels: Readonly<Record<string, PriorityLevels>>;
  /** For an alert whose severity is missing or not in the map. */
  fallbackLevels: PriorityLevels;
  /** The first of these labels present on the alert names the assignment group. */
  assignmentGroupLabels: readonly string[];
  /** When the alert names none; null leaves the incident to the triage group. */
  defaultAssignmentGroup: string | null;
  /** Each of these labels present on the alert becomes a `<label>:<value>` tag. */
  tagLabels: readonly string[];
  /** true: an alert's resolution resolves its incident; false: it only adds a note. */
  resolveOnResolved: boolean;
}

export const DEFAULT_SEVERITY_PRIORITIES = 'critical=1x1,error=2x2,warning=2x3,info=3x3';
export const DEFAULT_FALLBACK_PRIORITY = '3x3';
export const DEFAULT_ASSIGNMENT_GROUP_LABELS = 'assignment_group,team';
export const DEFAULT_TAG_LABELS = 'alertname,severity';

/** Every incident raised from an alert carries this tag besides the label tags. */
export const ALERTMANAGER_TAG = 'alertmanager';
const EXTERNAL_REF_PREFIX = 'alertmanager:';
/** The incident API's limits on these fields. */
const MAX_TITLE_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 20_000;

export class AlertPolicyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AlertPolicyError';
  }
}

/** `2x3` -> impact 2, urgency 3; each 1 (high) .. 3 (low). */
export function parsePriorityLevels(text: string): PriorityLevels {
  const match = /^\s*([1-3])\s*x\s*([1-3])\s*$/i.exec(text);
  if (!match) throw new AlertPolicyError(`'${text}' is not <impact>x<urgency> with each 1..3`);
  return { impact: Number(match[1]) as Impact, urgency: Number(match[2]) as Urgency };
}

/** `critical=1x1,warning=2x3` -> severity -> levels; a severity given twice is an error. */
export function parseSeverityLevels(text: string): Record<string, PriorityLevels> {
  const entries: [string, PriorityLevels][] = [];
  for (const entry of splitList(text)) {
    const separator = entry.indexOf('=');
    const severity = entry.slice(0, separator).trim();
    if (separator < 1 || !severity)
      throw new AlertPolicyError(`'${entry}' is not <severity>=<impact>x<urgency>`);
    if (entries.some(([known]) => known === severity))
      throw new AlertPolicyError(`severity '${severity}' is mapped twice`);
    try {
      entries.push([severity, parsePriorityLevels(entry.slice(separator + 1))]);
    } catch (error) {
      throw new AlertPolicyError(`severity '${severity}': ${(error as Error).message}`);
    }
  }
  // fromEntries defines own properties: a severity named __proto__ stays a plain key.
  return Object.fromEntries(entries);
}

/** A comma-separated list, blanks dropped. */
export function splitList(text: string): string[] {
  return text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** The incident's external reference for an alert: its link to the alert's fingerprint. */
export function alertExternalRef(fingerprint: string): string {
  return `${EXTERNAL_REF_PREFIX}${fingerprint}`;
}

export function levelsFor(alert: AlertmanagerAlert, policy: AlertPolicy): PriorityLevels {
  const severity = alert.labels[policy.severityLabel];
  return (
    (severity !== undefined && Object.hasOwn(policy.severityLevels, severity)
      ? policy.severityLevels[severity]
      : undefined) ?? policy.fallbackLevels
  );
}

/** What the incident opened for an alert is made of. */
export interface AlertIncidentDraft {
  title: string;
  description: string;
  impact: Impact;
  urgency: Urgency;
  source: 'monitoring';
  assignmentGroup: string | null;
  tags: string[];
  externalRef: string;
}

/**
 * The incident for a firing alert. Title: `annotations.summary`, else the `alertname`
 * label, else the fingerprint. Description: `annotations.description`, then the labels,
 * where the alert comes from and when it started, so an agent needs no Alertmanager
 * access to read it.
 */
export function incidentDraftFor(
  alert: AlertmanagerAlert,
  policy: AlertPolicy,
  alertmanagerUrl?: string,
): AlertIncidentDraft {
  const { impact, urgency } = levelsFor(alert, policy);
  return {
    title: truncate(alertTitle(alert), MAX_TITLE_LENGTH),
    description: truncate(alertDescription(alert, alertmanagerUrl), MAX_DESCRIPTION_LENGTH),
    impact,
    urgency,
    source: 'monitoring',
    assignmentGroup: assignmentGroupFor(alert, policy),
    tags: tagsFor(alert, policy),
    externalRef: alertExternalRef(alert.fingerprint),
  };
}

/** The alert's name for people: its summary, else its alertname, else its fingerprint. */
export function alertTitle(alert: AlertmanagerAlert): string {
  return (
    nonBlank(alert.annotations.summary) ??
    nonBlank(alert.labels.alertname) ??
    `Alert ${alert.fingerprint}`
  );
}

function alertDescription(alert: AlertmanagerAlert, alertmanagerUrl: string | undefined): string {
  const labels = Object.keys(alert.labels)
    .sort()
    .map((name) => `  ${name}=${alert.labels[name]}`);
  return [
    nonBlank(alert.annotations.description),
    ['Labels:', ...labels].join('\n'),
    `Firing since: ${alert.startsAt}`,
    nonBlank(alert.generatorURL) && `Source: ${alert.generatorURL}`,
    nonBlank(alertmanagerUrl) && `Alertmanager: ${alertmanagerUrl}`,
    `Fingerprint: ${alert.fingerprint}`,
  ]
    .filter(Boolean)
    .join('\n\n');
}

function assignmentGroupFor(alert: AlertmanagerAlert, policy: AlertPolicy): string | null {
  for (const label of policy.assignmentGroupLabels) {
    const group = nonBlank(alert.labels[label]);
    if (group) return group;
  }
  return policy.defaultAssignmentGroup;
}

function tagsFor(alert: AlertmanagerAlert, policy: AlertPolicy): string[] {
  const labelTags = policy.tagLabels.flatMap((label) => {
    const value = nonBlank(alert.labels[label]);
    return value ? [`${label}:${value}`] : [];
  });
  return [ALERTMANAGER_TAG, ...labelTags];
}

function nonBlank(text: string | undefined): string | undefined {
  return text?.trim() ? text.trim() : undefined;
}

function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}
