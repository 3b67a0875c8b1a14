import { type Interval } from '../../windows/domain/interval';
import { coversItem, coversWholeEstate } from '../../windows/domain/window-scope';
import {
  DEFAULT_DEPENDENCY_HOPS,
  maintenanceWindowsOf,
  withLowerCaseIds,
} from './change-conflicts';
import { difference, intersection, spanOf, union, type Span } from './interval-set';
import {
  OFF_SCHEDULE_STATES,
  type CiDependency,
  type ConflictChange,
  type OtherChange,
  type ScheduledWindow,
} from './schedule';

const DAY_MS = 86_400_000;

/** How far ahead a slot is looked for unless asked otherwise: a quarter. */
export const DEFAULT_SLOT_HORIZON_DAYS = 90;
/** The farthest: a year, which window occurrences can still be expanded over in one go. */
export const MAX_SLOT_HORIZON_DAYS = 366;
/** The longest change a slot is looked for. */
export const MAX_SLOT_DURATION_DAYS = 30;

export interface SlotQuestion {
  /** The change the slot is for: its CIs and services (and its assignee, if it should be free too). */
  change: Pick<ConflictChange, 'id' | 'ciIds' | 'businessServiceIds' | 'ciClassesById'> & {
    assignee?: string | null;
  };
  /** The slot starts at or after this. */
  earliest: Date;
  durationMs: number;
  /** The slot starts at most this long after `earliest` (default 90 days, at most 366). */
  horizonMs?: number;
  otherChanges: readonly OtherChange[];
  /** The windows in effect with their occurrences over {@link slotSearchRange}. */
  windows: readonly ScheduledWindow[];
  dependencies: readonly CiDependency[];
  maxHops?: number;
}

/** The range the windows' occurrences must be expanded over for a slot search. */
export function slotSearchRange(
  earliest: Date,
  durationMs: number,
  horizonMs = DEFAULT_SLOT_HORIZON_DAYS * DAY_MS,
): Interval {
  return { start: earliest, end: new Date(earliest.getTime() + horizonMs + durationMs) };
}

/**
 * The earliest interval of `durationMs` starting at or after `earliest` (and within the
 * horizon) in which a change on these CIs would have no same-CI, dependent-CI, blackout or
 * freeze conflict (nor a double-booked assignee, when one is given), and, where its CIs or
 * services have maintenance windows, lies inside their occurrences (inside an occurrence
 * of a window of each covered item). Null when there is none within the horizon, as when a
 * freeze in force covers them: it has no end until it is lifted.
 *
 * Blackouts are avoided even for an emergency change that could override them: a slot
 * that needs no override is the one to suggest.
 */
export function nextFreeSlot(question: SlotQuestion): Interval | null {
  const { durationMs } = question;
  const horizonMs = question.horizonMs ?? DEFAULT_SLOT_HORIZON_DAYS * DAY_MS;
  if (!(durationMs > 0) || durationMs > MAX_SLOT_DURATION_DAYS * DAY_MS)
    throw new RangeError(`a slot lasts more than 0 and at most ${MAX_SLOT_DURATION_DAYS} days`);
  if (!(horizonMs >= 0) || horizonMs > MAX_SLOT_HORIZON_DAYS * DAY_MS)
    throw new RangeError(`a slot is looked for at most ${MAX_SLOT_HORIZON_DAYS} days ahead`);
  const change = withLowerCaseIds({
    ...question.change,
    model: 'normal',
    plannedStart: question.earliest,
    plannedEnd: question.earliest,
    assignee: question.change.assignee ?? null,
    blackoutOverrideReason: null,
  });
  const earliest = question.earliest.getTime();
  const latestStart = earliest + horizonMs;
  const searched: Span = { start: earliest, end: latestStart + durationMs };

  const blocked = [
    ...busyChanges(change, question).map(spanOf),
    ...closedWindows(change, question.windows),
  ];
  const free = difference(
    intersection([searched], openTimes(change, question.windows, searched)),
    blocked,
  );
  for (const span of free) {
    const start = Math.max(span.start, earliest);
    if (start > latestStart) break;
    if (start + durationMs <= span.end)
      return { start: new Date(start), end: new Date(start + durationMs) };
  }
  return null;
}

/** Other changes the slot must not overlap: on the same CIs, on dependent CIs, or by the same assignee. */
function busyChanges(change: ConflictChange, question: SlotQuestion): Interval[] {
  const maxHops = question.maxHops ?? DEFAULT_DEPENDENCY_HOPS;
  const mine = new Set(change.ciIds);
  const dependent = new Set(
    question.dependencies
      .filter((dependency) => dependency.hops >= 1 && dependency.hops <= maxHops)
      .filter((dependency) => mine.has(dependency.ciId.toLowerCase()))
      .map((dependency) => dependency.otherCiId.toLowerCase()),
  );
  return question.otherChanges
    .filter((other) => other.id !== change.id && !OFF_SCHEDULE_STATES.includes(other.state))
    .filter(
      (other) =>
        other.ciIds.some(
          (ciId) => mine.has(ciId.toLowerCase()) || dependent.has(ciId.toLowerCase()),
        ) ||
        (change.assignee !== null && other.assignee === change.assignee),
    )
    .map((other) => ({ start: other.plannedStart, end: other.plannedEnd }));
}

/** Blackout and freeze occurrences covering any of the items, and freezes in force (open-ended). */
function closedWindows(change: ConflictChange, windows: readonly ScheduledWindow[]): Span[] {
  const items = [...change.ciIds, ...change.businessServiceIds];
  return windows
    .filter((window) => window.kind === 'blackout' || window.kind === 'freeze')
    .filter(
      (window) =>
        coversWholeEstate(window.scope) ||
        items.some((item) => coversItem(window.scope, item, change.ciClassesById[item])),
    )
    .flatMap((window) => [
      ...window.occurrences.map(spanOf),
      ...(window.inForceSince
        ? [{ start: window.inForceSince.getTime(), end: Number.POSITIVE_INFINITY }]
        : []),
    ]);
}

/**
 * When the change may happen as far as maintenance windows go: inside an occurrence of a
 * maintenance window of every item that has one; any time if none has.
 */
function openTimes(
  change: ConflictChange,
  windows: readonly ScheduledWindow[],
  searched: Span,
): Span[] {
  const items = [...new Set([...change.ciIds, ...change.businessServiceIds])];
  let open: Span[] = [searched];
  for (const item of items.length > 0 ? items : [null]) {
    const covering = maintenanceWindowsOf(windows, change, item);
    if (covering.length === 0) continue;
    open = intersection(open, union(covering.flatMap((window) => window.occurrences.map(spanOf))));
  }
  return open;
}
