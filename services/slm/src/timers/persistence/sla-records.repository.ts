import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { SlaRecordEntity } from './sla-record.entity';

@Injectable()
export class SlaRecordsRepository {
  async findForUpdate(manager: EntityManager, recordId: string): Promise<SlaRecordEntity | null> {
    return manager
      .getRepository(SlaRecordEntity)
      .createQueryBuilder('record')
      .setLock('pessimistic_write')
      .where('record.record_id = :recordId', { recordId })
      .getOne();
  }

  async save(manager: EntityManager, record: SlaRecordEntity): Promise<void> {
    await manager.upsert(SlaRecordEntity, record, ['recordId']);
  }
}
