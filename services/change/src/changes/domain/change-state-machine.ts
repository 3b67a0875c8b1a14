import { CHANGE_CLOSE_CODES, type ChangeModel, type ChangeState } from '@itsm/contracts';
import {
  RecordConflict,
  RuleViolation,
  TransitionRefused,
  openTransitionsOf,
  type OpenTransition,
  type TransitionRule as GenericTransitionRule,
} from '@itsm/domain';
import { checkPlannedWindow, reviewRequired, text, type Change } from './change';

/** What a `POST /changes/{id}/transitions` body may carry besides `to`. */
export interface ChangeTransitionRequest {
  to: string;
  /** Why: required to cancel and to withdraw a change from authorisation; kept in the journal. */
  reason?: string;
  assignmentGroup?: string;
  assignee?: string;
  plannedStart?: Date;
  plannedEnd?: Date;
  implementationPlan?: string;
  backoutPlan?: string;
  testPlan?: string;
  actualStart?: Date;
  actualEnd?: Date;
  closeCode?: string;
  closeNotes?: string;
  reviewNotes?: string;
}

export type ChangeTransitionField = Exclude<keyof ChangeTransitionRequest, 'to'>;

type TransitionRule = GenericTransitionRule<ChangeTransitionField>;

const CANCEL: TransitionRule = { requires: ['reason'] };
const PLAN: readonly ChangeTransitionField[] = [
  'plannedStart',
  'plannedEnd',
  'implementationPlan',
  'backoutPlan',
  'testPlan',
];
const START: TransitionRule = { requires: [], accepts: ['actualStart'] };
const FINISH: TransitionRule = { requires: ['closeCode'], accepts: ['closeNotes', 'actualEnd'] };
const CLOSE: TransitionRule = { requires: [], accepts: ['reviewNotes', 'closeNotes'] };
/** Authorisation is the approvers' to give: only an approved change (or one needing none) is scheduled. */
const AUTHORIZED: TransitionRule = { requires: [], accepts: ['plannedStart', 'plannedEnd'] };
const WITHDRAW: TransitionRule = { requires: ['reason'] };
/** Closing an emergency, unauthorised, failed or backed-out change: its review is required. */
const REVIEWED_CLOSE: TransitionRule = { requires: ['reviewNotes'], accepts: ['closeNotes'] };

function mustBeReviewed(change: Change): boolean {
  return reviewRequired(change) && !present(change.reviewNotes);
}

/**
 * PRODUCT.md: new -> assess -> authorize -> scheduled -> implement -> review -> closed,
 * plus cancelled until implement. Normal takes every state; standard (pre-authorised from
 * a template) goes new -> scheduled; emergency skips assess and, when it cannot wait for
 * its emergency CAB, goes from authorize to implement and is authorised after the fact.
 */
const MACHINES: Record<
  ChangeModel,
  Record<ChangeState, Partial<Record<ChangeState, TransitionRule>>>
> = {
  normal: {
    new: {
      assess: { requires: ['assignmentGroup'], accepts: ['assignee', ...PLAN] },
      cancelled: CANCEL,
    },
    assess: {
      authorize: {
        requires: ['plannedStart', 'plannedEnd', 'implementationPlan', 'backoutPlan'],
        accepts: ['testPlan'],
      },
      new: WITHDRAW,
      cancelled: CANCEL,
    },
    authorize: { scheduled: AUTHORIZED, new: WITHDRAW, cancelled: CANCEL },
    scheduled: { implement: START, cancelled: CANCEL },
    implement: { review: FINISH },
    review: { closed: CLOSE },
    closed: {},
    cancelled: {},
  },
  standard: {
    new: {
      scheduled: {
        requires: ['plannedStart', 'plannedEnd'],
        accepts: ['assignmentGroup', 'assignee'],
      },
      cancelled: CANCEL,
    },
    assess: {},
    authorize: {},
    scheduled: { implement: START, cancelled: CANCEL },
    implement: { review: FINISH },
    review: { closed: CLOSE },
    closed: {},
    cancelled: {},
  },
  emergency: {
    new: {
      authorize: {
        requires: ['assignmentGroup', 'plannedStart', 'plannedEnd'],
        accepts: ['assignee', 'implementationPlan', 'backoutPlan', 'testPlan'],
      },
      cancelled: CANCEL,
    },
    assess: {},
    authorize: {
      scheduled: AUTHORIZED,
      implement: { requires: ['reason'], accepts: ['actualStart'] },
      new: WITHDRAW,
      cancelled: CANCEL,
    },
    scheduled: { implement: START, cancelled: CANCEL },
    implement: { review: FINISH },
    review: { closed: CLOSE },
    closed: {},
    cancelled: {},
  },
};

/** The states a change of this model may move to from where it is (empty when final). */
export function allowedTargets(model: ChangeModel, state: ChangeState): ChangeState[] {
  return Object.keys(MACHINES[model][state]) as ChangeState[];
}

/** Fields that may already be on the change instead of in the body. */
const SATISFIED_BY_RECORD: Partial<Record<ChangeTransitionField, keyof Change>> = {
  assignmentGroup: 'assignmentGroup',
  plannedStart: 'plannedStart',
  plannedEnd: 'plannedEnd',
  implementationPlan: 'implementationPlan',
  backoutPlan: 'backoutPlan',
  testPlan: 'testPlan',
  closeCode: 'closeCode',
};

/** A step open from a change's state, with what its body must and may carry. */
export type OpenChangeTransition = OpenTransition<ChangeState, ChangeTransitionField>;

/**
 * The steps the change's model allows from its state that would not be refused as things
 * stand (empty when final): a change held by a freeze can only be cancelled, and one in
 * authorisation is scheduled only once approved (or needing no approval). A field the
 * change already holds (group, window, plans, close code) is accepted, no longer required.
 */
export function openChangeTransitions(change: Change): OpenChangeTransition[] {
  const awaitingApproval = change.approval !== 'approved' && change.approval !== 'not_required';
  const row = Object.fromEntries(
    Object.entries(MACHINES[change.model][change.state])
      .filter(
        ([to]) =>
          !(change.onHold && to !== 'cancelled') &&
          !(change.state === 'authorize' && to === 'scheduled' && awaitingApproval),
      )
      .map(([to, rule]) => [to, to === 'closed' && mustBeReviewed(change) ? REVIEWED_CLOSE : rule]),
  ) as Partial<Record<ChangeState, TransitionRule>>;
  return openTransitionsOf(row, (field) => {
    const onRecord = SATISFIED_BY_RECORD[field];
    return onRecord !== undefined && present(change[onRecord]);
  });
}

function present(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;
}

function checkFields(change: Change, request: ChangeTransitionRequest, rule: TransitionRule): void {
  const usable = new Set<string>([...rule.requires, ...(rule.accepts ?? [])]);
  for (const field of Object.keys(request) as (keyof ChangeTransitionRequest)[]) {
    if (field === 'to' || request[field] === undefined) continue;
    if (!usable.has(field)) {
      throw new RuleViolation(field, `is not used by a transition to ${request.to}`);
    }
  }
  for (const field of rule.requires) {
    const onRecord = SATISFIED_BY_RECORD[field];
    if (!present(request[field]) && !(onRecord && present(change[onRecord]))) {
      throw new RuleViolation(field, `is required to move to ${request.to}`);
    }
  }
  if (
    request.closeCode !== undefined &&
    !(CHANGE_CLOSE_CODES as readonly string[]).includes(request.closeCode)
  ) {
    throw new RuleViolation('closeCode', `must be one of ${CHANGE_CLOSE_CODES.join(', ')}`);
  }
}

function orCurrent<T>(value: T | undefined, current: T): T {
  return value === undefined ? current : value;
}

/**
 * The change after the step to `request.to`, or an error: {@link TransitionRefused} when
 * the change's model does not allow it from its state, {@link RuleViolation} when a field
 * the step needs is missing (or one it does not use is given), {@link RecordConflict}
 * when the change is held by a freeze or not yet authorised.
 */
export function applyChangeTransition(
  change: Change,
  request: ChangeTransitionRequest,
  actor: string,
  now: Date,
): Change {
  const to = request.to as ChangeState;
  const rule = MACHINES[change.model][change.state][to];
  if (!rule) {
    throw new TransitionRefused(
      change.state,
      request.to,
      allowedTargets(change.model, change.state),
    );
  }
  if (change.onHold && to !== 'cancelled') {
    throw new RecordConflict(
      `${change.number} is on hold (${change.holdReason ?? 'a freeze is in force'}); it moves again when the freeze is lifted, or it can be cancelled`,
    );
  }
  checkFields(change, request, rule);
  if (
    change.state === 'authorize' &&
    to === 'scheduled' &&
    change.approval !== 'approved' &&
    change.approval !== 'not_required'
  ) {
    throw new RecordConflict(
      `${change.number} is not authorised yet (approval ${change.approval}); it is scheduled by itself when its approval rule is met`,
    );
  }

  const next: Change = {
    ...change,
    state: to,
    plannedStart: orCurrent(request.plannedStart, change.plannedStart),
    plannedEnd: orCurrent(request.plannedEnd, change.plannedEnd),
    implementationPlan: text(request.implementationPlan) ?? change.implementationPlan,
    backoutPlan: text(request.backoutPlan) ?? change.backoutPlan,
    testPlan: text(request.testPlan) ?? change.testPlan,
  };
  checkPlannedWindow(next.plannedStart, next.plannedEnd);
  if (request.assignmentGroup !== undefined) {
    next.assignmentGroup = request.assignmentGroup;
    next.assignee = request.assignee ?? null;
  } else if (request.assignee !== undefined) {
    next.assignee = request.assignee;
  }
  if (next.assignee && !next.assignmentGroup) {
    throw new RuleViolation('assignee', 'needs an assignment group');
  }

  if (to === 'authorize') next.approval = 'requested';
  if (to === 'new' && change.state !== 'new') {
    // Back to the start: a resubmission asks the approvers again, in a new round.
    next.approval = 'not_requested';
    next.authorizedAt = null;
  }
  if (change.state === 'authorize' && to === 'scheduled' && change.authorizedAt === null) {
    next.authorizedAt = now;
  }
  if (change.model === 'standard' && to === 'scheduled') next.authorizedAt = now;
  if (to === 'implement') {
    next.actualStart = request.actualStart ?? change.actualStart ?? now;
  }
  if (to === 'review') {
    next.closeCode = (request.closeCode ?? change.closeCode) as Change['closeCode'];
    next.closeNotes = text(request.closeNotes) ?? change.closeNotes;
    next.actualEnd = request.actualEnd ?? now;
    if (next.actualStart && next.actualEnd.getTime() < next.actualStart.getTime()) {
      throw new RuleViolation('actualEnd', 'must not be before actualStart');
    }
  }
  if (to === 'closed') {
    next.reviewNotes = text(request.reviewNotes) ?? change.reviewNotes;
    next.closeNotes = text(request.closeNotes) ?? change.closeNotes;
    if (reviewRequired(next) && !next.reviewNotes) {
      throw new RuleViolation(
        'reviewNotes',
        'are required to close an emergency, unauthorised, unsuccessful or backed-out change (its post-implementation review)',
      );
    }
  }
  if (to === 'cancelled') {
    next.onHold = false;
    next.holdReason = null;
    next.heldByWindowId = null;
  }
  if (to === 'closed' || to === 'cancelled') {
    next.closedAt = now;
    next.closedBy = actor;
  }
  return next;
}
