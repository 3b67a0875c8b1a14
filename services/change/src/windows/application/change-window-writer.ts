import { Injectable } from '@nestjs/common';
import {
  ChangeWindowEventTypes,
  Topics,
  previousValues,
  type ChangeWindowEventV1,
  type ChangeWindowHappening,
} from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { OutboxWriter } from '@itsm/messaging';
import { type EntityManager } from 'typeorm';
import { diffWindows, fieldsSetOnDefine, type ChangeWindow } from '../domain/change-window';
import { ChangeWindowsRepository } from '../persistence/change-windows.repository';
import { toSnapshot } from './change-window-view';

/**
 * The one way a change window changes: in the caller's transaction it stores the row, one
 * history entry per field set or changed, and the outbox event that says what happened,
 * so that none of these exists without the others.
 */
@Injectable()
export class ChangeWindowWriter {
  constructor(
    private readonly windows: ChangeWindowsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(manager: EntityManager, window: ChangeWindow): Promise<void> {
    await this.windows.insert(manager, window);
    const fields = fieldsSetOnDefine(window);
    await this.windows.appendHistory(
      manager,
      window.id,
      fields,
      window.createdBy,
      window.createdAt,
    );
    await this.publish(manager, 'created', window, fields, {});
  }

  /**
   * Stores `after` as the next version of `before` when any field differs, announcing it
   * as `happening`; returns the window as stored (`before` when nothing changed).
   */
  async commit(
    manager: EntityManager,
    before: ChangeWindow,
    after: ChangeWindow,
    happening: Exclude<ChangeWindowHappening, 'created'>,
    actor: string,
    now: Date,
  ): Promise<ChangeWindow> {
    const changes = diffWindows(before, after);
    if (changes.length === 0) return before;
    const stored: ChangeWindow = {
      ...after,
      updatedBy: actor,
      updatedAt: now,
      version: before.version + 1,
    };
    await this.windows.save(manager, stored);
    await this.windows.appendHistory(manager, stored.id, changes, actor, now);
    await this.publish(manager, happening, stored, changes, previousValues(changes));
    return stored;
  }

  private async publish(
    manager: EntityManager,
    happening: ChangeWindowHappening,
    window: ChangeWindow,
    changes: readonly FieldChange[],
    previous: Record<string, unknown>,
  ): Promise<void> {
    await this.outbox.append<ChangeWindowEventV1>(manager, {
      topic: Topics.changeEvents,
      type: ChangeWindowEventTypes[happening],
      subject: window.id,
      data: {
        window: toSnapshot(window),
        changedFields: changes.map((change) => change.field),
        previous,
      },
    });
  }
}
