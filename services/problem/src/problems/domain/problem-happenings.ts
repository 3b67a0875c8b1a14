import { type ProblemHappening } from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';

const COVERED_ELSEWHERE = new Set(['assignmentGroup', 'assignee', 'priority', 'state']);

/** Fields a step sets as part of itself; its `state_changed` covers them. */
const SET_BY_TRANSITIONS = new Set([
  'resolutionCode',
  'resolutionNotes',
  'duplicateOfId',
  'confirmedAt',
  'confirmedBy',
  'rootCauseIdentifiedAt',
  'rootCauseIdentifiedBy',
  'resolvedAt',
  'resolvedBy',
  'closedAt',
  'closedBy',
  'reanalysisCount',
]);

/**
 * The events one change of a problem emits, in order (docs/problems.md): `updated` for
 * fields no specific event covers, then `assigned`, `priority_changed`, `state_changed`
 * and the milestone the new state is (`resolved`, `closed`, `reanalysed`).
 */
export function happeningsOf(changes: readonly FieldChange[]): ProblemHappening[] {
  const changed = (field: string) => changes.find((change) => change.field === field);
  const state = changed('state');
  const coveredBy = (field: string) =>
    COVERED_ELSEWHERE.has(field) || (state !== undefined && SET_BY_TRANSITIONS.has(field));
  const happenings: ProblemHappening[] = [];
  if (changes.some((change) => !coveredBy(change.field))) happenings.push('updated');
  if (changed('assignmentGroup') || changed('assignee')) happenings.push('assigned');
  if (changed('priority')) happenings.push('priority_changed');
  if (state) {
    happenings.push('state_changed');
    if (state.newValue === 'resolved') happenings.push('resolved');
    if (state.newValue === 'closed') happenings.push('closed');
    if (
      state.newValue === 'root_cause_analysis' &&
      (state.oldValue === 'resolved' || state.oldValue === 'closed')
    ) {
      happenings.push('reanalysed');
    }
  }
  return happenings;
}
