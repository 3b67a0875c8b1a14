import type { ChangeApprovalState, ChangeModel, ChangeState } from '@itsm/contracts';
import { RecordConflict, RuleViolation, StepForbidden } from '@itsm/domain';
import {
  approvalRequired,
  changeOfModel,
  type ApprovalRequirement,
  type ApprovalRule,
  type ApproverRef,
} from './approval-policy';

export type ApprovalOutcome = 'pending' | 'approved' | 'rejected';

/** A decision as recorded: who, for which of the named approvers, what, why, when. */
export interface ApprovalDecision {
  approver: string;
  /** The named approver (group, role or the person) this decision speaks for. */
  for: ApproverRef;
  decision: 'approve' | 'reject';
  comment: string | null;
  at: Date;
  /** Given after the fact, on an emergency change already implemented. */
  retrospective: boolean;
}

/**
 * One request for approval. A rejection closes its round and sends the change back to
 * `new`; submitting it again opens the next round with the policy chosen afresh (the risk
 * may have changed). Earlier rounds are kept, decisions and all.
 */
export interface ApprovalRound {
  number: number;
  requirement: ApprovalRequirement;
  openedAt: Date;
  decisions: readonly ApprovalDecision[];
  outcome: ApprovalOutcome;
  closedAt: Date | null;
}

/** Someone deciding, with what the gateway says of them. */
export interface DecisionRequest {
  approver: string;
  groups: readonly string[];
  roles: readonly string[];
  decision: 'approve' | 'reject';
  comment: string | null;
  at: Date;
  /** Whom they decide for, when they could decide for several (a CAB meeting names its group). */
  for?: ApproverRef;
}

/** Where the change stands: approval decisions are taken only in some states. */
export interface ApprovalChangeContext {
  model: ChangeModel;
  state: ChangeState;
}

export interface ApprovalEvaluation {
  status: ApprovalOutcome;
  /** Approvals the rule needs. */
  needed: number;
  /** The approvals counted, one per named approver. */
  approvals: { approver: string; for: ApproverRef }[];
  rejection: ApprovalDecision | null;
  /** Named approvers with no decision yet (none once the round is decided). */
  outstanding: ApproverRef[];
  /** What is still missing, in a sentence; null once decided. */
  missing: string | null;
}

/**
 * What the change is to do after a decision: `schedule` (rule met in authorize),
 * `return_to_new` (rejected before implementation), `record_only` (an emergency change
 * that went ahead: the decision is kept, the state stays), `wait`.
 */
export type ApprovalNext = 'wait' | 'schedule' | 'return_to_new' | 'record_only';

export interface DecisionResult {
  round: ApprovalRound;
  decision: ApprovalDecision;
  evaluation: ApprovalEvaluation;
  next: ApprovalNext;
}

export function approverText(approver: ApproverRef): string {
  switch (approver.kind) {
    case 'user':
      return `user "${approver.name}"`;
    case 'group':
      return `group "${approver.name}" (any one member)`;
    case 'role':
      return `role "${approver.name}" (any one holder)`;
  }
}

function listText(approvers: readonly ApproverRef[]): string {
  return approvers.map(approverText).join(', ');
}

function sameApprover(a: ApproverRef, b: ApproverRef): boolean {
  return a.kind === b.kind && a.name === b.name;
}

/** Who decides, as the gateway says of them: their name, groups and roles. */
export type Decider = Pick<DecisionRequest, 'approver' | 'groups' | 'roles'>;

function speaksFor(request: Decider, approver: ApproverRef): boolean {
  switch (approver.kind) {
    case 'user':
      return request.approver === approver.name;
    case 'group':
      return request.groups.includes(approver.name);
    case 'role':
      return request.roles.includes(approver.name);
  }
}

/** How many approvals a rule needs of `count` named approvers; a percentage rounds up. */
export function approvalsNeeded(rule: ApprovalRule, count: number): number {
  switch (rule.kind) {
    case 'not_required':
      return 0;
    case 'all':
      return count;
    case 'any':
      return Math.min(1, count);
    case 'n_of_m':
      return Math.min(rule.n, count);
    case 'percentage':
      // Multiplied before dividing so that whole percents stay exact: 100 % of 3 is 3, not 3.0000001.
      return Math.min(count, Math.max(1, Math.ceil((rule.percent * count) / 100)));
  }
}

function ruleText(rule: ApprovalRule, needed: number, count: number): string {
  switch (rule.kind) {
    case 'n_of_m':
      return ` (${needed} of ${count} needed)`;
    case 'percentage':
      return ` (${rule.percent} % of ${count}: ${needed} needed)`;
    default:
      return '';
  }
}

/** Where a round stands under its rule, from the decisions recorded so far. */
export function evaluateApprovals(
  requirement: ApprovalRequirement,
  decisions: readonly ApprovalDecision[],
): ApprovalEvaluation {
  const count = requirement.approvers.length;
  const needed = approvalsNeeded(requirement.rule, count);
  const approvals: ApprovalEvaluation['approvals'] = [];
  for (const decision of decisions) {
    if (decision.decision !== 'approve') continue;
    if (approvals.some((approval) => sameApprover(approval.for, decision.for))) continue;
    approvals.push({ approver: decision.approver, for: decision.for });
  }
  const rejection = decisions.find((decision) => decision.decision === 'reject') ?? null;
  if (rejection)
    return { status: 'rejected', needed, approvals, rejection, outstanding: [], missing: null };
  if (approvals.length >= needed)
    return {
      status: 'approved',
      needed,
      approvals,
      rejection: null,
      outstanding: [],
      missing: null,
    };
  const outstanding = requirement.approvers.filter(
    (approver) => !decisions.some((decision) => sameApprover(decision.for, approver)),
  );
  const more = needed - approvals.length;
  const missing =
    requirement.rule.kind === 'all'
      ? `Waiting for approval from ${listText(outstanding)}.`
      : `Waiting for ${more === 1 ? '1 more approval' : `${more} more approvals`}${ruleText(requirement.rule, needed, count)} from: ${listText(outstanding)}.`;
  return { status: 'pending', needed, approvals, rejection: null, outstanding, missing };
}

/** Opens the change's next round; the previous one must be decided. */
export function openRound(
  rounds: readonly ApprovalRound[],
  requirement: ApprovalRequirement,
  at: Date,
): ApprovalRound {
  if (!approvalRequired(requirement)) {
    throw new RecordConflict(
      `the policy "${requirement.policyName}" needs no approval`,
      'APPROVAL_NOT_REQUIRED',
    );
  }
  const last = rounds[rounds.length - 1];
  if (last?.outcome === 'pending') {
    throw new RecordConflict(
      `approval round ${last.number} is still pending`,
      'APPROVAL_ROUND_OPEN',
    );
  }
  return {
    number: (last?.number ?? 0) + 1,
    requirement,
    openedAt: at,
    decisions: [],
    outcome: 'pending',
    closedAt: null,
  };
}

/** The change's `approval` field from its policy and rounds. */
export function approvalStateOf(
  requirement: ApprovalRequirement,
  rounds: readonly ApprovalRound[],
): ChangeApprovalState {
  if (!approvalRequired(requirement)) return 'not_required';
  const last = rounds[rounds.length - 1];
  if (!last) return 'not_requested';
  return last.outcome === 'pending' ? 'requested' : last.outcome;
}

const LATE_STATES: readonly ChangeState[] = ['implement', 'review', 'closed'];

/**
 * Whether the change takes a decision in its state: a normal change in `authorize` only;
 * an emergency change whose policy allows it also once it went ahead (`scheduled`), and
 * after the fact (`implement`, `review`, `closed`).
 */
export function takesDecision(
  requirement: ApprovalRequirement,
  change: ApprovalChangeContext,
): boolean {
  if (change.state === 'authorize') return true;
  const afterTheFact = requirement.retrospective && change.model === 'emergency';
  return afterTheFact && (change.state === 'scheduled' || LATE_STATES.includes(change.state));
}

/**
 * Whether the decision is given after the fact (`implement`, `review`, `closed`); a 409
 * when the change takes no decision in its state ({@link takesDecision}).
 */
function retrospectiveIn(requirement: ApprovalRequirement, change: ApprovalChangeContext): boolean {
  if (takesDecision(requirement, change)) return LATE_STATES.includes(change.state);
  const afterTheFact = requirement.retrospective && change.model === 'emergency';
  const refusedLate =
    !afterTheFact &&
    change.state !== 'new' &&
    change.state !== 'assess' &&
    change.state !== 'cancelled';
  throw new RecordConflict(
    `${changeOfModel(change.model)} in ${change.state} takes no approval decision${refusedLate ? `: the policy "${requirement.policyName}" does not allow authorisation after the fact` : ''}`,
    'NOT_AWAITING_APPROVAL',
  );
}

function checkInput(request: DecisionRequest): string | null {
  if (!request.approver.trim()) throw new RuleViolation('approver', 'is required');
  if (request.decision !== 'approve' && request.decision !== 'reject')
    throw new RuleViolation('decision', 'must be approve or reject');
  const comment = request.comment?.trim() || null;
  if (request.decision === 'reject' && !comment)
    throw new RuleViolation('comment', 'is required to reject: say what must change');
  return comment;
}

/** Whom the request speaks for: the approver it names, else the first it can that has not decided. */
function approverFor(round: ApprovalRound, request: DecisionRequest): ApproverRef {
  const { approvers } = round.requirement;
  const decided = (approver: ApproverRef) =>
    round.decisions.find((decision) => sameApprover(decision.for, approver));
  let candidates = approvers.filter((approver) => speaksFor(request, approver));
  if (request.for) {
    const named = request.for;
    if (!approvers.some((approver) => sameApprover(approver, named))) {
      throw new StepForbidden(
        `${approverText(named)} is not an approver of this change; its approvers: ${listText(approvers)}`,
        'APPROVER_NOT_ELIGIBLE',
      );
    }
    if (!speaksFor(request, named)) {
      throw new StepForbidden(
        `"${request.approver}" cannot decide for ${approverText(named)}`,
        'APPROVER_NOT_ELIGIBLE',
      );
    }
    candidates = [named];
  }
  if (candidates.length === 0) {
    throw new StepForbidden(
      `"${request.approver}" is not an approver of this change; its approvers: ${listText(approvers)}`,
      'APPROVER_NOT_ELIGIBLE',
    );
  }
  const open = candidates.find((approver) => !decided(approver));
  if (!open) {
    const taken = candidates
      .map((approver) => {
        const decision = decided(approver);
        return `${approverText(approver)} ${decision?.decision === 'approve' ? 'approved' : 'rejected'} by "${decision?.approver}"`;
      })
      .join(', ');
    throw new RecordConflict(
      `"${request.approver}" can only decide for approvers who have decided: ${taken}`,
      'APPROVER_ALREADY_DECIDED',
    );
  }
  return open;
}

/**
 * Records one decision in the change's current round. One rejection rejects, whatever the
 * rule; the round closes when approved or rejected and takes no more decisions; a person
 * decides once per round, for one named approver, so that a CAB member who is also a
 * change manager does not approve for both under `all`.
 */
export function decide(
  round: ApprovalRound,
  request: DecisionRequest,
  change: ApprovalChangeContext,
): DecisionResult {
  if (round.outcome !== 'pending') {
    throw new RecordConflict(
      `approval round ${round.number} is already ${round.outcome}`,
      'APPROVAL_ROUND_CLOSED',
    );
  }
  const retrospective = retrospectiveIn(round.requirement, change);
  const comment = checkInput(request);
  const earlier = round.decisions.find((decision) => decision.approver === request.approver);
  if (earlier) {
    throw new RecordConflict(
      `"${request.approver}" already decided (${earlier.decision}, ${earlier.at.toISOString()}) in approval round ${round.number}`,
      'ALREADY_DECIDED',
    );
  }
  const decision: ApprovalDecision = {
    approver: request.approver,
    for: approverFor(round, request),
    decision: request.decision,
    comment,
    at: request.at,
    retrospective,
  };
  const decisions = [...round.decisions, decision];
  const evaluation = evaluateApprovals(round.requirement, decisions);
  const decided = evaluation.status !== 'pending';
  return {
    round: {
      ...round,
      decisions,
      outcome: evaluation.status,
      closedAt: decided ? request.at : null,
    },
    decision,
    evaluation,
    next: nextStep(evaluation.status, change.state),
  };
}

function nextStep(status: ApprovalOutcome, state: ChangeState): ApprovalNext {
  if (status === 'pending') return 'wait';
  if (status === 'approved') return state === 'authorize' ? 'schedule' : 'record_only';
  return state === 'authorize' || state === 'scheduled' ? 'return_to_new' : 'record_only';
}

/** The groups a pending round still waits on: a CAB meeting's agenda lists changes awaiting its group. */
export function awaitingGroupsOf(round: ApprovalRound): string[] {
  if (round.outcome !== 'pending') return [];
  return evaluateApprovals(round.requirement, round.decisions)
    .outstanding.filter((approver) => approver.kind === 'group')
    .map((approver) => approver.name);
}

/**
 * The named approvers of a round that `who` could still decide for: those they speak for
 * (named in person, a group of theirs, a role they hold) that nobody decided for yet, when
 * the round is pending, the change takes a decision in its state and `who` has not decided
 * in this round. Empty otherwise. Exactly when {@link decide} would take their decision;
 * the query `GET /api/v1/changes/awaiting-my-decision` repeats it in SQL.
 */
export function approversAwaiting(
  round: ApprovalRound,
  who: Decider,
  change: ApprovalChangeContext,
): ApproverRef[] {
  if (round.outcome !== 'pending' || !takesDecision(round.requirement, change)) return [];
  if (round.decisions.some((decision) => decision.approver === who.approver)) return [];
  return round.requirement.approvers.filter(
    (approver) =>
      speaksFor(who, approver) &&
      !round.decisions.some((decision) => sameApprover(decision.for, approver)),
  );
}
