import type { ApproverRef, Change, ChangeApprovals } from './types';

/** Who is signed in, as `GET /api/v1/auth/me` says. */
export interface Approver {
  username: string;
  groups: readonly string[];
  roles: readonly string[];
}

const LATE_STATES: readonly Change['state'][] = ['implement', 'review', 'closed'];

function speaksFor(me: Approver, approver: ApproverRef): boolean {
  switch (approver.kind) {
    case 'user':
      return approver.name === me.username;
    case 'group':
      return me.groups.includes(approver.name);
    case 'role':
      return me.roles.includes(approver.name);
  }
}

/**
 * The approvers of the change's open round that `me` could still decide for (a user
 * named, a group they are in, a role they hold, none of them decided yet), when the
 * change takes a decision in its state and `me` has not decided in this round; empty
 * otherwise. The service's rule (services/change/src/approvals/domain/approval-round.ts)
 * decides again.
 */
export function openApproversFor(
  me: Approver,
  change: Pick<Change, 'model' | 'state'>,
  approvals: ChangeApprovals,
): ApproverRef[] {
  const round = approvals.rounds[approvals.rounds.length - 1];
  if (!round || round.outcome !== 'pending') return [];
  const takesDecision =
    change.state === 'authorize' ||
    (round.retrospectiveAllowed &&
      change.model === 'emergency' &&
      (change.state === 'scheduled' || LATE_STATES.includes(change.state)));
  if (!takesDecision) return [];
  if (round.decisions.some((decision) => decision.approver === me.username)) return [];
  return round.approvers.filter(
    (approver) =>
      speaksFor(me, approver) &&
      !round.decisions.some(
        (decision) =>
          decision.onBehalfOf.kind === approver.kind && decision.onBehalfOf.name === approver.name,
      ),
  );
}
