import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, IsNull, type EntityManager } from 'typeorm';
import {
  type SlaDefinition,
  type SlaKind,
  type SlaRecordType,
  type SlaTarget,
} from '../domain/sla-definition';
import { SlaDefinitionEntity } from './sla-definition.entity';

export interface DefinitionFilters {
  kind?: string;
  target?: string;
  recordType?: string;
  active?: boolean;
}

export function toSlaDefinition(entity: SlaDefinitionEntity): SlaDefinition {
  return {
    id: entity.id,
    version: entity.version,
    name: entity.name,
    kind: entity.kind as SlaKind,
    target: entity.target as SlaTarget,
    recordType: entity.recordType as SlaRecordType,
    priorities: entity.priorities,
    businessServiceId: entity.businessServiceId,
    category: entity.category,
    assignmentGroup: entity.assignmentGroup,
    durationMs: entity.durationMs,
    calendarId: entity.calendarId,
    pauseStates: entity.pauseStates,
    warningThresholds: entity.warningThresholds,
    startStates: entity.startStates,
    stopStates: entity.stopStates,
    stopOnFirstResponse: entity.stopOnFirstResponse,
    cancelStates: entity.cancelStates,
    active: entity.active,
  };
}

@Injectable()
export class SlaDefinitionsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findCurrent(id: string, manager: EntityManager = this.dataSource.manager) {
    return manager.findOneBy(SlaDefinitionEntity, { id, supersededAt: IsNull() });
  }

  async findVersion(id: string, version: number) {
    return this.dataSource.manager.findOneBy(SlaDefinitionEntity, { id, version });
  }

  async listVersions(id: string) {
    return this.dataSource.manager.find(SlaDefinitionEntity, {
      where: { id },
      order: { version: 'ASC' },
    });
  }

  /** The current version, locked so that two changes of one definition are applied one after the other. */
  async findCurrentForUpdate(manager: EntityManager, id: string) {
    return manager
      .getRepository(SlaDefinitionEntity)
      .createQueryBuilder('definition')
      .setLock('pessimistic_write')
      .where('definition.id = :id AND definition.superseded_at IS NULL', { id })
      .getOne();
  }

  /** The current version of every active definition for a record type: the candidates for a record. */
  async currentActiveFor(manager: EntityManager, recordType: string): Promise<SlaDefinition[]> {
    const rows = await manager.find(SlaDefinitionEntity, {
      where: { recordType, active: true, supersededAt: IsNull() },
      order: { name: 'ASC', id: 'ASC' },
    });
    return rows.map(toSlaDefinition);
  }

  async versions(
    manager: EntityManager,
    pairs: readonly { slaId: string; slaVersion: number }[],
  ): Promise<SlaDefinition[]> {
    if (pairs.length === 0) return [];
    const builder = manager.getRepository(SlaDefinitionEntity).createQueryBuilder('definition');
    builder.where(
      new Brackets((where) =>
        pairs.forEach(({ slaId, slaVersion }, index) =>
          where.orWhere(`(definition.id = :id${index} AND definition.version = :version${index})`, {
            [`id${index}`]: slaId,
            [`version${index}`]: slaVersion,
          }),
        ),
      ),
    );
    return (await builder.getMany()).map(toSlaDefinition);
  }

  async listCurrent(
    filters: DefinitionFilters,
    limit: number,
    after?: { name: string; id: string },
  ) {
    const builder = this.dataSource
      .getRepository(SlaDefinitionEntity)
      .createQueryBuilder('definition')
      .where('definition.superseded_at IS NULL');
    for (const field of ['kind', 'target', 'recordType', 'active'] as const) {
      if (filters[field] !== undefined)
        builder.andWhere(`definition.${field} = :${field}`, { [field]: filters[field] });
    }
    if (after) builder.andWhere('(definition.name, definition.id) > (:name, :id)', after);
    return builder
      .orderBy('definition.name', 'ASC')
      .addOrderBy('definition.id', 'ASC')
      .limit(limit)
      .getMany();
  }

  async insert(manager: EntityManager, definition: Partial<SlaDefinitionEntity>): Promise<void> {
    await manager.insert(SlaDefinitionEntity, definition);
  }

  async supersede(manager: EntityManager, id: string, version: number, at: Date): Promise<void> {
    await manager.update(SlaDefinitionEntity, { id, version }, { supersededAt: at });
  }
}
