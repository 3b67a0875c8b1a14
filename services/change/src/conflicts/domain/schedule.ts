import { type ChangeModel, type ChangeState, type ChangeWindowKind } from '@itsm/contracts';
import { isInEffect, type ChangeWindow } from '../../windows/domain/change-window';
import { type Interval } from '../../windows/domain/interval';
import { occurrencesBetween } from '../../windows/domain/occurrences';
import { type CiClasses, type WindowScope } from '../../windows/domain/window-scope';

/** What conflict detection reads of a change: when, on what, by whom, and how it may override. */
export interface ConflictChange {
  id: string;
  model: ChangeModel;
  plannedStart: Date;
  plannedEnd: Date;
  /** The CIs it changes. */
  ciIds: readonly string[];
  /** The business services it affects (CIs of the CMDB too): windows scoped on them apply. */
  businessServiceIds: readonly string[];
  /** The class of each of its CIs and services the CMDB knows, for windows scoped by class. */
  ciClassesById: Readonly<Record<string, CiClasses>>;
  assignee: string | null;
  blackoutOverrideReason: string | null;
}

/** Another change on the schedule, with what a change manager recognises it by. */
export interface OtherChange extends ConflictChange {
  number: string;
  state: ChangeState;
}

/**
 * A CMDB dependency between a CI of the change being checked and a CI of another change,
 * within some hops (the CMDB client finds them; ADR/docs: PRODUCT's default is 2).
 */
export interface CiDependency {
  /** A CI of the change being checked. */
  ciId: string;
  /** A CI of another change. */
  otherCiId: string;
  /** `depends_on`: `ciId` depends on `otherCiId`; `depended_on_by`: the other way round. */
  direction: 'depends_on' | 'depended_on_by';
  /** Relationships between the two, 1 for a direct one. */
  hops: number;
}

/** A change window as the schedule needs it: its scope and its occurrences in the range looked at. */
export interface ScheduledWindow {
  id: string;
  name: string;
  kind: ChangeWindowKind;
  scope: WindowScope;
  /** The occurrences overlapping the range looked at (possibly none), oldest first. */
  occurrences: readonly Interval[];
  /** A freeze in force: since when. It holds its scope until lifted, whatever its occurrences. */
  inForceSince: Date | null;
}

/** States whose changes no longer take part in the schedule. */
export const OFF_SCHEDULE_STATES: readonly ChangeState[] = ['cancelled', 'closed'];

/**
 * The windows in effect (active, not retired) with their occurrences in [from, to), as
 * conflict detection and the next-free-slot search take them. Windows with no occurrence
 * in the range are kept: a maintenance window elsewhere in the week still says its CIs
 * have maintenance windows.
 */
export function scheduledWindows(
  windows: readonly ChangeWindow[],
  from: Date,
  to: Date,
): ScheduledWindow[] {
  return windows.filter(isInEffect).map((window) => ({
    id: window.id,
    name: window.name,
    kind: window.kind,
    scope: {
      ciIds: window.ciIds,
      businessServiceIds: window.businessServiceIds,
      ciClasses: window.ciClasses,
    },
    occurrences: occurrencesBetween(window, from, to),
    inForceSince: window.inForce ? window.enforcedAt : null,
  }));
}
