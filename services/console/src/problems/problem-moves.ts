import type { OpenTransitions } from '../api/types';
import type { ProblemRecord, ProblemState } from './types';

/**
 * The state changes the console offers on a problem: the steps the problem service lists
 * as open to the user (`GET /problems/{id}/transitions`, with what each must and may
 * carry), each named by what the user does. The API checks every move again; a refusal
 * (409, 400, 403) is shown as it answers.
 */

/** The fields a move's dialog may ask for (the body of `POST /problems/{id}/transitions`). */
export const MOVE_FIELDS = [
  'assignmentGroup',
  'assignee',
  'duplicateOfId',
  'causeNotes',
  'fixNotes',
  'workaround',
  'resolutionCode',
  'resolutionNotes',
  'reason',
] as const;
export type MoveField = (typeof MOVE_FIELDS)[number];
export type MoveValues = Partial<Record<MoveField, string>>;

/** What the user does, which names the button (strings: `problems.actions`). */
export type MoveAction =
  | 'assess'
  | 'confirm'
  | 'markDuplicate'
  | 'startFix'
  | 'acceptRisk'
  | 'resolve'
  | 'close'
  | 'reanalyse'
  | 'cancel';

export interface ProblemMove {
  action: MoveAction;
  to: ProblemState;
  /** The fields the dialog shows, in order. */
  fields: readonly MoveField[];
  /** Of those, the ones it cannot do without (given the problem as it is). */
  required: readonly MoveField[];
  /** Values the step always sends (the dialog does not ask for them). */
  fixed?: MoveValues;
}

/** The resolution codes a move from `fix_in_progress` to `resolved` may choose. */
export const FIX_RESOLUTIONS = ['fix_applied', 'risk_accepted'] as const;

/** Fields a problem may already hold, which then need not be given again. */
const ON_RECORD = ['assignmentGroup', 'assignee', 'causeNotes', 'fixNotes', 'workaround'] as const;
type OnRecordField = (typeof ON_RECORD)[number];
const isOnRecord = (field: MoveField): field is OnRecordField =>
  (ON_RECORD as readonly string[]).includes(field);

const filled = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value.trim() !== '';

const isMoveField = (field: string): field is MoveField =>
  (MOVE_FIELDS as readonly string[]).includes(field);

/** What the user does, by where the problem is and where the step takes it. */
function actionOf(from: ProblemState, to: ProblemState): MoveAction | undefined {
  if (to === 'cancelled') return 'cancel';
  if (to === 'root_cause_analysis') return from === 'assess' ? 'confirm' : 'reanalyse';
  if (to === 'closed') return from === 'assess' ? 'markDuplicate' : 'close';
  if (to === 'resolved') return from === 'root_cause_analysis' ? 'acceptRisk' : 'resolve';
  if (to === 'assess') return 'assess';
  if (to === 'fix_in_progress') return 'startFix';
  return undefined;
}

/** Values a step always sends, which its dialog does not ask for. */
const FIXED: Partial<Record<MoveAction, MoveValues>> = {
  acceptRisk: { resolutionCode: 'risk_accepted' },
};
/** Fields a step takes that its dialog leaves out: marking a duplicate has one resolution. */
const NOT_ASKED: Partial<Record<MoveAction, readonly MoveField[]>> = {
  markDuplicate: ['resolutionCode'],
};

/** The moves to offer, from the steps the service lists as open (none before they are read). */
export function problemMoves(
  problem: ProblemRecord,
  open: OpenTransitions | undefined,
): ProblemMove[] {
  if (!open || open.state !== problem.state) return [];
  return open.transitions.flatMap((step) => {
    const to = step.to as ProblemState;
    const action = actionOf(problem.state, to);
    if (!action) return [];
    const fixed = FIXED[action];
    const asked = (field: string): field is MoveField =>
      isMoveField(field) && !(fixed && field in fixed) && !NOT_ASKED[action]?.includes(field);
    return [
      {
        action,
        to,
        fields: [...step.requires, ...step.accepts].filter(asked),
        required: step.requires.filter(asked),
        ...(fixed ? { fixed } : {}),
      },
    ];
  });
}

/** The dialog's first values: what the problem holds for the fields it asks. */
export function initialValues(problem: ProblemRecord, step: ProblemMove): MoveValues {
  const values: MoveValues = {};
  for (const field of step.fields) {
    if (isOnRecord(field) && filled(problem[field])) values[field] = problem[field];
  }
  if (step.fields.includes('resolutionCode')) values.resolutionCode = 'fix_applied';
  return values;
}

/** The fields still to fill before the move can be sent (a risk accepted needs a reason). */
export function missingFields(step: ProblemMove, values: MoveValues): MoveField[] {
  const required = new Set<MoveField>(step.required);
  const code = step.fixed?.resolutionCode ?? values.resolutionCode;
  if (code === 'risk_accepted' && step.fields.includes('reason')) required.add('reason');
  return MOVE_FIELDS.filter((field) => required.has(field) && !filled(values[field]));
}

/**
 * The transition's body: `to`, the fixed values, and each field given that the problem does
 * not already hold as it is (sending an unchanged assignment group would clear the assignee).
 */
export function transitionBody(
  problem: ProblemRecord,
  step: ProblemMove,
  values: MoveValues,
): Record<string, string> {
  const body: Record<string, string> = { to: step.to, ...step.fixed };
  for (const field of step.fields) {
    const value = values[field]?.trim();
    if (!value || field in body) continue;
    if (isOnRecord(field) && problem[field] === value) continue;
    body[field] = value;
  }
  // A new group takes the assignee given with it, or none: keep the one that stays.
  const assignee = values.assignee?.trim();
  if (body.assignmentGroup && assignee && step.fields.includes('assignee'))
    body.assignee = assignee;
  return body;
}
