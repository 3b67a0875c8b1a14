import { type Change } from '../../changes/domain/change';

export const GATE_DECISIONS = ['awaiting', 'allowed', 'prevented'] as const;
export type GateDecision = (typeof GATE_DECISIONS)[number];

/** What stands in the way of a deployment besides the change's own state: from conflict detection. */
export interface GateObstacle {
  /** `blackout`, `freeze`, or a conflict kind that blocks (e.g. `same_ci`). */
  kind: string;
  message: string;
}

export interface GateContext {
  now: Date;
  /** Obstacles that prevent the deployment (a blackout without override, a freeze in force, …). */
  obstacles: readonly GateObstacle[];
  /** For a change awaiting approval: what is still missing, in words (e.g. "1 more of change-advisory-board"). */
  pendingApproval?: string;
}

export interface GateAnswer {
  decision: GateDecision;
  reasons: string[];
}

/**
 * Whether a pipeline may deploy a change now: `allowed` when it is authorised, inside its
 * planned window and nothing blocks it; `awaiting` while approval or the window's start
 * is still to come; `prevented` when it is over, rejected, held, or blocked (docs/changes.md).
 * Every answer says why, so that a pipeline's log explains itself.
 */
export function decideGate(change: Change, context: GateContext): GateAnswer {
  const prevented: string[] = [];
  const awaiting: string[] = [];
  if (change.state === 'cancelled') prevented.push(`${change.number} was cancelled.`);
  if (change.state === 'closed') prevented.push(`${change.number} is closed.`);
  if (change.state === 'review') {
    prevented.push(
      `${change.number} was implemented already (close code ${change.closeCode ?? 'none'}).`,
    );
  }
  if (change.onHold) {
    prevented.push(`${change.number} is on hold: ${change.holdReason ?? 'a freeze is in force'}.`);
  }
  if (change.approval === 'rejected') {
    prevented.push(`${change.number} was rejected; it must be changed and submitted again.`);
  }
  for (const obstacle of context.obstacles) prevented.push(obstacle.message);

  if (change.state === 'new' || change.state === 'assess') {
    awaiting.push(
      change.model === 'standard'
        ? `${change.number} is not scheduled yet (state ${change.state}).`
        : `${change.number} has not been submitted for authorisation yet (state ${change.state}).`,
    );
  }
  if (change.state === 'authorize' && change.approval === 'requested') {
    awaiting.push(
      `${change.number} awaits approval${context.pendingApproval ? `: ${context.pendingApproval}` : ''}.`,
    );
  }
  if (change.plannedStart && change.plannedEnd && isBeforeImplementation(change)) {
    if (context.now.getTime() < change.plannedStart.getTime()) {
      awaiting.push(`The planned window opens at ${change.plannedStart.toISOString()}.`);
    } else if (context.now.getTime() >= change.plannedEnd.getTime()) {
      prevented.push(
        `The planned window closed at ${change.plannedEnd.toISOString()}; plan the change again.`,
      );
    }
  }
  if (prevented.length > 0) return { decision: 'prevented', reasons: prevented };
  if (awaiting.length > 0) return { decision: 'awaiting', reasons: awaiting };
  return {
    decision: 'allowed',
    reasons: [
      change.state === 'implement'
        ? `${change.number} is being implemented.`
        : `${change.number} is authorised and inside its planned window.`,
    ],
  };
}

function isBeforeImplementation(change: Change): boolean {
  return change.state !== 'implement';
}
