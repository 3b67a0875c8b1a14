import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ApprovalRound } from '../domain/approval-round';
import { ApprovalRoundEntity } from './approval-round.entity';

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
