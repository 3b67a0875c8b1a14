import { Injectable } from '@nestjs/common';
import {
  CatalogItemEventTypes,
  Topics,
  previousValues,
  type CatalogItemEventV1,
  type CatalogItemHappening,
} from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { OutboxWriter } from '@itsm/messaging';
import { type EntityManager } from 'typeorm';
import { diffCatalogItems, fieldsSetOnDefine, type CatalogItem } from '../domain/catalog-item';
import { CatalogItemsRepository } from '../persistence/catalog-items.repository';
import { toSnapshot } from './catalog-item-view';

/**
 * The one way a catalogue item changes: in the caller's transaction it stores the row and
 * the outbox event that says what happened (the events are the item's history), so that
 * neither exists without the other.
 */
@Injectable()
export class CatalogItemWriter {
  constructor(
    private readonly items: CatalogItemsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  /** False when the key is taken: nothing is written. */
  async create(manager: EntityManager, item: CatalogItem): Promise<boolean> {
    if (!(await this.items.insert(manager, item))) return false;
    await this.publish(manager, 'created', item, fieldsSetOnDefine(item), {});
    return true;
  }

  /** Stores `after` as the next version of `before` when any field differs; returns the item as stored. */
  async commit(
    manager: EntityManager,
    before: CatalogItem,
    after: CatalogItem,
    actor: string,
    now: Date,
  ): Promise<CatalogItem> {
    const changes = diffCatalogItems(before, after);
    if (changes.length === 0) return before;
    const stored: CatalogItem = {
      ...after,
      updatedBy: actor,
      updatedAt: now,
      version: before.version + 1,
    };
    await this.items.save(manager, stored);
    await this.publish(manager, 'updated', stored, changes, previousValues(changes));
    return stored;
  }

  private async publish(
    manager: EntityManager,
    happening: CatalogItemHappening,
    item: CatalogItem,
    changes: readonly FieldChange[],
    previous: Record<string, unknown>,
  ): Promise<void> {
    await this.outbox.append<CatalogItemEventV1>(manager, {
      topic: Topics.incidentEvents,
      type: CatalogItemEventTypes[happening],
      subject: item.key,
      data: {
        item: toSnapshot(item),
        changedFields: changes.map((change) => change.field),
        previous,
      },
    });
  }
}
