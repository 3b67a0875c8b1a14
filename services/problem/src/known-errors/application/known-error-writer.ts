import { Injectable } from '@nestjs/common';
import { ProblemEventTypes, Topics, type KnownErrorEventV1, previousValues } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { type EntityManager } from 'typeorm';
import { type FieldChange } from '@itsm/domain';
import {
  diffKnownErrors,
  fieldsSetOnRecord,
  touchesSearch,
  type KnownError,
} from '../domain/known-error';
import { KnownErrorsRepository } from '../persistence/known-errors.repository';
import { toSnapshot } from './known-error-view';

/**
 * The one way a known error changes: in the caller's transaction it stores the row (and
 * its search document), one history entry per field set or changed, and the outbox event
 * (`itsm.known_error.created.v1` / `updated.v1`), so that none exists without the others.
 */
@Injectable()
export class KnownErrorWriter {
  constructor(
    private readonly knownErrors: KnownErrorsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(manager: EntityManager, knownError: KnownError, actor: string): Promise<void> {
    await this.knownErrors.insert(manager, knownError);
    const fields = fieldsSetOnRecord(knownError);
    await this.knownErrors.appendHistory(
      manager,
      knownError.id,
      fields,
      actor,
      knownError.createdAt,
    );
    await this.publish(manager, ProblemEventTypes.knownErrorCreated, knownError, fields);
  }

  /**
   * Stores `after` as the next revision of `before` when any field differs; returns the
   * known error as stored (or `before`, unchanged, when nothing differs).
   */
  async commit(
    manager: EntityManager,
    before: KnownError,
    after: KnownError,
    actor: string,
    now: Date,
  ): Promise<KnownError> {
    const changes = diffKnownErrors(before, after);
    if (changes.length === 0) return before;
    const stored: KnownError = { ...after, updatedAt: now, revision: before.revision + 1 };
    await this.knownErrors.save(manager, stored, touchesSearch(changes));
    await this.knownErrors.appendHistory(manager, stored.id, changes, actor, now);
    await this.publish(manager, ProblemEventTypes.knownErrorUpdated, stored, changes);
    return stored;
  }

  private async publish(
    manager: EntityManager,
    type: string,
    knownError: KnownError,
    changes: readonly FieldChange[],
  ): Promise<void> {
    const created = type === ProblemEventTypes.knownErrorCreated;
    await this.outbox.append<KnownErrorEventV1>(manager, {
      topic: Topics.problemEvents,
      type,
      subject: knownError.id,
      data: {
        knownError: toSnapshot(knownError),
        changedFields: changes.map((change) => change.field),
        previous: created ? {} : previousValues(changes),
      },
    });
  }
}
