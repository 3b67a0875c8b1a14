import { type CiIdentifiers, type RelationshipType } from '@itsm/contracts';
import { type CiValues } from '../../cis/domain/ci';
import { type ConflictReason } from '../../cis/domain/identification';

export interface ImportItem extends CiValues {
  /** Names the item within this import, for relationships to refer to it. */
  key?: string;
  class: string;
  name: string;
}

/** One end of an imported relationship: an item of this import (key), a CI (id), or a CI's identifiers. */
export interface ImportReference {
  key?: string;
  ciId?: string;
  identifiers?: CiIdentifiers;
}

export interface ImportRelationship {
  type: RelationshipType;
  source: ImportReference;
  target: ImportReference;
}

/**
 * Restricting a CI (or lifting a restriction) is for those who change CIs (`cmdb:write`):
 * a discovery feed with `cmdb:import` alone may not hide a CI from the people who work it.
 */
export function restrictionRefusals(
  items: readonly ImportItem[],
  mayRestrict: boolean,
): { field: string; message: string }[] {
  if (mayRestrict) return [];
  return items.flatMap((item, index) =>
    item.restricted === undefined
      ? []
      : [{ field: `items[${index}].restricted`, message: 'needs the permission cmdb:write' }],
  );
}

export interface ImportRequest {
  source: string;
  items: ImportItem[];
  relationships: ImportRelationship[];
}

export type ImportConflictReason =
  | ConflictReason
  /** The item has no value for any identifier its class is identified by. */
  | 'no_identifier'
  /** The item's values break its class's schema once merged with the CI's. */
  | 'invalid_attributes'
  /** A relationship end names nothing this import or the CMDB knows (or an item that conflicted). */
  | 'unresolved_reference'
  /** The relationship type does not relate CIs of these classes. */
  | 'relationship_not_allowed';

export interface ImportConflict {
  /** The position of the item (or relationship) in the request. */
  index: number;
  kind: 'item' | 'relationship';
  key?: string;
  reason: ImportConflictReason;
  detail: string;
  /** The CIs involved, e.g. the two CIs one item's identifiers point at. */
  ciIds: string[];
}

export type ItemOutcome = 'created' | 'updated' | 'unchanged' | 'conflict';

export interface ImportItemResult {
  index: number;
  key?: string;
  ciId: string | null;
  outcome: ItemOutcome;
  /** Values this source brought that a higher-precedence source had set, kept as they were. */
  heldBack?: { field: string; heldBy: string }[];
}

export interface ImportReport {
  source: string;
  created: number;
  updated: number;
  unchanged: number;
  conflicts: ImportConflict[];
  items: ImportItemResult[];
  relationships: { created: number; unchanged: number };
}

export function emptyReport(source: string): ImportReport {
  return {
    source,
    created: 0,
    updated: 0,
    unchanged: 0,
    conflicts: [],
    items: [],
    relationships: { created: 0, unchanged: 0 },
  };
}

/** Adds one item's outcome to the report. */
export function recordItem(
  report: ImportReport,
  result: ImportItemResult,
  conflict?: ImportConflict,
): void {
  report.items.push(result);
  if (conflict) report.conflicts.push(conflict);
  else if (result.outcome !== 'conflict') report[result.outcome] += 1;
}
