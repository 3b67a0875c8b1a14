import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Topics, previousValues, type ChangeHappening } from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { OutboxWriter } from '@itsm/messaging';
import { type JournalKind } from '@itsm/platform';
import { type EntityManager } from 'typeorm';
import { diffChanges, fieldsSetOnOpen, type Change } from '../domain/change';
import { happeningsOf } from '../domain/change-happenings';
import { ChangesRepository } from '../persistence/changes.repository';
import { toSnapshot } from './change-view';

export interface JournalDraft {
  id?: string;
  kind: JournalKind;
  text: string;
  author: string;
}

/**
 * The one way a change record changes: in the caller's transaction it stores the new
 * version, one history entry per changed field, the journal entries that go with it and
 * one outbox event per kind of change, so that none of these exists without the others.
 */
@Injectable()
export class ChangeWriter {
  constructor(
    private readonly changes: ChangesRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(
    manager: EntityManager,
    change: Change,
    actor: string,
    journal: readonly JournalDraft[] = [],
  ): Promise<void> {
    await this.changes.insert(manager, change);
    const fields = fieldsSetOnOpen(change);
    await this.changes.appendHistory(manager, change.id, fields, actor, change.openedAt);
    await this.appendJournal(manager, change.id, journal, change.openedAt);
    await this.publish(manager, change, ['created'], fields, {});
  }

  /**
   * Stores `after` as the next version of `before` when any field differs; returns the
   * change as stored (`before` when nothing changed: then only the journal is added).
   */
  async commit(
    manager: EntityManager,
    before: Change,
    after: Change,
    actor: string,
    now: Date,
    journal: readonly JournalDraft[] = [],
  ): Promise<Change> {
    const changes = diffChanges(before, after);
    await this.appendJournal(manager, before.id, journal, now);
    if (changes.length === 0) return before;
    const stored: Change = { ...after, updatedAt: now, version: before.version + 1 };
    await this.changes.save(manager, stored);
    await this.changes.appendHistory(manager, stored.id, changes, actor, now);
    await this.publish(manager, stored, happeningsOf(changes), changes, previousValues(changes));
    return stored;
  }

  /** Publishes an event about the change that is not a field change (approvals, conflicts, gate decisions). */
  async announce(
    manager: EntityManager,
    change: Change,
    type: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.changeEvents,
      type,
      subject: change.id,
      data: { change: toSnapshot(change), ...data },
    });
  }

  private async appendJournal(
    manager: EntityManager,
    recordId: string,
    journal: readonly JournalDraft[],
    at: Date,
  ): Promise<void> {
    for (const entry of journal) {
      await this.changes.appendJournal(manager, {
        ...entry,
        id: entry.id ?? randomUUID(),
        recordId,
        at,
      });
    }
  }

  private async publish(
    manager: EntityManager,
    change: Change,
    happenings: readonly ChangeHappening[],
    changes: readonly FieldChange[],
    previous: Record<string, unknown>,
  ): Promise<void> {
    const changedFields = changes.map((field) => field.field);
    for (const happening of happenings) {
      await this.outbox.append(manager, {
        topic: Topics.changeEvents,
        type: `itsm.change.${happening}.v1`,
        subject: change.id,
        data: { change: toSnapshot(change), changedFields, previous },
      });
    }
  }
}
