/** Incident and request states (docs/incidents.md), in the order a record moves through them. */
export const INCIDENT_STATES = ['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'];
export const OPEN_INCIDENT_STATES = ['new', 'in_progress', 'on_hold'];
export const REQUEST_STATES = [
  'submitted',
  'approved',
  'fulfilling',
  'fulfilled',
  'closed',
  'rejected',
  'cancelled',
];
export const OPEN_REQUEST_STATES = ['submitted', 'approved', 'fulfilling'];

/** Filled badge colours; the theme's autoContrast picks the text colour for each. */
export const PRIORITY_COLORS: Record<string, string> = {
  P1: 'red.9',
  P2: 'orange.6',
  P3: 'yellow.4',
  P4: 'blue.8',
  P5: 'gray.7',
};

/** The fields the console asks for in a move's dialog (others a move accepts are left out). */
export const ASKED_FIELDS = [
  'assignmentGroup',
  'holdReason',
  'resolutionCode',
  'resolutionNotes',
  'reason',
] as const;
export type TransitionField = (typeof ASKED_FIELDS)[number];

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
