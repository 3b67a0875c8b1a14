import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { type ChangeSnapshot } from '@itsm/contracts';
import { CiHistoryRepository } from '../../cis/persistence/ci-history.repository';
import { CisRepository } from '../../cis/persistence/cis.repository';

/** Records in each CI's history the changes (CHG…) that touched it. */
@Injectable()
export class ChangeHistoryService {
  constructor(
    private readonly cis: CisRepository,
    private readonly history: CiHistoryRepository,
  ) {}

  /** CI ids the CMDB does not know (deleted upstream, mistyped) are passed over. */
  async recordCompletedChange(
    manager: EntityManager,
    change: ChangeSnapshot,
    at: Date,
  ): Promise<void> {
    const known = await this.cis.classesOf(manager, change.ciIds);
    await this.history.appendMany(
      manager,
      [...known.keys()].map((ciId) => ({
        ciId,
        at,
        kind: 'changed_by_change' as const,
        actor: change.number,
        source: null,
        changes: [],
        changeNumber: change.number,
        snapshot: null,
      })),
    );
  }
}
