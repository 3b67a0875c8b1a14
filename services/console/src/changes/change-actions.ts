import type { OpenTransitions } from '../api/types';
import type { ChangeState } from './types';

/** A field a step asks for: what the transition's body takes (docs/changes.md). */
export type StepField =
  | 'assignmentGroup'
  | 'plannedStart'
  | 'plannedEnd'
  | 'implementationPlan'
  | 'backoutPlan'
  | 'reason'
  | 'closeCode'
  | 'closeNotes'
  | 'reviewNotes';

/** A step offered on the change page, with the fields its dialog asks for. */
export interface ChangeAction {
  to: ChangeState;
  /** Fields the dialog must have filled (those the change does not hold already). */
  required: StepField[];
  /** Fields the dialog offers but does not insist on. */
  optional: StepField[];
}

const STEP_FIELDS: ReadonlySet<string> = new Set<StepField>([
  'assignmentGroup',
  'plannedStart',
  'plannedEnd',
  'implementationPlan',
  'backoutPlan',
  'reason',
  'closeCode',
  'closeNotes',
  'reviewNotes',
]);
const isStepField = (field: string): field is StepField => STEP_FIELDS.has(field);

/**
 * The steps to offer: none without `change:write`; otherwise those the change service
 * lists as open (`GET /changes/{id}/transitions`: it leaves out scheduling before the
 * approval and everything but cancelling under a freeze, and requires the review to close
 * where one is due), each with the fields its dialog knows how to ask for.
 */
export function changeActions(
  open: OpenTransitions | undefined,
  canWrite: boolean,
): ChangeAction[] {
  if (!canWrite || !open) return [];
  return open.transitions.map((step) => ({
    to: step.to as ChangeState,
    required: step.requires.filter(isStepField),
    optional: step.accepts.filter(isStepField),
  }));
}
