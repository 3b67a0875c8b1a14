import type { ProblemRecord, ProblemState } from './types';

/**
 * The state changes the console offers on a problem, mirroring the problem service's state
 * machine (services/problem/src/problems/domain/problem-state-machine.ts, docs/problems.md):
 * the API has no "open transitions" read for problems, so the console knows the table. The
 * API checks every move again; a refusal (409, 400, 403) is shown as it answers.
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

function move(
  action: MoveAction,
  to: ProblemState,
  fields: readonly MoveField[],
  required: readonly MoveField[],
  fixed?: MoveValues,
): ProblemMove {
  return { action, to, fields, required, ...(fixed ? { fixed } : {}) };
}

/**
 * The moves open from the problem's state for someone who may work problems; re-analysing
 * a closed problem only for problem managers (`problem:manage`), and never a duplicate.
 */
export function problemMoves(problem: ProblemRecord, who: { mayManage: boolean }): ProblemMove[] {
  /** Required unless the problem already holds it (the machine's "unless recorded"). */
  const unlessRecorded = (field: OnRecordField): MoveField[] =>
    filled(problem[field]) ? [] : [field];
  const cancel = move('cancel', 'cancelled', ['reason'], ['reason']);
  const reanalyse = move(
    'reanalyse',
    'root_cause_analysis',
    ['reason', 'assignmentGroup', 'assignee'],
    ['reason'],
  );
  switch (problem.state) {
    case 'new':
      return [
        move(
          'assess',
          'assess',
          ['assignmentGroup', 'assignee'],
          unlessRecorded('assignmentGroup'),
        ),
        cancel,
      ];
    case 'assess':
      return [
        move('confirm', 'root_cause_analysis', ['assignmentGroup', 'assignee', 'workaround'], []),
        move('markDuplicate', 'closed', ['duplicateOfId', 'reason'], ['duplicateOfId']),
        cancel,
      ];
    case 'root_cause_analysis':
      return [
        move(
          'startFix',
          'fix_in_progress',
          ['causeNotes', 'fixNotes', 'workaround'],
          unlessRecorded('causeNotes'),
        ),
        move(
          'acceptRisk',
          'resolved',
          ['reason', 'causeNotes', 'workaround', 'resolutionNotes'],
          ['reason'],
          { resolutionCode: 'risk_accepted' },
        ),
        cancel,
      ];
    case 'fix_in_progress':
      return [
        move(
          'resolve',
          'resolved',
          ['fixNotes', 'resolutionCode', 'reason', 'resolutionNotes', 'causeNotes', 'workaround'],
          unlessRecorded('fixNotes'),
        ),
        reanalyse,
        cancel,
      ];
    case 'resolved':
      return [move('close', 'closed', ['resolutionNotes'], []), reanalyse];
    case 'closed':
      return who.mayManage && problem.resolutionCode !== 'duplicate' ? [reanalyse] : [];
    case 'cancelled':
      return [];
  }
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
