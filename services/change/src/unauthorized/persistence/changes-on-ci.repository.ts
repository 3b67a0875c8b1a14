import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ChangeEntity } from '../../changes/persistence/change.entity';
import { type ChangeOnCi } from '../domain/unauthorized-change';

/** The reads the detection makes on changes; in the caller's transaction. */
@Injectable()
export class ChangesOnCiRepository {
  /**
   * The changes naming the CI that could explain an update of it, or record its burst:
   * those in implement or review, and those closed with an implementation that ended at
   * or after `endedSince`. The containment test is the one the `IX_changes_ci_ids` GIN
   * index serves.
   */
  async candidates(manager: EntityManager, ciId: string, endedSince: Date): Promise<ChangeOnCi[]> {
    const rows = await manager
      .getRepository(ChangeEntity)
      .createQueryBuilder('c')
      .select(['c.id', 'c.number', 'c.state', 'c.unauthorized', 'c.actualEnd'])
      .where('c.ciIds @> ARRAY[:ciId]::uuid[]', { ciId })
      .andWhere(
        `(c.state IN ('implement', 'review') OR (c.state = 'closed' AND c.actualEnd >= :endedSince))`,
        { endedSince },
      )
      .orderBy('c.openedAt', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    return rows.map(({ id, number, state, unauthorized, actualEnd }) => ({
      id,
      number,
      state,
      unauthorized,
      actualEnd,
    }));
  }

  /**
   * Serialises the detection for one CI until the transaction ends, so that two updates of
   * it read at once (a rebalance hands a partition over mid-burst) open one change.
   */
  async lockCi(manager: EntityManager, ciId: string): Promise<void> {
    await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [
      `unauthorized-change:${ciId}`,
    ]);
  }
}
