/** Incident states (docs/incidents.md), in the order a record moves through them. */
export const STATES = ['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'];
export const OPEN_STATES = ['new', 'in_progress', 'on_hold'];

export const PRIORITY_COLORS: Record<string, string> = {
  P1: 'red',
  P2: 'orange',
  P3: 'yellow',
  P4: 'blue',
  P5: 'gray',
};

/**
 * The incident state machine's moves, as docs/incidents.md lists them, to offer buttons
 * before asking: the API has no read of a record's allowed transitions yet, so this copy
 * decides what is offered, and the service stays the judge. A 409 `transition-not-allowed`
 * answers the allowed ones, which then replace this guess (see record-page.tsx).
 */
export const INCIDENT_TRANSITIONS: Record<string, string[]> = {
  new: ['in_progress', 'cancelled'],
  in_progress: ['on_hold', 'resolved', 'cancelled'],
  on_hold: ['in_progress', 'cancelled'],
  resolved: ['closed', 'in_progress'],
  closed: [],
  cancelled: [],
};

/** The fields a move needs besides `to`, as the form asks them. */
export type TransitionField =
  'assignmentGroup' | 'holdReason' | 'resolutionCode' | 'resolutionNotes' | 'reason';

export function fieldsFor(from: string, to: string, hasGroup: boolean): TransitionField[] {
  if (to === 'in_progress' && from === 'new') return hasGroup ? [] : ['assignmentGroup'];
  if (to === 'in_progress' && from === 'resolved') return ['reason'];
  if (to === 'on_hold') return ['holdReason'];
  if (to === 'resolved') return ['resolutionCode', 'resolutionNotes'];
  if (to === 'cancelled') return ['reason'];
  return [];
}

export const HOLD_REASONS = ['awaiting_caller', 'awaiting_vendor', 'awaiting_problem'];
export const RESOLUTION_CODES = [
  'solved_permanently',
  'solved_workaround',
  'resolved_by_change',
  'resolved_by_problem',
  'not_reproducible',
  'duplicate',
  'user_error',
  'no_fault_found',
];
