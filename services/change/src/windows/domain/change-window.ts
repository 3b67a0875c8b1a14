import { type ChangeWindowKind } from '@itsm/contracts';
import { RecordConflict, diffRecords, fieldsWithValues, type FieldChange } from '@itsm/domain';
import {
  WindowConflictCodes,
  WindowRuleViolation,
  type WindowFieldError,
} from './change-window-errors';
import {
  lastOccurrenceEnd,
  localTime,
  startsOnAnOccurrence,
  type WindowTiming,
} from './occurrences';
import { normaliseRecurrence, recurrenceError, withDateTimeUntil } from './recurrence';
import { canonicalTimeZone } from './temporal';
import { type WindowScope } from './window-scope';

/**
 * A change window (ISO/IEC 20000-1 clause 8.5.3, the schedule): when changes on its scope
 * should happen (maintenance), must not (blackout), or are stopped (freeze). Its first
 * occurrence is `start`..`end`; a recurrence repeats it at the same local time in
 * `timeZone`.
 */
export interface ChangeWindow extends WindowTiming, WindowScope {
  id: string;
  name: string;
  kind: ChangeWindowKind;
  description: string;
  ciIds: string[];
  businessServiceIds: string[];
  ciClasses: string[];
  active: boolean;
  /** A freeze put in force and not lifted since. */
  inForce: boolean;
  enforcedAt: Date | null;
  enforcedBy: string | null;
  liftedAt: Date | null;
  liftedBy: string | null;
  retiredAt: Date | null;
  retiredBy: string | null;
  /** When the last occurrence ends; null while the recurrence never ends. Derived from the timing. */
  lastEnd: Date | null;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
  version: number;
}

export interface NewChangeWindow {
  name: string;
  kind: ChangeWindowKind;
  description?: string;
  start: Date;
  end: Date;
  recurrence?: string | null;
  timeZone?: string | null;
  ciIds?: string[];
  businessServiceIds?: string[];
  ciClasses?: string[];
  active?: boolean;
  createdBy: string;
}

/** A `PATCH`: absent fields keep their value; `null` clears the recurrence or the time zone. */
export type ChangeWindowChanges = Partial<
  Pick<
    NewChangeWindow,
    | 'name'
    | 'kind'
    | 'description'
    | 'start'
    | 'end'
    | 'ciIds'
    | 'businessServiceIds'
    | 'ciClasses'
    | 'active'
  >
> & { recurrence?: string | null; timeZone?: string | null };

/** Identity, bookkeeping and what is derived: never a changed field of their own. */
const NOT_FIELDS: readonly (keyof ChangeWindow)[] = [
  'id',
  'createdBy',
  'createdAt',
  'updatedBy',
  'updatedAt',
  'version',
  'lastEnd',
];

const SCOPE_FIELDS = ['ciIds', 'businessServiceIds', 'ciClasses'] as const;

function requiredName(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) throw WindowRuleViolation.of('name', 'must not be blank');
  return trimmed;
}

/** Ids once each, lower case (UUIDs compare that way), in the order first given. */
function distinctIds(ids: readonly string[]): string[] {
  return [...new Set(ids.map((id) => id.toLowerCase()))];
}

function distinctClasses(classes: readonly string[]): string[] {
  return [...new Set(classes.map((ciClass) => ciClass.trim()).filter(Boolean))];
}

/**
 * The timing made consistent, or every field at fault: `end` after `start`, a real IANA
 * zone (stored by its canonical name), and a recurrence that parses, has a zone, and
 * selects the start itself as its first occurrence.
 */
function settledTiming(
  timing: WindowTiming,
): Pick<ChangeWindow, 'start' | 'end' | 'recurrence' | 'timeZone' | 'lastEnd'> {
  const errors: WindowFieldError[] = [];
  if (timing.end.getTime() <= timing.start.getTime())
    errors.push({ field: 'end', message: 'must be after start' });
  let timeZone: string | null = null;
  if (timing.timeZone !== null) {
    timeZone = canonicalTimeZone(timing.timeZone) ?? null;
    if (!timeZone)
      errors.push({
        field: 'timeZone',
        message: 'must be an IANA time zone such as Europe/Berlin',
      });
  }
  const recurrence = timing.recurrence === null ? null : normaliseRecurrence(timing.recurrence);
  if (recurrence !== null) {
    const problem = recurrenceError(recurrence);
    if (problem) errors.push({ field: 'recurrence', message: problem });
    if (timing.timeZone === null)
      errors.push({
        field: 'timeZone',
        message: 'is required with a recurrence: its occurrences keep their local time there',
      });
  }
  const [first, ...others] = errors;
  if (first) throw new WindowRuleViolation([first, ...others]);
  if (recurrence === null || timeZone === null)
    return { start: timing.start, end: timing.end, recurrence, timeZone, lastEnd: timing.end };
  let settled: WindowTiming;
  let startsThere: boolean;
  let lastEnd: Date | null;
  try {
    settled = {
      start: timing.start,
      end: timing.end,
      recurrence: withDateTimeUntil(recurrence, timeZone),
      timeZone,
    };
    startsThere = startsOnAnOccurrence(settled);
    lastEnd = startsThere ? lastOccurrenceEnd(settled) : null;
  } catch (error) {
    // rrule-temporal refuses some rules only when it expands them (a date no year has,
    // more candidates than its safety cap): the rule is at fault, not the service.
    throw WindowRuleViolation.of(
      'recurrence',
      error instanceof Error ? error.message : 'cannot be expanded',
    );
  }
  if (!startsThere)
    throw WindowRuleViolation.of(
      'recurrence',
      `does not select the window's start (${localTime(timing.start, timeZone)}): start the window on one of its occurrences`,
    );
  return { ...settled, lastEnd };
}

/** A new change window, active, at version 1; errors name every field at fault. */
export function defineWindow(input: NewChangeWindow, id: string, now: Date): ChangeWindow {
  const name = requiredName(input.name);
  const timing = settledTiming({
    start: input.start,
    end: input.end,
    recurrence: input.recurrence ?? null,
    timeZone: input.timeZone ?? null,
  });
  return {
    id,
    name,
    kind: input.kind,
    description: input.description?.trim() ?? '',
    ...timing,
    ciIds: distinctIds(input.ciIds ?? []),
    businessServiceIds: distinctIds(input.businessServiceIds ?? []),
    ciClasses: distinctClasses(input.ciClasses ?? []),
    active: input.active ?? true,
    inForce: false,
    enforcedAt: null,
    enforcedBy: null,
    liftedAt: null,
    liftedBy: null,
    retiredAt: null,
    retiredBy: null,
    createdBy: input.createdBy,
    createdAt: now,
    updatedBy: input.createdBy,
    updatedAt: now,
    version: 1,
  };
}

function refuseIfRetired(window: ChangeWindow, doing: string): void {
  if (window.retiredAt)
    throw new RecordConflict(
      `The window "${window.name}" was retired on ${window.retiredAt.toISOString()}: it cannot be ${doing}.`,
      WindowConflictCodes.retired,
    );
}

/**
 * The window with the changes applied (not yet stored, same version). A freeze in force
 * keeps its kind and scope and stays active until it is lifted: what it holds must not
 * change under the changes it holds.
 */
export function applyWindowChanges(
  window: ChangeWindow,
  changes: ChangeWindowChanges,
): ChangeWindow {
  refuseIfRetired(window, 'changed');
  const next: ChangeWindow = { ...window };
  if (changes.name !== undefined) next.name = requiredName(changes.name);
  if (changes.kind !== undefined) next.kind = changes.kind;
  if (changes.description !== undefined) next.description = changes.description.trim();
  if (changes.ciIds !== undefined) next.ciIds = distinctIds(changes.ciIds);
  if (changes.businessServiceIds !== undefined)
    next.businessServiceIds = distinctIds(changes.businessServiceIds);
  if (changes.ciClasses !== undefined) next.ciClasses = distinctClasses(changes.ciClasses);
  if (changes.active !== undefined) next.active = changes.active;
  const timingChanged = (['start', 'end', 'recurrence', 'timeZone'] as const).some(
    (field) => changes[field] !== undefined,
  );
  if (timingChanged)
    Object.assign(
      next,
      settledTiming({
        start: changes.start ?? window.start,
        end: changes.end ?? window.end,
        recurrence: changes.recurrence !== undefined ? changes.recurrence : window.recurrence,
        timeZone: changes.timeZone !== undefined ? changes.timeZone : window.timeZone,
      }),
    );
  if (window.inForce) {
    const held = diffWindows(window, next)
      .map((change) => change.field)
      .filter((field) => field === 'kind' || field === 'active' || isScopeField(field));
    if (held.length > 0)
      throw new RecordConflict(
        `The freeze "${window.name}" is in force: lift it before changing ${held.join(', ')}.`,
        WindowConflictCodes.freezeInForce,
      );
  }
  return next;
}

function isScopeField(field: string): boolean {
  return (SCOPE_FIELDS as readonly string[]).includes(field);
}

/** Puts a freeze in force now: it holds the in-flight changes on its scope until lifted. */
export function enforceFreeze(window: ChangeWindow, actor: string, now: Date): ChangeWindow {
  refuseIfRetired(window, 'put in force');
  if (window.kind !== 'freeze')
    throw new RecordConflict(
      `Only a freeze is put in force; "${window.name}" is a ${window.kind} window.`,
      WindowConflictCodes.notAFreeze,
    );
  if (!window.active)
    throw new RecordConflict(
      `The freeze "${window.name}" is not active: activate it before putting it in force.`,
      WindowConflictCodes.inactive,
    );
  if (window.inForce)
    throw new RecordConflict(
      `The freeze "${window.name}" is already in force (since ${window.enforcedAt?.toISOString() ?? 'before'}).`,
      WindowConflictCodes.alreadyInForce,
    );
  return { ...window, inForce: true, enforcedAt: now, enforcedBy: actor };
}

/** Lifts a freeze in force: the changes it held are released. */
export function liftFreeze(window: ChangeWindow, actor: string, now: Date): ChangeWindow {
  if (!window.inForce)
    throw new RecordConflict(
      `"${window.name}" is not a freeze in force: there is nothing to lift.`,
      WindowConflictCodes.notInForce,
    );
  return { ...window, inForce: false, liftedAt: now, liftedBy: actor };
}

/**
 * Retires a window: it stays readable but counts for nothing any more. Retiring a retired
 * window changes nothing; a freeze in force is lifted first, explicitly, since lifting
 * releases the changes it holds.
 */
export function retireWindow(window: ChangeWindow, actor: string, now: Date): ChangeWindow {
  if (window.retiredAt) return window;
  if (window.inForce)
    throw new RecordConflict(
      `The freeze "${window.name}" is in force: lift it before retiring it.`,
      WindowConflictCodes.freezeInForce,
    );
  return { ...window, active: false, retiredAt: now, retiredBy: actor };
}

/** Whether a window counts at all for the schedule and conflicts. */
export function isInEffect(window: Pick<ChangeWindow, 'active' | 'retiredAt'>): boolean {
  return window.active && window.retiredAt === null;
}

/** The fields that differ between two versions, in a stable order. */
export function diffWindows(before: ChangeWindow, after: ChangeWindow): FieldChange[] {
  return diffRecords(before, after, NOT_FIELDS);
}

/** The fields a new window was given a value in, as its history and `created` event list them. */
export function fieldsSetOnDefine(window: ChangeWindow): FieldChange[] {
  return fieldsWithValues(window, NOT_FIELDS);
}
