import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Caller } from '@itsm/auth';
import { referencedCiVisible } from '../../shared/ci-visibility';
import { tableOf } from '../../shared/sql';
import { dependencyEdgesOf, type RelationshipType } from '../domain/relationship-rules';
import { CiDependencyEntity } from './ci-dependency.entity';
import { RelationshipEntity } from './relationship.entity';

export interface Relationship {
  id: string;
  type: RelationshipType;
  sourceId: string;
  targetId: string;
  createdAt: Date;
  createdBy: string;
  source: string | null;
  deletedAt: Date | null;
  deletedBy: string | null;
}

export interface RelationshipListFilter {
  ciId?: string;
  type?: RelationshipType;
  /** Relationships as they stood at this time (deleted ones included if deleted later); now when absent. */
  asOf?: Date;
  /** Only relationships between CIs this caller may see. */
  visibleTo: Caller;
  afterId?: string;
  limit: number;
}

@Injectable()
export class RelationshipsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Inserts the relationships not already current (same type, source and target) with their
   * dependency edges; answers those it inserted.
   */
  async insertNew(
    manager: EntityManager,
    relationships: readonly Relationship[],
  ): Promise<Relationship[]> {
    if (relationships.length === 0) return [];
    const inserted = await manager.query<{ id: string }[]>(
      `INSERT INTO ${tableOf(manager, RelationshipEntity)} (id, type, source_id, target_id, created_at, created_by, source)
       SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::timestamptz[], $6::text[], $7::text[])
       ON CONFLICT (source_id, target_id, type) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [
        relationships.map((relationship) => relationship.id),
        relationships.map((relationship) => relationship.type),
        relationships.map((relationship) => relationship.sourceId),
        relationships.map((relationship) => relationship.targetId),
        relationships.map((relationship) => relationship.createdAt.toISOString()),
        relationships.map((relationship) => relationship.createdBy),
        relationships.map((relationship) => relationship.source),
      ],
    );
    const ids = new Set(inserted.map((row) => row.id));
    const created = relationships.filter((relationship) => ids.has(relationship.id));
    const edges = created.flatMap((relationship) =>
      dependencyEdgesOf(relationship.type, relationship.sourceId, relationship.targetId).map(
        (edge) => ({
          ...edge,
          relationshipId: relationship.id,
        }),
      ),
    );
    if (edges.length > 0)
      await manager.query(
        `INSERT INTO ${tableOf(manager, CiDependencyEntity)} (dependent_id, dependency_id, relationship_id)
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[])`,
        [
          edges.map((edge) => edge.dependentId),
          edges.map((edge) => edge.dependencyId),
          edges.map((edge) => edge.relationshipId),
        ],
      );
    return created;
  }

  async findCurrent(
    manager: EntityManager,
    type: RelationshipType,
    sourceId: string,
    targetId: string,
  ): Promise<Relationship | null> {
    return manager
      .getRepository(RelationshipEntity)
      .createQueryBuilder('relationship')
      .where('relationship.source_id = :sourceId AND relationship.target_id = :targetId', {
        sourceId,
        targetId,
      })
      .andWhere('relationship.type = :type AND relationship.deleted_at IS NULL', { type })
      .getOne();
  }

  async findForUpdate(manager: EntityManager, id: string): Promise<Relationship | null> {
    return manager
      .getRepository(RelationshipEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async findById(id: string): Promise<Relationship | null> {
    return this.dataSource.getRepository(RelationshipEntity).findOneBy({ id });
  }

  /** Marks it deleted (it stays as history) and drops its dependency edges. */
  async markDeleted(manager: EntityManager, relationship: Relationship): Promise<void> {
    await manager
      .getRepository(RelationshipEntity)
      .update(
        { id: relationship.id },
        { deletedAt: relationship.deletedAt, deletedBy: relationship.deletedBy },
      );
    await manager.query(
      `DELETE FROM ${tableOf(manager, CiDependencyEntity)} WHERE relationship_id = $1 AND dependent_id = ANY($2)`,
      [relationship.id, [relationship.sourceId, relationship.targetId]],
    );
  }

  async list(filter: RelationshipListFilter): Promise<Relationship[]> {
    const query = this.dataSource
      .getRepository(RelationshipEntity)
      .createQueryBuilder('relationship');
    for (const [end, alias] of [
      ['relationship.source_id', 'source_ci'],
      ['relationship.target_id', 'target_ci'],
    ] as const) {
      const visible = referencedCiVisible(this.dataSource.manager, filter.visibleTo, end, alias);
      query.andWhere(visible.sql, visible.parameters);
    }
    if (filter.ciId)
      query.andWhere('(relationship.source_id = :ciId OR relationship.target_id = :ciId)', {
        ciId: filter.ciId,
      });
    if (filter.type) query.andWhere('relationship.type = :type', { type: filter.type });
    if (filter.asOf)
      query.andWhere(
        'relationship.created_at <= :asOf AND (relationship.deleted_at IS NULL OR relationship.deleted_at > :asOf)',
        { asOf: filter.asOf },
      );
    else query.andWhere('relationship.deleted_at IS NULL');
    if (filter.afterId) query.andWhere('relationship.id > :afterId', { afterId: filter.afterId });
    return query
      .orderBy('relationship.id', 'ASC')
      .limit(filter.limit + 1)
      .getMany();
  }
}
