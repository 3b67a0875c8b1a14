import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { ChangeEntity } from '../../changes/persistence/change.entity';
import { type ApprovalRound, type Decider } from '../domain/approval-round';
import { ApprovalRoundEntity } from './approval-round.entity';

/** Where a page of {@link ApprovalRoundsRepository.awaiting} ended: the last round's opening and change. */
export interface AwaitingPosition {
  openedAt: string;
  changeId: string;
}

/**
 * The rounds `approversAwaiting` (../domain/approval-round.ts) answers for, in SQL: pending;
 * the change in a state that takes a decision (`authorize`; an emergency change whose
 * round allows it, from `scheduled` on); the caller not among its deciders; one of its
 * approvers theirs (the user, a group of theirs, a role of theirs) that nobody decided for.
 */
const AWAITING_DECISION = `r.outcome = 'pending'
  AND (c.state = 'authorize'
    OR (c.model = 'emergency'
      AND coalesce((r.requirement->>'retrospective')::boolean, false)
      AND c.state IN ('scheduled', 'implement', 'review', 'closed')))
  AND NOT EXISTS (
    SELECT 1 FROM jsonb_array_elements(r.decisions) AS mine(decision)
    WHERE mine.decision->>'approver' = :username)
  AND EXISTS (
    SELECT 1 FROM jsonb_array_elements(r.requirement->'approvers') AS named(approver)
    WHERE ((named.approver->>'kind' = 'user' AND named.approver->>'name' = :username)
        OR (named.approver->>'kind' = 'group' AND named.approver->>'name' = ANY(:groups::text[]))
        OR (named.approver->>'kind' = 'role' AND named.approver->>'name' = ANY(:roles::text[])))
      AND NOT EXISTS (
        SELECT 1 FROM jsonb_array_elements(r.decisions) AS taken(decision)
        WHERE taken.decision->'for'->>'kind' = named.approver->>'kind'
          AND taken.decision->'for'->>'name' = named.approver->>'name'))`;

/** A change's approval rounds, oldest first; writes take the caller's transaction (the change row is locked). */
@Injectable()
export class ApprovalRoundsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async roundsOf(
    changeId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ApprovalRound[]> {
    const rows = await manager
      .getRepository(ApprovalRoundEntity)
      .find({ where: { changeId }, order: { number: 'ASC' } });
    return rows.map(toRound);
  }

  /** Every round still waiting on a decision, with its change (one per change at most). */
  async pending(): Promise<{ changeId: string; round: ApprovalRound }[]> {
    const rows = await this.dataSource
      .getRepository(ApprovalRoundEntity)
      .find({ where: { outcome: 'pending' } });
    return rows.map((row) => ({ changeId: row.changeId, round: toRound(row) }));
  }

  /**
   * The open rounds awaiting a decision by `who`, with their change id, oldest request
   * first (then by change id), `limit + 1` of them after `after`.
   */
  async awaiting(
    who: Decider,
    after: AwaitingPosition | undefined,
    limit: number,
  ): Promise<{ changeId: string; round: ApprovalRound }[]> {
    const query = this.dataSource
      .getRepository(ApprovalRoundEntity)
      .createQueryBuilder('r')
      .innerJoin(ChangeEntity, 'c', 'c.id = r.changeId')
      .where(AWAITING_DECISION, {
        username: who.approver,
        groups: [...who.groups],
        roles: [...who.roles],
      });
    if (after) {
      query.andWhere('(r.openedAt, r.changeId) > (:afterOpenedAt, :afterChangeId)', {
        afterOpenedAt: after.openedAt,
        afterChangeId: after.changeId,
      });
    }
    const rows = await query
      .orderBy('r.openedAt', 'ASC')
      .addOrderBy('r.changeId', 'ASC')
      .limit(limit + 1)
      .getMany();
    return rows.map((row) => ({ changeId: row.changeId, round: toRound(row) }));
  }

  async save(manager: EntityManager, changeId: string, round: ApprovalRound): Promise<void> {
    await manager.getRepository(ApprovalRoundEntity).save({
      changeId,
      number: round.number,
      requirement: round.requirement,
      decisions: round.decisions.map((decision) => ({
        ...decision,
        for: { ...decision.for },
        at: decision.at.toISOString(),
      })),
      outcome: round.outcome,
      openedAt: round.openedAt,
      closedAt: round.closedAt,
    });
  }
}

function toRound(row: ApprovalRoundEntity): ApprovalRound {
  return {
    number: row.number,
    requirement: row.requirement,
    openedAt: row.openedAt,
    decisions: row.decisions.map((decision) => ({ ...decision, at: new Date(decision.at) })),
    outcome: row.outcome,
    closedAt: row.closedAt,
  };
}
