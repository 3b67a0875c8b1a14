import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type IncidentSnapshot } from '@itsm/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { IncidentCopyEntity } from './incident-copy.entity';

/** The copy of incidents: kept from their events, read by links, candidate rules and offers. */
@Injectable()
export class IncidentCopiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores the incident as the event carries it unless a newer version is already kept
   * (several events describe one change with the same version; an older one is late).
   * Answers the copy as it was before (null for an incident seen for the first time) and
   * as it is now.
   */
  async keep(
    manager: EntityManager,
    incident: IncidentSnapshot,
  ): Promise<{ before: IncidentCopyEntity | null; current: IncidentCopyEntity; kept: boolean }> {
    const repository = manager.getRepository(IncidentCopyEntity);
    const before = await repository.findOne({
      where: { id: incident.id },
      lock: { mode: 'pessimistic_write' },
    });
    if (before && before.version >= incident.version)
      return { before, current: before, kept: false };
    const copy: IncidentCopyEntity = {
      id: incident.id,
      number: incident.number,
      title: incident.title,
      description: incident.description,
      state: incident.state as IncidentCopyEntity['state'],
      requester: incident.requester,
      assignmentGroup: incident.assignmentGroup,
      assignee: incident.assignee,
      category: incident.category,
      subcategory: incident.subcategory,
      businessServiceId: incident.businessServiceId,
      ciIds: incident.ciIds,
      impact: incident.impact,
      urgency: incident.urgency,
      major: incident.major,
      openedAt: new Date(incident.openedAt),
      version: incident.version,
    };
    await repository.upsert(copy, ['id']);
    return { before, current: copy, kept: true };
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<IncidentCopyEntity | null> {
    return manager.getRepository(IncidentCopyEntity).findOneBy({ id });
  }

  async findByIds(manager: EntityManager, ids: readonly string[]): Promise<IncidentCopyEntity[]> {
    if (ids.length === 0) return [];
    return manager
      .getRepository(IncidentCopyEntity)
      .createQueryBuilder('i')
      .where('i.id = ANY(:ids)', { ids })
      .getMany();
  }
}
