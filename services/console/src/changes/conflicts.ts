import type { ChangeConflicts, ConflictKind } from './types';

/** Most binding first, as the change service lists them. */
export const CONFLICT_ORDER: readonly ConflictKind[] = [
  'blackout',
  'freeze',
  'same_ci',
  'dependent_ci',
  'outside_maintenance_window',
  'assignee_double_booked',
];

/** Conflicts between two changes: each change's report names the other. */
const BETWEEN_CHANGES = new Set<ConflictKind>([
  'same_ci',
  'dependent_ci',
  'assignee_double_booked',
]);

/** One conflict on the schedule, however many of the changes' reports name it. */
export interface ConflictGroup {
  key: string;
  kind: ConflictKind;
  /** The changes in it: two for a conflict between changes, one for a window's. */
  changeIds: string[];
  windowId: string | null;
  /** The CIs it is about (none when a window covers the whole estate). */
  ciIds: string[];
  /** The service's sentences, each once, in the order the reports gave them. */
  messages: string[];
  /** A blackout or freeze refusing the change where it is planned. */
  refused: boolean;
}

/**
 * The conflicts the change service reported for each change (`GET …/conflicts`), grouped
 * so that each is shown once: two changes on the same CI at the same time are one
 * conflict, though both changes report it; a blackout covering several CIs of a change is
 * one conflict of that change with that window.
 */
export function groupConflicts(reports: readonly ChangeConflicts[]): ConflictGroup[] {
  const groups = new Map<string, ConflictGroup>();
  for (const report of reports) {
    for (const conflict of report.conflicts) {
      const between = BETWEEN_CHANGES.has(conflict.kind) && conflict.otherChangeId !== null;
      const changeIds = between
        ? [report.changeId, conflict.otherChangeId as string].sort()
        : [report.changeId];
      const key = between
        ? `${conflict.kind}|${changeIds.join('|')}${conflict.kind === 'same_ci' ? `|${conflict.ciId ?? ''}` : ''}`
        : `${conflict.kind}|${report.changeId}|${conflict.windowId ?? ''}`;
      const group = groups.get(key) ?? {
        key,
        kind: conflict.kind,
        changeIds,
        windowId: conflict.windowId,
        ciIds: [],
        messages: [],
        refused: false,
      };
      if (conflict.ciId && !group.ciIds.includes(conflict.ciId)) group.ciIds.push(conflict.ciId);
      if (!group.messages.includes(conflict.message)) group.messages.push(conflict.message);
      group.refused ||= conflict.refused;
      groups.set(key, group);
    }
  }
  return [...groups.values()].sort(
    (a, b) =>
      CONFLICT_ORDER.indexOf(a.kind) - CONFLICT_ORDER.indexOf(b.kind) || a.key.localeCompare(b.key),
  );
}

/** For each change in a conflict, the kinds it is in (most binding first). */
export function conflictKindsByChange(
  groups: readonly ConflictGroup[],
): Map<string, ConflictKind[]> {
  const kinds = new Map<string, ConflictKind[]>();
  for (const group of groups) {
    for (const id of group.changeIds) {
      const list = kinds.get(id) ?? [];
      if (!list.includes(group.kind)) list.push(group.kind);
      kinds.set(id, list);
    }
  }
  for (const list of kinds.values())
    list.sort((a, b) => CONFLICT_ORDER.indexOf(a) - CONFLICT_ORDER.indexOf(b));
  return kinds;
}
