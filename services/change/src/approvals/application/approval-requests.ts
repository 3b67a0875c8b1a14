import { Inject, Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type Change } from '../../changes/domain/change';
import { CHANGE_CONFIG, type ChangeConfig } from '../../config/change.config';
import { approvalRequired, approvalRequirementFor } from '../domain/approval-policy';
import { openRound } from '../domain/approval-round';
import { ApprovalRoundsRepository } from '../persistence/approval-rounds.repository';

/**
 * Asks for a change's approval when it enters `authorize`: the first policy that matches
 * its model, risk and services chooses the approvers and the rule, fixed in a new round.
 * A change whose policy needs no approval is authorised at once.
 */
@Injectable()
export class ApprovalRequests {
  constructor(
    private readonly rounds: ApprovalRoundsRepository,
    @Inject(CHANGE_CONFIG) private readonly config: ChangeConfig,
  ) {}

  /** The change as it leaves the request: `requested`, or `not_required` and scheduled. */
  async request(manager: EntityManager, change: Change, now: Date): Promise<Change> {
    const requirement = approvalRequirementFor(this.config.approvalPolicies, change);
    if (!approvalRequired(requirement)) {
      return { ...change, approval: 'not_required', state: 'scheduled', authorizedAt: now };
    }
    const round = openRound(await this.rounds.roundsOf(change.id, manager), requirement, now);
    await this.rounds.save(manager, change.id, round);
    return { ...change, approval: 'requested' };
  }
}
