import { type RecordType } from '@itsm/contracts';
import { type FieldChange } from './service-record';

/** The `what happened` parts of event types, as the catalogue names them. */
export type Happening =
  | 'created'
  | 'updated'
  | 'assigned'
  | 'priority_changed'
  | 'state_changed'
  | 'resolved'
  | 'fulfilled'
  | 'closed'
  | 'reopened'
  | 'major_declared';

const COVERED_ELSEWHERE = new Set(['assignmentGroup', 'assignee', 'priority', 'state', 'major']);

/** Fields a state change sets as part of itself; its `state_changed` covers them. */
const SET_BY_TRANSITIONS = new Set([
  'holdReason',
  'awaitingChangeId',
  'resolutionCode',
  'resolutionNotes',
  'resolvedAt',
  'closedAt',
  'reopenCount',
  'firstResponseAt',
]);

/**
 * The events one change of a record emits, in order (docs/events.md): `updated` for
 * fields no specific event covers (a transition's own fields, such as `resolvedAt`,
 * belong to its `state_changed`), then `assigned`, `priority_changed`, `state_changed`
 * and the milestone the new state is, then `major_declared`.
 */
export function happeningsOf(type: RecordType, changes: readonly FieldChange[]): Happening[] {
  const changed = (field: string) => changes.find((change) => change.field === field);
  const happenings: Happening[] = [];
  const state = changed('state');
  const coveredBy = (field: string) =>
    COVERED_ELSEWHERE.has(field) || (state !== undefined && SET_BY_TRANSITIONS.has(field));
  if (changes.some((change) => !coveredBy(change.field))) happenings.push('updated');
  if (changed('assignmentGroup') || changed('assignee')) happenings.push('assigned');
  if (changed('priority')) happenings.push('priority_changed');
  if (state) {
    happenings.push('state_changed');
    if (state.newValue === 'resolved') happenings.push('resolved');
    if (state.newValue === 'fulfilled') happenings.push('fulfilled');
    if (state.newValue === 'closed') happenings.push('closed');
    if (type === 'incident' && state.oldValue === 'resolved' && state.newValue === 'in_progress') {
      happenings.push('reopened');
    }
  }
  if (changed('major')?.newValue === true) happenings.push('major_declared');
  return happenings;
}
