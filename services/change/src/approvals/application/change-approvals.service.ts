import { Injectable } from '@nestjs/common';
import { type Caller } from '@itsm/auth';
import { EventTypes, type ChangeApprovalDecisionV1 } from '@itsm/contracts';
import { RecordConflict } from '@itsm/domain';
import { type EntityManager } from 'typeorm';
import { type Change } from '../../changes/domain/change';
import { ChangeWriter } from '../../changes/application/change-writer';
import { ChangesService } from '../../changes/application/changes.service';
import { type ApproverRef } from '../domain/approval-policy';
import {
  approverText,
  decide,
  evaluateApprovals,
  type ApprovalRound,
  type DecisionResult,
} from '../domain/approval-round';
import { ApprovalRoundsRepository } from '../persistence/approval-rounds.repository';

export interface DecisionInput {
  decision: 'approve' | 'reject';
  comment?: string;
  onBehalfOf?: ApproverRef;
  /** The CAB meeting whose member records the decision from its agenda. */
  cabMeeting?: { id: string; name: string; start: Date };
}

/** What else the decision's transaction writes (a CAB meeting's minutes), after the round is stored. */
export type AlongWithDecision = (
  manager: EntityManager,
  change: Change,
  result: DecisionResult,
) => Promise<void>;

export interface ApprovalDecisionView {
  approver: string;
  onBehalfOf: ApproverRef;
  decision: 'approve' | 'reject';
  comment: string | null;
  at: string;
  retrospective: boolean;
}

export interface ApprovalRoundView {
  number: number;
  policy: { id: string; name: string };
  rule: ApprovalRound['requirement']['rule'];
  approvers: ApproverRef[];
  retrospectiveAllowed: boolean;
  outcome: ApprovalRound['outcome'];
  needed: number;
  /** What is still missing, in a sentence; null once the round is decided. */
  missing: string | null;
  decisions: ApprovalDecisionView[];
  openedAt: string;
  closedAt: string | null;
}

export interface ChangeApprovalsView {
  changeId: string;
  approval: Change['approval'];
  /** Every round, oldest first: a rejected round is kept when the change is submitted again. */
  rounds: ApprovalRoundView[];
}

/**
 * Approvers decide on a change: the decision is recorded in its current round, and when
 * the rule is met the change is scheduled by itself; a rejection returns it to `new`
 * with the decision kept; an emergency change that went ahead keeps its state and
 * records the decision as given after the fact.
 */
@Injectable()
export class ChangeApprovalsService {
  constructor(
    private readonly changes: ChangesService,
    private readonly writer: ChangeWriter,
    private readonly rounds: ApprovalRoundsRepository,
  ) {}

  async read(id: string): Promise<ChangeApprovalsView> {
    const change = await this.changes.found(id);
    return view(change, await this.rounds.roundsOf(id));
  }

  async decide(
    id: string,
    input: DecisionInput,
    caller: Caller,
    alongWith?: AlongWithDecision,
  ): Promise<ChangeApprovalsView> {
    await this.changes.modify(id, undefined, async (manager, current, now) => {
      const round = (await this.rounds.roundsOf(id, manager)).at(-1);
      if (!round) {
        throw new RecordConflict(
          `${current.number} has not been submitted for approval`,
          'NOT_AWAITING_APPROVAL',
        );
      }
      const result = decide(
        round,
        {
          approver: caller.username,
          groups: caller.groups,
          roles: caller.roles,
          decision: input.decision,
          comment: input.comment ?? null,
          at: now,
          for: input.onBehalfOf,
        },
        current,
      );
      await this.rounds.save(manager, id, result.round);
      await alongWith?.(manager, current, result);
      const note = {
        kind: 'work_note' as const,
        text: decisionNote(result, input.cabMeeting),
        author: caller.username,
      };
      const stored = await this.writer.commit(
        manager,
        current,
        afterDecision(current, result, now),
        caller.username,
        now,
        [note],
      );
      const decision: ChangeApprovalDecisionV1['decision'] = {
        round: result.round.number,
        approver: result.decision.approver,
        onBehalfOf: result.decision.for,
        decision: result.decision.decision,
        comment: result.decision.comment,
        at: result.decision.at.toISOString(),
        retrospective: result.decision.retrospective,
        cabMeeting: input.cabMeeting
          ? {
              id: input.cabMeeting.id,
              name: input.cabMeeting.name,
              start: input.cabMeeting.start.toISOString(),
            }
          : null,
      };
      await this.writer.announce(manager, stored, EventTypes.change.approvalDecided, { decision });
      return stored;
    });
    return this.read(id);
  }
}

/** The change after a decision: scheduled when the rule is met, back to `new` when rejected. */
function afterDecision(change: Change, result: DecisionResult, now: Date): Change {
  switch (result.next) {
    case 'wait':
      return change;
    case 'schedule':
      return { ...change, state: 'scheduled', approval: 'approved', authorizedAt: now };
    case 'return_to_new':
      return { ...change, state: 'new', approval: 'rejected', authorizedAt: null };
    case 'record_only':
      return {
        ...change,
        approval: result.evaluation.status === 'approved' ? 'approved' : 'rejected',
        authorizedAt:
          result.evaluation.status === 'approved'
            ? (change.authorizedAt ?? now)
            : change.authorizedAt,
      };
  }
}

function decisionNote(result: DecisionResult, cabMeeting: DecisionInput['cabMeeting']): string {
  const { decision, evaluation } = result;
  const verb = decision.decision === 'approve' ? 'Approved' : 'Rejected';
  const late = decision.retrospective ? ' after the fact' : '';
  const comment = decision.comment ? `: ${decision.comment}` : '';
  const meeting = cabMeeting ? ` at "${cabMeeting.name}" of ${cabMeeting.start.toISOString()}` : '';
  const outcome =
    evaluation.status === 'pending'
      ? ` ${evaluation.missing ?? ''}`
      : ` Approval round ${result.round.number} is ${evaluation.status}.`;
  return `${verb}${late} by ${decision.approver} for ${approverText(decision.for)}${meeting}${comment}.${outcome}`;
}

function view(change: Change, rounds: readonly ApprovalRound[]): ChangeApprovalsView {
  return { changeId: change.id, approval: change.approval, rounds: rounds.map(roundView) };
}

/** A round as the API answers it: its policy, rule, approvers, decisions and what it still misses. */
export function roundView(round: ApprovalRound): ApprovalRoundView {
  const evaluation = evaluateApprovals(round.requirement, round.decisions);
  return {
    number: round.number,
    policy: { id: round.requirement.policyId, name: round.requirement.policyName },
    rule: round.requirement.rule,
    approvers: [...round.requirement.approvers],
    retrospectiveAllowed: round.requirement.retrospective,
    outcome: round.outcome,
    needed: evaluation.needed,
    missing: round.outcome === 'pending' ? evaluation.missing : null,
    decisions: round.decisions.map((decision) => ({
      approver: decision.approver,
      onBehalfOf: decision.for,
      decision: decision.decision,
      comment: decision.comment,
      at: decision.at.toISOString(),
      retrospective: decision.retrospective,
    })),
    openedAt: round.openedAt.toISOString(),
    closedAt: round.closedAt?.toISOString() ?? null,
  };
}
