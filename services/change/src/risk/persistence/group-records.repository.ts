import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { ChangeEntity } from '../../changes/persistence/change.entity';
import { type GroupRecord } from '../domain/risk-facts';

/** An assignment group's record over the changes it implemented: what the risk's fourth source reads. */
@Injectable()
export class GroupRecordsRepository {
  async recordOf(
    manager: EntityManager,
    group: string,
    lookBackMs: number,
    now: Date,
  ): Promise<GroupRecord> {
    const row = await manager
      .getRepository(ChangeEntity)
      .createQueryBuilder('c')
      .select('count(*)::int', 'completed')
      .addSelect(
        `count(*) FILTER (WHERE c.closeCode IN ('unsuccessful', 'backed_out'))::int`,
        'failed',
      )
      .addSelect(`count(*) FILTER (WHERE cardinality(c.causedIncidentIds) > 0)::int`, 'caused')
      .where('c.assignmentGroup = :group', { group })
      .andWhere('c.closeCode IS NOT NULL')
      .andWhere('c.actualEnd >= :since', { since: new Date(now.getTime() - lookBackMs) })
      .getRawOne<{ completed: number; failed: number; caused: number }>();
    return {
      group,
      lookBackMs,
      completed: row?.completed ?? 0,
      failed: row?.failed ?? 0,
      causedIncidents: row?.caused ?? 0,
    };
  }
}
