import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Topics, previousValues } from '@itsm/contracts';
import { OutboxWriter, type NewDomainEvent } from '@itsm/messaging';
import { StatementParameters } from '@itsm/persistence';
import { type JournalEntryEntity, type JournalKind } from '@itsm/platform';
import { type EntityManager } from 'typeorm';
import { INCIDENT_CONFIG, type IncidentConfig } from '../../config/incident.config';
import { happeningsOf, type Happening } from '../domain/record-events';
import { resolveFromOutside, type ResolutionCode } from '../domain/state-machine';
import {
  diffRecords,
  fieldsSetOnOpen,
  type FieldChange,
  type ServiceRecord,
} from '../domain/service-record';
import { RecordsRepository } from '../persistence/records.repository';
import { toSnapshot } from './record-view';

export interface JournalDraft {
  /** Given when the caller answers with the entry; generated otherwise. */
  id?: string;
  kind: JournalKind;
  text: string;
  author: string;
}

const SEARCHED_FIELDS = new Set(['title', 'description']);
const OVERRIDE_FIELDS = new Set(['priority', 'priorityOverrideReason']);

/**
 * The one way a record changes: one statement stores the new version, one history entry
 * per changed field, the journal entries that go with the change and one outbox event per
 * kind of change (docs/events.md), so that none of these can exist without the others.
 */
@Injectable()
export class RecordWriter {
  constructor(
    private readonly records: RecordsRepository,
    private readonly outbox: OutboxWriter,
    @Inject(INCIDENT_CONFIG) private readonly config: IncidentConfig,
  ) {}

  /**
   * Opens `record` in one statement (record, history, journal and events together), so it
   * needs no transaction of its own; in the caller's, when it has one, it is one more
   * statement of it.
   */
  async create(
    manager: EntityManager,
    record: ServiceRecord,
    actor: string,
    journal: readonly JournalDraft[] = [],
  ): Promise<void> {
    const fields = fieldsSetOnOpen(record, this.config.priorityMatrix);
    const events = this.events(record, ['created'], fields, {});
    // A priority set by hand at opening overrode the matrix's: announced as a PATCH override is.
    const priorityField = fields.find((change) => change.field === 'priority');
    if (priorityField && priorityField.oldValue !== null) {
      const override = fields.filter((change) => OVERRIDE_FIELDS.has(change.field));
      events.push(...this.events(record, ['priority_changed'], override, previousValues(override)));
    }
    if (record.major) events.push(...this.events(record, ['major_declared'], fields, {}));
    const parameters = new StatementParameters();
    const entries = journal.map((entry) => this.journalEntry(record.id, entry, record.openedAt));
    const ctes = this.records.openingWrites(
      manager.connection,
      parameters,
      record,
      fields,
      actor,
      entries,
    );
    await this.outbox.appendMany(manager, events, { ctes, parameters });
  }

  /**
   * Stores `after` as the next version of `before` when any field differs; returns the
   * record as stored (or `before` when nothing changed, in which case only the journal
   * entries are added).
   */
  async commit(
    manager: EntityManager,
    before: ServiceRecord,
    after: ServiceRecord,
    actor: string,
    now: Date,
    journal: readonly JournalDraft[] = [],
  ): Promise<ServiceRecord> {
    const changes = diffRecords(before, after);
    if (changes.length === 0) {
      await this.appendJournal(manager, before.id, journal, now);
      if (journal.length > 0) await this.records.refreshSearchDocument(manager, before.id);
      return before;
    }
    const stored: ServiceRecord = { ...after, updatedAt: now, version: before.version + 1 };
    const parameters = new StatementParameters();
    const ctes = this.records.changeWrites(
      manager.connection,
      parameters,
      stored,
      changes,
      actor,
      now,
      journal.map((entry) => this.journalEntry(stored.id, entry, now)),
      journal.length > 0 || changes.some((change) => SEARCHED_FIELDS.has(change.field)),
    );
    const events = this.events(
      stored,
      happeningsOf(stored.type, changes),
      changes,
      previousValues(changes),
    );
    await this.outbox.appendMany(manager, events, { ctes, parameters });
    return stored;
  }

  /**
   * When a major incident has just been resolved (by hand, by its alert or by a problem),
   * its open children are resolved with the parent's resolution; a no-op for any other
   * change, so children a resolution once left open (`resolveChildren: false`) stay open.
   */
  async resolveChildrenOf(
    manager: EntityManager,
    before: ServiceRecord,
    parent: ServiceRecord,
    actor: string,
    now: Date,
  ): Promise<void> {
    if (!parent.major || parent.state !== 'resolved' || before.state === 'resolved') return;
    const resolution = {
      resolutionCode: (parent.resolutionCode ?? 'solved_permanently') as ResolutionCode,
      resolutionNotes:
        `Resolved with major incident ${parent.number}: ${parent.resolutionNotes ?? ''}`.trim(),
    };
    for (const child of await this.records.findChildrenForUpdate(manager, parent.id)) {
      const resolved = resolveFromOutside(child, resolution, now);
      // A child resolved or closed on its own keeps its resolution, without a note.
      if (resolved === child) continue;
      await this.commit(manager, child, resolved, actor, now, [
        {
          kind: 'work_note',
          text: `Resolved together with major incident ${parent.number}.`,
          author: actor,
        },
      ]);
    }
  }

  private async appendJournal(
    manager: EntityManager,
    recordId: string,
    journal: readonly JournalDraft[],
    at: Date,
  ): Promise<void> {
    for (const entry of journal) {
      await this.records.appendJournal(manager, this.journalEntry(recordId, entry, at));
    }
  }

  private journalEntry(recordId: string, entry: JournalDraft, at: Date): JournalEntryEntity {
    return { ...entry, id: entry.id ?? randomUUID(), recordId, at };
  }

  /** One event per happening, each with the record as it now is and what changed. */
  private events(
    record: ServiceRecord,
    happenings: readonly Happening[],
    changes: readonly FieldChange[],
    previous: Record<string, unknown>,
  ): NewDomainEvent<unknown>[] {
    const snapshot = toSnapshot(record);
    const changedFields = changes.map((change) => change.field);
    return happenings.map((happening) => ({
      topic: Topics.incidentEvents,
      type: `itsm.${record.type}.${happening}.v1`,
      subject: record.id,
      data: { [record.type]: snapshot, changedFields, previous },
    }));
  }
}
