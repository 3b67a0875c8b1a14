import { type ChangeConflictV1 } from '@itsm/contracts';
import { coversItem, coversWholeEstate } from '../../windows/domain/window-scope';
import { holds, spanOf, union, type Span } from './interval-set';
import {
  OFF_SCHEDULE_STATES,
  type CiDependency,
  type ConflictChange,
  type OtherChange,
  type ScheduledWindow,
} from './schedule';

/** In the order a change manager reads them: the most binding first. */
export const CONFLICT_KINDS = [
  'blackout',
  'freeze',
  'same_ci',
  'dependent_ci',
  'outside_maintenance_window',
  'assignee_double_booked',
] as const;
export type ConflictKind = (typeof CONFLICT_KINDS)[number];

/** PRODUCT.md: CIs depending on each other within 2 hops of the CMDB conflict by default. */
export const DEFAULT_DEPENDENCY_HOPS = 2;

/** A conflict as the contract carries it, and whether it refuses the change. */
export interface ChangeConflict extends ChangeConflictV1 {
  kind: ConflictKind;
  /**
   * Only a blackout or a freeze refuses a change, and neither refuses an emergency change
   * with an override reason; every other conflict is for the change manager and CAB to weigh.
   */
  refused: boolean;
}

export interface ConflictQuestion {
  change: ConflictChange;
  /** Changes whose planned interval may overlap the change's (others are ignored). */
  otherChanges: readonly OtherChange[];
  /** The windows in effect, with their occurrences over at least the change's interval. */
  windows: readonly ScheduledWindow[];
  /** Dependencies between the change's CIs and the other changes' CIs. */
  dependencies: readonly CiDependency[];
  /** Dependencies further than this are not conflicts (default 2). */
  maxHops?: number;
  /** Names of CIs by id, for the messages; an id stands for a CI it has no name for. */
  ciNames?: Readonly<Record<string, string>>;
}

/** The contract's shape, without the refusal (which the gate and the change record act on). */
export function toConflictV1(conflict: ChangeConflict): ChangeConflictV1 {
  return {
    kind: conflict.kind,
    message: conflict.message,
    ciId: conflict.ciId,
    otherChangeId: conflict.otherChangeId,
    windowId: conflict.windowId,
  };
}

export function isRefused(conflicts: readonly ChangeConflict[]): boolean {
  return conflicts.some((conflict) => conflict.refused);
}

/** An emergency change with a reason goes ahead through a blackout or a freeze. */
export function overridesBlackouts(change: ConflictChange): boolean {
  return change.model === 'emergency' && Boolean(change.blackoutOverrideReason?.trim());
}

function plannedSpan(change: ConflictChange): Span {
  return { start: change.plannedStart.getTime(), end: change.plannedEnd.getTime() };
}

function spansOverlap(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

const pad = (value: number) => String(value).padStart(2, '0');
function day(instant: Date): string {
  return `${instant.getUTCFullYear()}-${pad(instant.getUTCMonth() + 1)}-${pad(instant.getUTCDate())}`;
}
function clock(instant: Date): string {
  return `${pad(instant.getUTCHours())}:${pad(instant.getUTCMinutes())}`;
}

/** `2026-03-28 21:00 to 23:00 UTC`, or with both days when it runs past midnight. */
export function period(start: Date, end: Date): string {
  return day(start) === day(end)
    ? `${day(start)} ${clock(start)} to ${clock(end)} UTC`
    : `${day(start)} ${clock(start)} to ${day(end)} ${clock(end)} UTC`;
}

export function instant(at: Date): string {
  return `${day(at)} ${clock(at)} UTC`;
}

function hops(count: number): string {
  return count === 1 ? '1 hop' : `${count} hops`;
}

/**
 * The conflicts of a change with the rest of the schedule, most binding first:
 *
 * - `blackout`, `freeze`: the change overlaps an occurrence of a blackout or freeze whose
 *   scope covers one of its CIs or services (or the whole estate), or a freeze in force
 *   covers them: refused unless an emergency change with an override reason.
 * - `same_ci`: another change on one of its CIs overlaps it in time.
 * - `dependent_ci`: another change overlapping it in time changes a CI that depends on one
 *   of its CIs, or that one of them depends on, within `maxHops`.
 * - `outside_maintenance_window`: one of its CIs has maintenance windows (windows whose
 *   scope covers it) and the change does not lie within their occurrences. A CI that no
 *   maintenance window covers may be changed at any time: there is nothing to be outside of.
 * - `assignee_double_booked`: its assignee is on another change overlapping it in time.
 *
 * Cancelled and closed changes, and the change itself, are not on the schedule.
 */
export function detectConflicts(asked: ConflictQuestion): ChangeConflict[] {
  const question = { ...asked, change: withLowerCaseIds(asked.change) };
  const { change } = question;
  const span = plannedSpan(change);
  if (!(span.end > span.start)) return [];
  const ciNames = new Map(
    Object.entries(asked.ciNames ?? {}).map(([id, ciName]) => [id.toLowerCase(), ciName]),
  );
  const name = (ciId: string | null) =>
    ciId === null ? 'the whole estate' : `CI ${ciNames.get(ciId) ?? ciId}`;
  const overlapping = question.otherChanges
    .filter(
      (other) =>
        other.id !== change.id &&
        !OFF_SCHEDULE_STATES.includes(other.state) &&
        spansOverlap(span, plannedSpan(other)),
    )
    .sort((a, b) => a.number.localeCompare(b.number));
  const context = { question, span, name, overlapping };
  return [
    ...windowConflicts(context, 'blackout'),
    ...windowConflicts(context, 'freeze'),
    ...sameCiConflicts(context),
    ...dependentCiConflicts(context),
    ...maintenanceConflicts(context),
    ...assigneeConflicts(context),
  ];
}

/** UUIDs compare in lower case (window scopes are stored so); the CMDB may answer either. */
export function withLowerCaseIds<Change extends ConflictChange>(change: Change): Change {
  return {
    ...change,
    ciIds: change.ciIds.map((id) => id.toLowerCase()),
    businessServiceIds: change.businessServiceIds.map((id) => id.toLowerCase()),
    ciClassesById: Object.fromEntries(
      Object.entries(change.ciClassesById).map(([id, classes]) => [id.toLowerCase(), classes]),
    ),
  };
}

interface Context {
  question: ConflictQuestion;
  span: Span;
  name: (ciId: string | null) => string;
  overlapping: OtherChange[];
}

/** What a window is checked against: the change's CIs and services, each once. */
function targetsOf(change: ConflictChange): string[] {
  return [...new Set([...change.ciIds, ...change.businessServiceIds])];
}

/** The change's items a window covers: `null` standing for all of them when it covers the whole estate. */
function coveredTargets(window: ScheduledWindow, change: ConflictChange): (string | null)[] {
  if (coversWholeEstate(window.scope)) return [null];
  return targetsOf(change).filter((target) =>
    coversItem(window.scope, target, change.ciClassesById[target]),
  );
}

function byName(a: ScheduledWindow, b: ScheduledWindow): number {
  return a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
}

function windowConflicts(context: Context, kind: 'blackout' | 'freeze'): ChangeConflict[] {
  const { question, span, name } = context;
  const { change } = question;
  const overridden = overridesBlackouts(change);
  const outcome = overridden
    ? `; it goes ahead as an emergency change: ${change.blackoutOverrideReason?.trim() ?? ''}`
    : ': refused unless it is an emergency change with an override reason';
  const conflicts: ChangeConflict[] = [];
  for (const window of question.windows.filter((w) => w.kind === kind).sort(byName)) {
    const inForce =
      window.inForceSince !== null && span.end > window.inForceSince.getTime()
        ? window.inForceSince
        : null;
    const occurrence = window.occurrences.find((o) => spansOverlap(span, spanOf(o)));
    if (!inForce && !occurrence) continue;
    for (const target of coveredTargets(window, change)) {
      const what = inForce
        ? `The freeze "${window.name}" is in force since ${instant(inForce)} and covers ${name(target)}: no change on it goes ahead until the freeze is lifted`
        : `This change is planned inside the ${kind} "${window.name}" (${occurrence ? period(occurrence.start, occurrence.end) : ''}), which covers ${name(target)}`;
      conflicts.push({
        kind,
        message: `${what}${outcome}.`,
        ciId: target,
        otherChangeId: null,
        windowId: window.id,
        refused: !overridden,
      });
    }
  }
  return conflicts;
}

function sameCiConflicts({ question, name, overlapping }: Context): ChangeConflict[] {
  const mine = new Set(question.change.ciIds.map((id) => id.toLowerCase()));
  return overlapping.flatMap((other) =>
    [...new Set(other.ciIds.map((id) => id.toLowerCase()))]
      .filter((ciId) => mine.has(ciId))
      .sort()
      .map((ciId): ChangeConflict => ({
        kind: 'same_ci',
        message: `${other.number} also changes ${name(ciId)}, ${period(other.plannedStart, other.plannedEnd)}, overlapping this change.`,
        ciId,
        otherChangeId: other.id,
        windowId: null,
        refused: false,
      })),
  );
}

function dependentCiConflicts({ question, name, overlapping }: Context): ChangeConflict[] {
  const maxHops = question.maxHops ?? DEFAULT_DEPENDENCY_HOPS;
  const mine = new Set(question.change.ciIds.map((id) => id.toLowerCase()));
  const conflicts: ChangeConflict[] = [];
  for (const other of overlapping) {
    const theirs = new Set(other.ciIds.map((id) => id.toLowerCase()));
    // The closest path per pair of CIs; a CI both changes is a same-CI conflict already.
    const closest = new Map<string, CiDependency>();
    for (const dependency of question.dependencies) {
      const ciId = dependency.ciId.toLowerCase();
      const otherCiId = dependency.otherCiId.toLowerCase();
      if (!mine.has(ciId) || !theirs.has(otherCiId) || mine.has(otherCiId)) continue;
      if (dependency.hops < 1 || dependency.hops > maxHops) continue;
      const key = `${ciId} ${otherCiId} ${dependency.direction}`;
      const known = closest.get(key);
      if (!known || dependency.hops < known.hops)
        closest.set(key, { ...dependency, ciId, otherCiId });
    }
    const when = period(other.plannedStart, other.plannedEnd);
    for (const dependency of [...closest.values()].sort(
      (a, b) => a.ciId.localeCompare(b.ciId) || a.otherCiId.localeCompare(b.otherCiId),
    )) {
      const distance = `${hops(dependency.hops)} away in the CMDB`;
      const message =
        dependency.direction === 'depends_on'
          ? `${name(dependency.ciId)} depends on ${name(dependency.otherCiId)} (${distance}), which ${other.number} changes ${when}, overlapping this change.`
          : `${name(dependency.otherCiId)}, which ${other.number} changes ${when}, depends on ${name(dependency.ciId)} (${distance}), overlapping this change.`;
      conflicts.push({
        kind: 'dependent_ci',
        message,
        ciId: dependency.ciId,
        otherChangeId: other.id,
        windowId: null,
        refused: false,
      });
    }
  }
  return conflicts;
}

/**
 * The maintenance windows that cover an item (a CI, a service, or `null` for a change on
 * no CI at all, which only whole-estate windows cover).
 */
export function maintenanceWindowsOf(
  windows: readonly ScheduledWindow[],
  change: Pick<ConflictChange, 'ciClassesById'>,
  target: string | null,
): ScheduledWindow[] {
  return windows
    .filter((window) => window.kind === 'maintenance')
    .filter((window) =>
      target === null
        ? coversWholeEstate(window.scope)
        : coversItem(window.scope, target, change.ciClassesById[target]),
    )
    .sort(byName);
}

/** An item of a change (null: a change on no CI) with maintenance windows the change lies outside of. */
export interface OutsideMaintenance {
  target: string | null;
  /** The maintenance windows covering the item, by name. */
  covering: ScheduledWindow[];
}

/**
 * The items of the change (its CIs and services, by id or class; null for a change on no CI,
 * which only whole-estate windows cover) that have maintenance windows and whose
 * occurrences do not hold the change's planned interval (back-to-back occurrences, of one
 * window or several, count as one span). Empty: no item has maintenance windows, or the
 * change lies inside them. The `outside_maintenance_window` conflicts, and the risk fact.
 */
export function outsideMaintenanceWindows(
  planned: ConflictChange,
  windows: readonly ScheduledWindow[],
): OutsideMaintenance[] {
  const change = withLowerCaseIds(planned);
  const span = plannedSpan(change);
  if (!(span.end > span.start)) return [];
  const targets = targetsOf(change);
  return (targets.length > 0 ? targets : [null]).flatMap((target) => {
    const covering = maintenanceWindowsOf(windows, change, target);
    if (covering.length === 0) return [];
    const open = union(covering.flatMap((window) => window.occurrences.map(spanOf)));
    return holds(open, span) ? [] : [{ target, covering }];
  });
}

function maintenanceConflicts({ question, name }: Context): ChangeConflict[] {
  const { change } = question;
  return outsideMaintenanceWindows(change, question.windows).map(({ target, covering }) => ({
    kind: 'outside_maintenance_window',
    message: `This change (${period(change.plannedStart, change.plannedEnd)}) is outside the maintenance windows of ${name(target)} (${covering.map((window) => `"${window.name}"`).join(', ')}): changes to it belong inside one of their occurrences.`,
    ciId: target,
    otherChangeId: null,
    windowId: covering[0]?.id ?? null,
    refused: false,
  }));
}

function assigneeConflicts({ question, overlapping }: Context): ChangeConflict[] {
  const { assignee } = question.change;
  if (!assignee) return [];
  return overlapping
    .filter((other) => other.assignee === assignee)
    .map((other) => ({
      kind: 'assignee_double_booked',
      message: `The assignee ${assignee} is also on ${other.number}, ${period(other.plannedStart, other.plannedEnd)}, overlapping this change.`,
      ciId: null,
      otherChangeId: other.id,
      windowId: null,
      refused: false,
    }));
}
