import { Injectable } from '@nestjs/common';
import { type Caller } from '@itsm/auth';
import { decodeCursor, encodeCursor, type Page } from '@itsm/platform';
import { toView, type ChangeView } from '../../changes/application/change-view';
import { ChangesRepository } from '../../changes/persistence/changes.repository';
import { type ApproverRef } from '../domain/approval-policy';
import { approversAwaiting } from '../domain/approval-round';
import { ApprovalRoundsRepository } from '../persistence/approval-rounds.repository';
import { roundView, type ApprovalRoundView } from './change-approvals.service';

/** A change awaiting the caller's decision: the change, its open round, whom they may decide for. */
export interface AwaitingDecisionView {
  change: ChangeView;
  round: ApprovalRoundView;
  /** The round's approvers the caller speaks for that nobody decided for yet, in the round's order. */
  canDecideFor: ApproverRef[];
}

/**
 * The approvals inbox: the changes whose open round awaits a decision by the caller (named
 * in person, through a group or a role), found in SQL and checked again with the domain
 * rule. No record-level rule: whoever reads changes reads every one (docs/changes.md).
 */
@Injectable()
export class AwaitingDecisionService {
  constructor(
    private readonly rounds: ApprovalRoundsRepository,
    private readonly changes: ChangesRepository,
  ) {}

  async list(
    caller: Caller,
    page: { cursor?: string; limit: number },
  ): Promise<Page<AwaitingDecisionView>> {
    const after = page.cursor
      ? decodeCursor(page.cursor, { openedAt: 'instant', changeId: 'uuid' })
      : undefined;
    const who = { approver: caller.username, groups: caller.groups, roles: caller.roles };
    const rows = await this.rounds.awaiting(who, after, page.limit);
    const visible = rows.slice(0, page.limit);
    const changes = new Map(
      (await this.changes.findByIds(visible.map((row) => row.changeId))).map((change) => [
        change.id,
        change,
      ]),
    );
    const items: AwaitingDecisionView[] = [];
    for (const { changeId, round } of visible) {
      const change = changes.get(changeId);
      // The SQL and the rule agree; a change that moved on between the two reads is left out.
      const canDecideFor = change ? approversAwaiting(round, who, change) : [];
      if (change && canDecideFor.length > 0) {
        items.push({ change: toView(change), round: roundView(round), canDecideFor });
      }
    }
    const last = visible.at(-1);
    return {
      items,
      nextCursor:
        rows.length > page.limit && last
          ? encodeCursor({ openedAt: last.round.openedAt.toISOString(), changeId: last.changeId })
          : null,
    };
  }
}
