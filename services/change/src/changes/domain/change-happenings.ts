import { type ChangeHappening } from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';

/** Fields whose change a specific event reports rather than `updated`. */
const COVERED_ELSEWHERE = new Set([
  'assignmentGroup',
  'assignee',
  'risk',
  'riskSource',
  'riskReasons',
  'riskAssessedAt',
  'state',
  'onHold',
  'holdReason',
  'heldByWindowId',
  // Links travel in their own events (incidents_linked, problems_linked, …).
  'incidentIds',
  'causedIncidentIds',
  'problemIds',
]);

/** Fields a step sets as part of itself; its `state_changed` covers them. */
const SET_BY_TRANSITIONS = new Set([
  'approval',
  'authorizedAt',
  'actualStart',
  'actualEnd',
  'closeCode',
  'closeNotes',
  'reviewNotes',
  'closedAt',
  'closedBy',
]);

/**
 * The events one change of a change record emits, in order (docs/changes.md): `updated`
 * for fields no specific event covers, then `assigned`, `risk_assessed`, `put_on_hold` /
 * `released`, `state_changed` and the milestone the step is (`authorized`, `rejected`,
 * `implementation_started`, `completed`, `closed`, `cancelled`).
 */
export function happeningsOf(changes: readonly FieldChange[]): ChangeHappening[] {
  const changed = (field: string) => changes.find((change) => change.field === field);
  const state = changed('state');
  const coveredBy = (field: string) =>
    COVERED_ELSEWHERE.has(field) || (state !== undefined && SET_BY_TRANSITIONS.has(field));
  const happenings: ChangeHappening[] = [];
  if (changes.some((change) => !coveredBy(change.field))) happenings.push('updated');
  if (changed('assignmentGroup') || changed('assignee')) happenings.push('assigned');
  if (changed('risk') || changed('riskSource') || changed('riskReasons')) {
    happenings.push('risk_assessed');
  }
  const hold = changed('onHold');
  if (hold?.newValue === true) happenings.push('put_on_hold');
  if (hold?.newValue === false) happenings.push('released');
  if (state) {
    happenings.push('state_changed');
    const from = state.oldValue;
    const to = state.newValue;
    if (to === 'scheduled' && (from === 'authorize' || from === 'new'))
      happenings.push('authorized');
    if (to === 'new' && changed('approval')?.newValue === 'rejected') happenings.push('rejected');
    if (to === 'implement') happenings.push('implementation_started');
    if (from === 'implement' && to === 'review') happenings.push('completed');
    if (to === 'closed') happenings.push('closed');
    if (to === 'cancelled') happenings.push('cancelled');
  }
  return happenings;
}
