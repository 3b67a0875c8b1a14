/** The bodies the console's problem and known-error forms send: trimmed, blanks left out. */

export interface ProblemForm {
  title: string;
  description: string;
  category: string;
  impact: string;
  urgency: string;
  assignmentGroup: string;
  workaround: string;
  /** Opening it from an incident: its fields are copied (those given win) and it is linked. */
  fromIncidentId?: string;
}

export interface KnownErrorForm {
  title: string;
  symptom: string;
  workaround: string;
  rootCause: string;
  solution: string;
  errorCode: string;
  category: string;
  problemId?: string;
}

const text = (value: string | undefined): string | undefined => value?.trim() || undefined;

function compact(
  body: Record<string, string | number | undefined>,
): Record<string, string | number> {
  return Object.fromEntries(
    Object.entries(body).filter(
      (entry): entry is [string, string | number] => entry[1] !== undefined,
    ),
  );
}

/** Whether the form may be sent: a title, unless the incident it is opened from gives one. */
export function problemFormComplete(form: ProblemForm): boolean {
  return Boolean(text(form.title) ?? form.fromIncidentId);
}

/** `POST /api/v1/problems`. */
export function createProblemBody(form: ProblemForm): Record<string, string | number> {
  return compact({
    title: text(form.title),
    description: text(form.description),
    category: text(form.category),
    impact: form.impact ? Number(form.impact) : undefined,
    urgency: form.urgency ? Number(form.urgency) : undefined,
    assignmentGroup: text(form.assignmentGroup),
    workaround: text(form.workaround),
    fromIncidentId: form.fromIncidentId,
  });
}

/** Whether the form may be sent: a symptom is required. */
export function knownErrorFormComplete(form: KnownErrorForm): boolean {
  return text(form.symptom) !== undefined;
}

/** `POST /api/v1/known-errors`. */
export function createKnownErrorBody(form: KnownErrorForm): Record<string, string | number> {
  return compact({
    title: text(form.title),
    symptom: text(form.symptom),
    workaround: text(form.workaround),
    rootCause: text(form.rootCause),
    solution: text(form.solution),
    errorCode: text(form.errorCode),
    category: text(form.category),
    problemId: form.problemId,
  });
}

/** Whether a known error is still offered: valid until changed, or until `validUntil`. */
export function isValid(validUntil: string | null, now: number): boolean {
  return validUntil === null || Date.parse(validUntil) > now;
}

/** The text fields a known error's edit form changes. */
export const KNOWN_ERROR_TEXT_FIELDS = [
  'title',
  'symptom',
  'workaround',
  'rootCause',
  'solution',
  'errorCode',
  'category',
] as const;
export type KnownErrorTextField = (typeof KNOWN_ERROR_TEXT_FIELDS)[number];

/**
 * `PATCH /api/v1/known-errors/{id}` (merge): the fields that changed, trimmed; an optional
 * one emptied is `null` (cleared). Title and symptom cannot be cleared: left empty, they
 * are not sent.
 */
export function knownErrorChanges(
  current: Record<KnownErrorTextField, string | null>,
  form: Record<KnownErrorTextField, string>,
): Partial<Record<KnownErrorTextField, string | null>> {
  const changes: Partial<Record<KnownErrorTextField, string | null>> = {};
  for (const field of KNOWN_ERROR_TEXT_FIELDS) {
    const value = form[field].trim();
    if (value === (current[field] ?? '')) continue;
    if (value) changes[field] = value;
    else if (field !== 'title' && field !== 'symptom') changes[field] = null;
  }
  return changes;
}
