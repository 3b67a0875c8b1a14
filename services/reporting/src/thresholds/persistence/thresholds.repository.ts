import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { KpiThresholdEntity, KpiThresholdPeriodEntity } from './kpi-threshold.entity';

@Injectable()
export class ThresholdsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(): Promise<KpiThresholdEntity[]> {
    return this.dataSource.getRepository(KpiThresholdEntity).find({ order: { createdAt: 'ASC' } });
  }

  find(id: string): Promise<KpiThresholdEntity | null> {
    return this.dataSource.getRepository(KpiThresholdEntity).findOneBy({ id });
  }

  enabledIds(): Promise<string[]> {
    return this.dataSource
      .getRepository(KpiThresholdEntity)
      .find({ select: { id: true }, where: { enabled: true } })
      .then((rows) => rows.map((row) => row.id));
  }

  /** The threshold, locked for this transaction; null when another replica holds it (or it is gone). */
  claim(manager: EntityManager, id: string): Promise<KpiThresholdEntity | null> {
    return manager
      .getRepository(KpiThresholdEntity)
      .createQueryBuilder('threshold')
      .where('threshold.id = :id AND threshold.enabled', { id })
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getOne();
  }

  /** The threshold locked for an edit (waiting for an evaluation holding it). */
  lockForEdit(manager: EntityManager, id: string): Promise<KpiThresholdEntity | null> {
    return manager
      .getRepository(KpiThresholdEntity)
      .createQueryBuilder('threshold')
      .where('threshold.id = :id', { id })
      .setLock('pessimistic_write')
      .getOne();
  }

  periodOf(
    manager: EntityManager,
    thresholdId: string,
    periodStart: Date,
  ): Promise<KpiThresholdPeriodEntity | null> {
    return manager.getRepository(KpiThresholdPeriodEntity).findOneBy({ thresholdId, periodStart });
  }

  latestPeriod(thresholdId: string): Promise<KpiThresholdPeriodEntity | null> {
    return this.dataSource
      .getRepository(KpiThresholdPeriodEntity)
      .findOne({ where: { thresholdId }, order: { periodStart: 'DESC' } });
  }

  async delete(manager: EntityManager, id: string): Promise<void> {
    await manager.delete(KpiThresholdPeriodEntity, { thresholdId: id });
    await manager.delete(KpiThresholdEntity, { id });
  }
}
