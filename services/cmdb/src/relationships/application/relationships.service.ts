import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type RelationshipSnapshot } from '@itsm/contracts';
import { canSeeConfigurationItem, type Caller } from '@itsm/auth';
import {
  NotFoundProblem,
  ProblemException,
  ValidationProblem,
  decodeCursor,
  pageOf,
  type Page,
} from '@itsm/platform';
import { ClassCatalog } from '../../ci-classes/application/class-catalog.service';
import { CisRepository } from '../../cis/persistence/cis.repository';
import { relationshipRefusal, type RelationshipType } from '../domain/relationship-rules';
import {
  RelationshipsRepository,
  type Relationship,
} from '../persistence/relationships.repository';
import { RelationshipWriter, toRelationshipSnapshot } from './relationship-writer';

export interface RelationshipListQuery {
  ciId?: string;
  type?: RelationshipType;
  asOf?: Date;
  limit: number;
  cursor?: string;
}

/** A relationship is seen by those who see both its CIs (the other end would leak otherwise). */
@Injectable()
export class RelationshipsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly catalog: ClassCatalog,
    private readonly cis: CisRepository,
    private readonly relationships: RelationshipsRepository,
    private readonly writer: RelationshipWriter,
  ) {}

  /** Records a relationship the class rules allow; the same one twice is a 409 naming the first. */
  async create(
    type: RelationshipType,
    sourceId: string,
    targetId: string,
    caller: Caller,
  ): Promise<RelationshipSnapshot> {
    if (sourceId === targetId)
      throw new ValidationProblem([
        { field: 'targetId', message: 'must be another CI than sourceId' },
      ]);
    const hierarchy = await this.catalog.hierarchy();
    return this.dataSource.transaction(async (manager) => {
      const classes = await this.visibleClassesOf(manager, [sourceId, targetId], caller);
      const sourceClass = classes.get(sourceId);
      const targetClass = classes.get(targetId);
      const missing = [
        ...(sourceClass ? [] : [{ field: 'sourceId', message: 'is not a CI' }]),
        ...(targetClass ? [] : [{ field: 'targetId', message: 'is not a CI' }]),
      ];
      if (missing.length > 0 || !sourceClass || !targetClass) throw new ValidationProblem(missing);
      const refusal = relationshipRefusal(type, sourceClass, targetClass, hierarchy);
      if (refusal) throw new ValidationProblem([{ field: 'type', message: refusal }]);
      const relationship = {
        id: randomUUID(),
        type,
        sourceId,
        targetId,
        createdAt: new Date(),
        createdBy: caller.username,
        source: null,
        deletedAt: null,
        deletedBy: null,
      };
      const [created] = await this.writer.created(manager, [relationship], {
        actor: caller.username,
        source: null,
      });
      if (!created) {
        const existing = await this.relationships.findCurrent(manager, type, sourceId, targetId);
        throw new ProblemException(
          409,
          'relationship-exists',
          'The relationship exists already',
          `Relationship ${existing?.id ?? ''} already relates these CIs this way.`,
          {
            relationshipId: existing?.id,
          },
        );
      }
      return toRelationshipSnapshot(created);
    });
  }

  async get(id: string, caller: Caller): Promise<RelationshipSnapshot> {
    const relationship = await this.relationships.findById(id);
    if (!relationship || !(await this.seesBothEnds(this.dataSource.manager, relationship, caller)))
      throw new NotFoundProblem('Relationship', id);
    return toRelationshipSnapshot(relationship);
  }

  /** Deletes (marks deleted: it stays in both CIs' history and in as-of reads). */
  async delete(id: string, caller: Caller): Promise<RelationshipSnapshot> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.relationships.findForUpdate(manager, id);
      if (!current || current.deletedAt || !(await this.seesBothEnds(manager, current, caller)))
        throw new NotFoundProblem('Relationship', id);
      const deleted = { ...current, deletedAt: new Date(), deletedBy: caller.username };
      await this.writer.deleted(manager, deleted, { actor: caller.username, source: null });
      return toRelationshipSnapshot(deleted);
    });
  }

  /** The class of each of these CIs the caller may see; one it may not see is as absent. */
  private async visibleClassesOf(
    manager: EntityManager,
    ids: readonly string[],
    caller: Caller,
  ): Promise<Map<string, string>> {
    const cis = await this.cis.findByIds(ids, manager);
    return new Map(
      cis.filter((ci) => canSeeConfigurationItem(caller, ci)).map((ci) => [ci.id, ci.class]),
    );
  }

  private async seesBothEnds(
    manager: EntityManager,
    relationship: Relationship,
    caller: Caller,
  ): Promise<boolean> {
    const ends = [relationship.sourceId, relationship.targetId];
    const visible = await this.visibleClassesOf(manager, ends, caller);
    return ends.every((id) => visible.has(id));
  }

  async list(query: RelationshipListQuery, caller: Caller): Promise<Page<RelationshipSnapshot>> {
    const rows = await this.relationships.list({
      visibleTo: caller,
      ciId: query.ciId,
      type: query.type,
      asOf: query.asOf,
      afterId: query.cursor ? decodeCursor(query.cursor, { id: 'uuid' }).id : undefined,
      limit: query.limit,
    });
    return pageOf(rows, query.limit, toRelationshipSnapshot, (relationship) => ({
      id: relationship.id,
    }));
  }
}
