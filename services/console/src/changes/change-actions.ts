import type { Change, ChangeModel, ChangeState } from './types';

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

interface Step {
  /** Required: from the body, or already on the change. */
  requires: readonly StepField[];
  /** Asked for too, never required. */
  accepts?: readonly StepField[];
}

const CANCEL: Step = { requires: ['reason'] };
const WITHDRAW: Step = { requires: ['reason'] };
const START: Step = { requires: [] };
const FINISH: Step = { requires: ['closeCode'], accepts: ['closeNotes'] };
const CLOSE: Step = { requires: [], accepts: ['reviewNotes'] };
const AUTHORIZED: Step = { requires: [] };

/**
 * The change service's state machine (services/change/src/changes/domain/
 * change-state-machine.ts), as far as a screen needs it: which steps a model takes from
 * each state and what each asks for. The service decides again on every step.
 */
const MACHINES: Record<
  ChangeModel,
  Partial<Record<ChangeState, Partial<Record<ChangeState, Step>>>>
> = {
  normal: {
    new: { assess: { requires: ['assignmentGroup'] }, cancelled: CANCEL },
    assess: {
      authorize: {
        requires: ['plannedStart', 'plannedEnd', 'implementationPlan', 'backoutPlan'],
      },
      new: WITHDRAW,
      cancelled: CANCEL,
    },
    authorize: { scheduled: AUTHORIZED, new: WITHDRAW, cancelled: CANCEL },
    scheduled: { implement: START, cancelled: CANCEL },
    implement: { review: FINISH },
    review: { closed: CLOSE },
  },
  standard: {
    new: { scheduled: { requires: ['plannedStart', 'plannedEnd'] }, cancelled: CANCEL },
    scheduled: { implement: START, cancelled: CANCEL },
    implement: { review: FINISH },
    review: { closed: CLOSE },
  },
  emergency: {
    new: {
      authorize: { requires: ['assignmentGroup', 'plannedStart', 'plannedEnd'] },
      cancelled: CANCEL,
    },
    authorize: {
      scheduled: AUTHORIZED,
      implement: { requires: ['reason'] },
      new: WITHDRAW,
      cancelled: CANCEL,
    },
    scheduled: { implement: START, cancelled: CANCEL },
    implement: { review: FINISH },
    review: { closed: CLOSE },
  },
};

/** A step offered on the change page, with the fields its dialog asks for. */
export interface ChangeAction {
  to: ChangeState;
  /** Fields the dialog must have filled (those the change does not hold already). */
  required: StepField[];
  /** Fields the dialog offers but does not insist on. */
  optional: StepField[];
}

const ON_RECORD: Partial<Record<StepField, keyof Change>> = {
  assignmentGroup: 'assignmentGroup',
  plannedStart: 'plannedStart',
  plannedEnd: 'plannedEnd',
  implementationPlan: 'implementationPlan',
  backoutPlan: 'backoutPlan',
  closeCode: 'closeCode',
};

const present = (value: unknown): boolean =>
  typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;

/** Whether closing needs a post-implementation review (`reviewNotes`): docs/changes.md. */
export function reviewRequired(change: Pick<Change, 'model' | 'unauthorized' | 'closeCode'>) {
  return (
    change.model === 'emergency' ||
    change.unauthorized ||
    change.closeCode === 'unsuccessful' ||
    change.closeCode === 'backed_out'
  );
}

/**
 * The state changes to offer: none without `change:write`; from `authorize` to
 * `scheduled` only once approved (otherwise the approvers move it by approving); a change
 * held by a freeze only to be cancelled.
 */
export function changeActions(
  change: Pick<
    Change,
    | 'model'
    | 'state'
    | 'approval'
    | 'onHold'
    | 'unauthorized'
    | 'closeCode'
    | 'assignmentGroup'
    | 'plannedStart'
    | 'plannedEnd'
    | 'implementationPlan'
    | 'backoutPlan'
  >,
  canWrite: boolean,
): ChangeAction[] {
  if (!canWrite) return [];
  const steps = MACHINES[change.model][change.state] ?? {};
  const actions: ChangeAction[] = [];
  for (const [to, step] of Object.entries(steps) as [ChangeState, Step][]) {
    if (change.onHold && to !== 'cancelled') continue;
    if (
      change.state === 'authorize' &&
      to === 'scheduled' &&
      change.approval !== 'approved' &&
      change.approval !== 'not_required'
    )
      continue;
    const required = step.requires.filter((field) => {
      const onRecord = ON_RECORD[field];
      return !(onRecord && present(change[onRecord as keyof typeof change]));
    });
    const optional = [...(step.accepts ?? [])];
    if (to === 'closed' && reviewRequired(change)) {
      required.push('reviewNotes');
      optional.splice(optional.indexOf('reviewNotes'), 1);
    }
    actions.push({ to, required, optional });
  }
  return actions;
}
