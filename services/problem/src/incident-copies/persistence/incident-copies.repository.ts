import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type IncidentSnapshot } from '@itsm/contracts';
import { DataSource, type EntityManager } from 'typeorm';
import { IncidentCopyEntity } from './incident-copy.entity';

/** What keeping one incident event did to its copy. */
export interface KeptCopy {
  before: IncidentCopyEntity | null;
  current: IncidentCopyEntity;
  /** False when a newer (or the same) version was already kept: the event changed nothing. */
  kept: boolean;
}

function copyOf(incident: IncidentSnapshot): IncidentCopyEntity {
  return {
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
}

/** The copy of incidents: kept from their events, read by links, candidate rules and offers. */
@Injectable()
export class IncidentCopiesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Stores each incident as its events carry it, in order, unless a newer version is
   * already kept (several events describe one change with the same version; an older one
   * is late). Answers, per incident given, the copy as it was just before that event (null
   * for an incident seen for the first time) and as it is after it. The copies are locked
   * in id order and written once each, whatever the number of their events.
   */
  async keepAll(
    manager: EntityManager,
    incidents: readonly IncidentSnapshot[],
  ): Promise<KeptCopy[]> {
    if (incidents.length === 0) return [];
    const ids = [...new Set(incidents.map((incident) => incident.id))];
    const stored = await manager
      .getRepository(IncidentCopyEntity)
      .createQueryBuilder('i')
      .where('i.id = ANY(:ids)', { ids })
      .orderBy('i.id')
      .setLock('pessimistic_write')
      .getMany();
    const latest = new Map<string, IncidentCopyEntity>(stored.map((copy) => [copy.id, copy]));
    const changed = new Set<string>();
    const kept = incidents.map((incident): KeptCopy => {
      const before = latest.get(incident.id) ?? null;
      if (before && before.version >= incident.version)
        return { before, current: before, kept: false };
      const current = copyOf(incident);
      latest.set(incident.id, current);
      changed.add(incident.id);
      return { before, current, kept: true };
    });
    const written = [...changed].map((id) => latest.get(id)).filter((copy) => copy !== undefined);
    await manager.getRepository(IncidentCopyEntity).upsert(written, ['id']);
    return kept;
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
