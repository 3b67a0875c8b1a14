import {
  PROBLEM_RESOLUTION_CODES,
  type ProblemResolutionCode,
  type ProblemState,
} from '@itsm/contracts';
import {
  RuleViolation,
  StepForbidden,
  TransitionRefused,
  openTransitionsOf,
  type OpenTransition,
  type TransitionRule as GenericTransitionRule,
} from '@itsm/domain';
import { type Problem } from './problem';

/** What a `POST /problems/{id}/transitions` body may carry besides `to`. */
export interface ProblemTransitionRequest {
  to: string;
  /** Why: required to cancel, to go back to analysis and to accept a risk; kept in the journal. */
  reason?: string;
  assignmentGroup?: string;
  assignee?: string;
  causeNotes?: string;
  fixNotes?: string;
  workaround?: string;
  resolutionCode?: string;
  resolutionNotes?: string;
  duplicateOfId?: string;
}

export type ProblemTransitionField = Exclude<keyof ProblemTransitionRequest, 'to'>;

type TransitionRule = GenericTransitionRule<ProblemTransitionField>;

/** Who takes a step, and whether they may re-analyse a closed problem (problem managers). */
export interface StepActor {
  username: string;
  mayReanalyseClosed: boolean;
}

const CANCEL = { requires: ['reason'] } as const;
const REANALYSE = { requires: ['reason'], accepts: ['assignmentGroup', 'assignee'] } as const;

/**
 * PRODUCT.md: new -> assess -> root_cause_analysis -> fix_in_progress -> resolved ->
 * closed, plus cancelled. Assess confirms (to analysis), marks a duplicate (closed as
 * one) or cancels; analysis leads to a fix or to a risk accepted (resolved); a fix that
 * did not work goes back to analysis; a resolved problem closes or is re-analysed, and a
 * closed one is re-analysed by a problem manager only.
 */
const MACHINE: Record<ProblemState, Partial<Record<ProblemState, TransitionRule>>> = {
  new: {
    assess: { requires: ['assignmentGroup'], accepts: ['assignee'] },
    cancelled: CANCEL,
  },
  assess: {
    root_cause_analysis: { requires: [], accepts: ['assignmentGroup', 'assignee', 'workaround'] },
    closed: { requires: ['duplicateOfId'], accepts: ['reason', 'resolutionCode'] },
    cancelled: CANCEL,
  },
  root_cause_analysis: {
    fix_in_progress: { requires: ['causeNotes'], accepts: ['fixNotes', 'workaround'] },
    resolved: {
      requires: ['resolutionCode'],
      accepts: ['reason', 'resolutionNotes', 'causeNotes', 'workaround'],
    },
    cancelled: CANCEL,
  },
  fix_in_progress: {
    resolved: {
      requires: ['fixNotes'],
      accepts: ['resolutionCode', 'resolutionNotes', 'causeNotes', 'workaround', 'reason'],
    },
    root_cause_analysis: REANALYSE,
    cancelled: CANCEL,
  },
  resolved: {
    closed: { requires: [], accepts: ['resolutionNotes'] },
    root_cause_analysis: REANALYSE,
  },
  closed: { root_cause_analysis: REANALYSE },
  cancelled: {},
};

/** The states a problem may move to from where it is (empty when final). */
export function allowedTargets(state: ProblemState): ProblemState[] {
  return Object.keys(MACHINE[state]) as ProblemState[];
}

/** Fields that may already be on the problem instead of in the body. */
const SATISFIED_BY_RECORD: Partial<Record<ProblemTransitionField, keyof Problem>> = {
  assignmentGroup: 'assignmentGroup',
  causeNotes: 'causeNotes',
  fixNotes: 'fixNotes',
};

/** A step open from a problem's state, with what its body must and may carry. */
export type OpenProblemTransition = OpenTransition<ProblemState, ProblemTransitionField>;

/**
 * The steps open to this actor from the problem's state (empty when final): re-analysing
 * a closed problem only for a problem manager and never for a duplicate; a field the
 * problem already holds (group, cause, fix) is accepted, no longer required.
 */
export function openProblemTransitions(
  problem: Problem,
  actor: Pick<StepActor, 'mayReanalyseClosed'>,
): OpenProblemTransition[] {
  const reanalysable =
    problem.state !== 'closed' ||
    (actor.mayReanalyseClosed && problem.resolutionCode !== 'duplicate');
  const row = reanalysable ? MACHINE[problem.state] : {};
  return openTransitionsOf(row, (field) => {
    const onRecord = SATISFIED_BY_RECORD[field];
    return onRecord !== undefined && present(problem[onRecord]);
  });
}

function present(value: unknown): boolean {
  return typeof value === 'string' ? value.trim() !== '' : value !== undefined && value !== null;
}

function checkFields(
  problem: Problem,
  request: ProblemTransitionRequest,
  rule: TransitionRule,
): void {
  const usable = new Set<string>([...rule.requires, ...(rule.accepts ?? [])]);
  for (const field of Object.keys(request) as (keyof ProblemTransitionRequest)[]) {
    if (field === 'to' || request[field] === undefined) continue;
    if (!usable.has(field)) {
      throw new RuleViolation(field, `is not used by a transition to ${request.to}`);
    }
  }
  for (const field of rule.requires) {
    const onRecord = SATISFIED_BY_RECORD[field];
    if (!present(request[field]) && !(onRecord && present(problem[onRecord]))) {
      throw new RuleViolation(field, `is required to move to ${request.to}`);
    }
  }
  if (
    request.resolutionCode !== undefined &&
    !(PROBLEM_RESOLUTION_CODES as readonly string[]).includes(request.resolutionCode)
  ) {
    throw new RuleViolation(
      'resolutionCode',
      `must be one of ${PROBLEM_RESOLUTION_CODES.join(', ')}`,
    );
  }
}

/** The resolution a step sets, or an error naming the field when the code does not fit the step. */
function resolutionOf(
  problem: Problem,
  request: ProblemTransitionRequest,
  to: ProblemState,
): { code: ProblemResolutionCode; notes: string | null } | undefined {
  const notes = request.resolutionNotes?.trim() || request.reason?.trim() || null;
  if (to === 'cancelled') return { code: 'cancelled', notes: request.reason?.trim() ?? null };
  if (to === 'closed' && problem.state === 'assess') {
    if (request.resolutionCode !== undefined && request.resolutionCode !== 'duplicate') {
      throw new RuleViolation('resolutionCode', 'closing from assess marks a duplicate');
    }
    return { code: 'duplicate', notes };
  }
  if (to !== 'resolved') return undefined;
  if (problem.state === 'root_cause_analysis') {
    // Without a fix in progress the only resolution is to accept the risk, and why is required.
    if (request.resolutionCode !== 'risk_accepted') {
      throw new RuleViolation(
        'resolutionCode',
        'must be risk_accepted to resolve from root cause analysis (a fix goes through fix_in_progress)',
      );
    }
    if (!notes) {
      throw new RuleViolation('reason', 'is required to accept the risk');
    }
    return { code: 'risk_accepted', notes };
  }
  const code = (request.resolutionCode ?? 'fix_applied') as ProblemResolutionCode;
  if (code !== 'fix_applied' && code !== 'risk_accepted') {
    throw new RuleViolation('resolutionCode', 'must be fix_applied or risk_accepted');
  }
  if (code === 'risk_accepted' && !notes) {
    throw new RuleViolation('reason', 'is required to accept the risk');
  }
  return { code, notes };
}

function trimmedOr(value: string | undefined, current: string | null): string | null {
  return value === undefined ? current : value.trim() || current;
}

/**
 * The problem after the step to `request.to`, or an error: {@link TransitionRefused}
 * when the state machine does not allow it, {@link RuleViolation} when a field the
 * step needs is missing or one it does not use is given, {@link StepForbidden} when only
 * a problem manager may take it. Who and when are recorded for each step.
 */
export function applyProblemTransition(
  problem: Problem,
  request: ProblemTransitionRequest,
  actor: StepActor,
  now: Date,
): Problem {
  const to = request.to as ProblemState;
  const rule = MACHINE[problem.state][to];
  if (!rule) throw new TransitionRefused(problem.state, request.to, allowedTargets(problem.state));
  checkFields(problem, request, rule);
  const reanalysis = to === 'root_cause_analysis' && ['resolved', 'closed'].includes(problem.state);
  if (reanalysis && problem.state === 'closed') {
    if (!actor.mayReanalyseClosed) {
      throw new StepForbidden('Only a problem manager re-analyses a closed problem.');
    }
    if (problem.resolutionCode === 'duplicate') {
      throw new RuleViolation(
        'to',
        'a duplicate is not re-analysed: its incidents and tasks moved to the original',
      );
    }
  }
  if (to === 'closed' && request.duplicateOfId === problem.id) {
    throw new RuleViolation('duplicateOfId', 'cannot be the problem itself');
  }

  const next: Problem = {
    ...problem,
    state: to,
    causeNotes: trimmedOr(request.causeNotes, problem.causeNotes),
    fixNotes: trimmedOr(request.fixNotes, problem.fixNotes),
    workaround: trimmedOr(request.workaround, problem.workaround),
  };
  if (request.assignmentGroup !== undefined) {
    next.assignmentGroup = request.assignmentGroup;
    next.assignee = request.assignee ?? null;
  } else if (request.assignee !== undefined) {
    next.assignee = request.assignee;
  }
  if (problem.state === 'assess' && to === 'root_cause_analysis') {
    next.confirmedAt = now;
    next.confirmedBy = actor.username;
  }
  if (problem.state === 'root_cause_analysis' && (to === 'fix_in_progress' || to === 'resolved')) {
    next.rootCauseIdentifiedAt = now;
    next.rootCauseIdentifiedBy = actor.username;
  }
  const resolution = resolutionOf(problem, request, to);
  if (resolution) {
    next.resolutionCode = resolution.code;
    next.resolutionNotes = resolution.notes;
  }
  if (problem.state === 'resolved' && to === 'closed' && request.resolutionNotes?.trim()) {
    // Closing notes (e.g. how the fix was verified) replace the resolution's notes.
    next.resolutionNotes = request.resolutionNotes.trim();
  }
  if (to === 'resolved') {
    next.resolvedAt = now;
    next.resolvedBy = actor.username;
  }
  if (to === 'closed' || to === 'cancelled') {
    next.closedAt = now;
    next.closedBy = actor.username;
  }
  if (to === 'closed' && request.duplicateOfId !== undefined) {
    next.duplicateOfId = request.duplicateOfId;
  }
  if (reanalysis) {
    next.reanalysisCount = problem.reanalysisCount + 1;
    next.resolutionCode = null;
    next.resolutionNotes = null;
    next.resolvedAt = null;
    next.resolvedBy = null;
    next.closedAt = null;
    next.closedBy = null;
  }
  return next;
}
