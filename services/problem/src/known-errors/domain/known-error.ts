import { RuleViolation, numbered, sameValue, type FieldChange } from '@itsm/domain';

/**
 * A known error (ISO/IEC 20000-1 clause 8.6.3): a problem's symptom with its root cause,
 * workaround and, once there is one, its solution, kept for the service desk to find by
 * CI, class, error code, category and text while the problem (if any) is being worked.
 */
export interface KnownError {
  id: string;
  number: string;
  title: string;
  symptom: string;
  rootCause: string | null;
  workaround: string | null;
  solution: string | null;
  errorCode: string | null;
  category: string | null;
  ciIds: string[];
  ciClass: string | null;
  vendor: string | null;
  model: string | null;
  version: string | null;
  /** The problem it was recorded from, if any. */
  problemId: string | null;
  /** After this instant it is no longer offered nor found (unless expired ones are asked for). */
  validUntil: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  revision: number;
}

/** Identity and bookkeeping (the history entry carries who and when): never a changed field. */
const NOT_FIELDS = ['id', 'number', 'createdBy', 'createdAt', 'updatedAt', 'revision'] as const;
export type KnownErrorField = Exclude<keyof KnownError, (typeof NOT_FIELDS)[number]>;

function isKnownErrorField(key: keyof KnownError): key is KnownErrorField {
  return !(NOT_FIELDS as readonly string[]).includes(key);
}

/** The longest title; a title left out is the symptom's start, cut to this length. */
export const TITLE_MAX_LENGTH = 200;

/** What the full-text search reads: a change to one of these rebuilds the search document. */
export const SEARCHED_FIELDS: readonly KnownErrorField[] = [
  'title',
  'symptom',
  'errorCode',
  'workaround',
  'rootCause',
  'solution',
];

/** The free-text fields that may be cleared, and the short labels; `null` or blank clears them. */
const OPTIONAL_TEXT = [
  'rootCause',
  'workaround',
  'solution',
  'errorCode',
  'category',
  'ciClass',
  'vendor',
  'model',
  'version',
] as const;
type OptionalTextField = (typeof OPTIONAL_TEXT)[number];

export interface NewKnownError {
  /** Defaults to the symptom's first 200 characters. */
  title?: string;
  symptom: string;
  rootCause?: string | null;
  workaround?: string | null;
  solution?: string | null;
  errorCode?: string | null;
  category?: string | null;
  ciIds?: string[];
  ciClass?: string | null;
  vendor?: string | null;
  model?: string | null;
  version?: string | null;
  problemId?: string | null;
  validUntil?: Date | null;
  createdBy: string;
}

/** A `PATCH`: merge semantics, absent fields keep their value, `null` clears an optional one. */
export type KnownErrorChanges = Partial<
  Pick<NewKnownError, 'title' | 'symptom' | 'ciIds' | OptionalTextField | 'problemId'>
> & { validUntil?: Date | null };

/** Trimmed text, or null when nothing is left of it. */
function optionalText(value: string | null | undefined): string | null {
  return value?.trim() || null;
}

function requiredText(field: 'title' | 'symptom', value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw new RuleViolation(field, 'must not be blank');
  return trimmed;
}

/** The symptom's start as a title: at most 200 characters, on one line, cut at a word where one ends near the limit. */
export function titleFromSymptom(symptom: string): string {
  const oneLine = symptom.replace(/\s+/g, ' ').trim();
  if (oneLine.length <= TITLE_MAX_LENGTH) return oneLine;
  const cut = oneLine.slice(0, TITLE_MAX_LENGTH);
  const lastSpace = cut.lastIndexOf(' ');
  return (lastSpace >= TITLE_MAX_LENGTH * 0.75 ? cut.slice(0, lastSpace) : cut).trimEnd();
}

/** CIs appear once each, in the order first given. */
function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

/** A new known error, numbered `KE` and seven digits, at revision 1. */
export function recordKnownError(
  input: NewKnownError,
  identity: { id: string; sequence: number },
  now: Date,
): KnownError {
  const symptom = requiredText('symptom', input.symptom);
  const title =
    input.title === undefined ? titleFromSymptom(symptom) : requiredText('title', input.title);
  return {
    id: identity.id,
    number: numbered('KE', identity.sequence),
    title,
    symptom,
    rootCause: optionalText(input.rootCause),
    workaround: optionalText(input.workaround),
    solution: optionalText(input.solution),
    errorCode: optionalText(input.errorCode),
    category: optionalText(input.category),
    ciIds: distinct(input.ciIds ?? []),
    ciClass: optionalText(input.ciClass),
    vendor: optionalText(input.vendor),
    model: optionalText(input.model),
    version: optionalText(input.version),
    problemId: input.problemId ?? null,
    validUntil: input.validUntil ?? null,
    createdBy: input.createdBy,
    createdAt: now,
    updatedAt: now,
    revision: 1,
  };
}

/** The known error with the changes applied (not yet stored, same revision); errors name the field at fault. */
export function applyKnownErrorChanges(
  knownError: KnownError,
  changes: KnownErrorChanges,
): KnownError {
  const next: KnownError = { ...knownError };
  if (changes.title !== undefined) next.title = requiredText('title', changes.title);
  if (changes.symptom !== undefined) next.symptom = requiredText('symptom', changes.symptom);
  for (const field of OPTIONAL_TEXT) {
    if (changes[field] !== undefined) next[field] = optionalText(changes[field]);
  }
  if (changes.ciIds !== undefined) next.ciIds = distinct(changes.ciIds);
  if (changes.problemId !== undefined) next.problemId = changes.problemId;
  if (changes.validUntil !== undefined) next.validUntil = changes.validUntil;
  return next;
}

/** Whether a known error is still offered and found at `now`: no end of validity, or one still ahead. */
export function isValidAt(knownError: Pick<KnownError, 'validUntil'>, now: Date): boolean {
  return knownError.validUntil === null || knownError.validUntil.getTime() > now.getTime();
}

/** The fields that differ between two versions, in a stable order. */
export function diffKnownErrors(before: KnownError, after: KnownError): FieldChange[] {
  return (Object.keys(after) as (keyof KnownError)[])
    .filter(isKnownErrorField)
    .filter((field) => !sameValue(before[field], after[field]))
    .map((field) => ({ field, oldValue: before[field], newValue: after[field] }));
}

/** The fields a new known error was given (every field with a value), as history and `created` list them. */
export function fieldsSetOnRecord(knownError: KnownError): FieldChange[] {
  return (Object.keys(knownError) as (keyof KnownError)[])
    .filter(isKnownErrorField)
    .filter((field) => {
      const value = knownError[field];
      return value !== null && !(Array.isArray(value) && value.length === 0);
    })
    .map((field) => ({ field, oldValue: null, newValue: knownError[field] }));
}

/** Whether any of the changes touches what the full-text search reads. */
export function touchesSearch(changes: readonly FieldChange[]): boolean {
  return changes.some((change) => (SEARCHED_FIELDS as readonly string[]).includes(change.field));
}
