import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type RelationshipSnapshot } from '@itsm/contracts';
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
import { RelationshipsRepository } from '../persistence/relationships.repository';
import { RelationshipWriter, toRelationshipSnapshot } from './relationship-writer';

export interface RelationshipListQuery {
  ciId?: string;
  type?: RelationshipType;
  asOf?: Date;
  limit: number;
  cursor?: string;
}

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
    actor: string,
  ): Promise<RelationshipSnapshot> {
    if (sourceId === targetId)
      throw new ValidationProblem([
        { field: 'targetId', message: 'must be another CI than sourceId' },
      ]);
    const hierarchy = await this.catalog.hierarchy();
    return this.dataSource.transaction(async (manager) => {
      const classes = await this.cis.classesOf(manager, [sourceId, targetId]);
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
        createdBy: actor,
        source: null,
        deletedAt: null,
        deletedBy: null,
      };
      const [created] = await this.writer.created(manager, [relationship], { actor, source: null });
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

  async get(id: string): Promise<RelationshipSnapshot> {
    const relationship = await this.relationships.findById(id);
    if (!relationship) throw new NotFoundProblem('Relationship', id);
    return toRelationshipSnapshot(relationship);
  }

  /** Deletes (marks deleted: it stays in both CIs' history and in as-of reads). */
  async delete(id: string, actor: string): Promise<RelationshipSnapshot> {
    return this.dataSource.transaction(async (manager) => {
      const current = await this.relationships.findForUpdate(manager, id);
      if (!current || current.deletedAt) throw new NotFoundProblem('Relationship', id);
      const deleted = { ...current, deletedAt: new Date(), deletedBy: actor };
      await this.writer.deleted(manager, deleted, { actor, source: null });
      return toRelationshipSnapshot(deleted);
    });
  }

  async list(query: RelationshipListQuery): Promise<Page<RelationshipSnapshot>> {
    const rows = await this.relationships.list({
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
