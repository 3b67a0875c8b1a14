import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
import { EventTypes, Topics, type CiEventV1 } from '@itsm/contracts';
import { OutboxWriter, type NewDomainEvent } from '@itsm/messaging';
import { type Ci, type Reconciled } from '../domain/ci';
import { type FieldChange } from '../persistence/ci-history.entity';
import { CiHistoryRepository } from '../persistence/ci-history.repository';
import { CisRepository } from '../persistence/cis.repository';
import { toCiSnapshot } from './ci-view';

/** Who or what makes a change: a user through the API, or a discovery source (`source`) through an import. */
export interface ChangeOrigin {
  actor: string;
  source: string | null;
}

/**
 * Records CI changes in the caller's transaction, in bulk: the rows, their identifiers,
 * a history entry each (with the CI as it is after the change, for as-of reads) and an
 * event each.
 */
@Injectable()
export class CiWriter {
  constructor(
    private readonly cis: CisRepository,
    private readonly history: CiHistoryRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async created(
    manager: EntityManager,
    created: readonly Ci[],
    origin: ChangeOrigin,
  ): Promise<void> {
    if (created.length === 0) return;
    await this.cis.insertMany(manager, created);
    const snapshots = created.map(toCiSnapshot);
    await this.history.appendMany(
      manager,
      created.map((ci, index) => ({
        ciId: ci.id,
        at: ci.createdAt,
        kind: 'created',
        ...origin,
        changes: [],
        snapshot: snapshots[index] ?? null,
      })),
    );
    await this.outbox.appendMany<CiEventV1>(
      manager,
      snapshots.map((snapshot) => ({
        topic: Topics.cmdbEvents,
        type: EventTypes.cmdb.ciCreated,
        subject: snapshot.id,
        data: { ci: snapshot, changedFields: Object.keys(snapshot), previous: {}, ...origin },
      })),
    );
  }

  /** The changes must have changed something (see reconcile); the CIs are locked by the caller. */
  async updated(
    manager: EntityManager,
    changes: readonly Reconciled[],
    origin: ChangeOrigin,
  ): Promise<void> {
    if (changes.length === 0) return;
    await this.cis.updateMany(
      manager,
      changes.map((change) => change.ci),
    );
    const events: NewDomainEvent<CiEventV1>[] = [];
    const entries = changes.map(({ ci, changedFields, previous }) => {
      const snapshot = toCiSnapshot(ci);
      const retired = changedFields.includes('status') && ci.status === 'retired';
      const data: CiEventV1 = { ci: snapshot, changedFields, previous, ...origin };
      events.push({
        topic: Topics.cmdbEvents,
        type: EventTypes.cmdb.ciUpdated,
        subject: ci.id,
        data,
      });
      if (retired)
        events.push({
          topic: Topics.cmdbEvents,
          type: EventTypes.cmdb.ciRetired,
          subject: ci.id,
          data,
        });
      return {
        ciId: ci.id,
        at: ci.updatedAt,
        kind: retired ? ('retired' as const) : ('updated' as const),
        ...origin,
        changes: changedFields.map((field): FieldChange => ({
          field,
          oldValue: previous[field] ?? null,
          newValue: valueOf(snapshot, field),
        })),
        snapshot,
      };
    });
    await this.history.appendMany(manager, entries);
    await this.outbox.appendMany(manager, events);
  }
}

function valueOf(snapshot: object, field: string): unknown {
  let value: unknown = snapshot;
  for (const part of field.split('.'))
    value =
      value !== null && typeof value === 'object'
        ? (value as Record<string, unknown>)[part]
        : undefined;
  return value ?? null;
}
