import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import {
  EventTypes,
  Topics,
  type RelationshipEventV1,
  type RelationshipSnapshot,
} from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { type ChangeOrigin } from '../../cis/application/ci-writer';
import {
  RelationshipsRepository,
  type Relationship,
} from '../persistence/relationships.repository';

export function toRelationshipSnapshot(relationship: Relationship): RelationshipSnapshot {
  return {
    id: relationship.id,
    type: relationship.type,
    sourceId: relationship.sourceId,
    targetId: relationship.targetId,
    createdAt: relationship.createdAt.toISOString(),
    createdBy: relationship.createdBy,
    deletedAt: relationship.deletedAt?.toISOString() ?? null,
    deletedBy: relationship.deletedBy,
  };
}

/** Records relationship changes in the caller's transaction, each with its event. */
@Injectable()
export class RelationshipWriter {
  constructor(
    private readonly relationships: RelationshipsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** Records those that are not current already; answers the ones it recorded. */
  async created(
    manager: EntityManager,
    relationships: readonly Relationship[],
    origin: ChangeOrigin,
  ): Promise<Relationship[]> {
    const created = await this.relationships.insertNew(manager, relationships);
    await this.outbox.appendMany<RelationshipEventV1>(
      manager,
      created.map((relationship) => ({
        topic: Topics.cmdbEvents,
        type: EventTypes.cmdb.relationshipCreated,
        subject: relationship.id,
        data: { relationship: toRelationshipSnapshot(relationship), ...origin },
      })),
    );
    return created;
  }

  async deleted(
    manager: EntityManager,
    relationship: Relationship,
    origin: ChangeOrigin,
  ): Promise<void> {
    await this.relationships.markDeleted(manager, relationship);
    await this.outbox.append<RelationshipEventV1>(manager, {
      topic: Topics.cmdbEvents,
      type: EventTypes.cmdb.relationshipDeleted,
      subject: relationship.id,
      data: { relationship: toRelationshipSnapshot(relationship), ...origin },
    });
  }
}
