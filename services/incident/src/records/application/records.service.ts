import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type RecordType } from '@itsm/contracts';
import {
  canReadWorkNotes,
  canSeeRecord,
  hasPermission,
  recordScope,
  type Caller,
  type RecordAccessPolicy,
} from '@itsm/auth';
import {
  NotFoundProblem,
  RECORD_ACCESS_POLICY,
  PreconditionFailedProblem,
  ProblemException,
  ValidationProblem,
  decodeCursor,
  pageOf,
  type CursorPart,
  type Page,
  decodeKeysetPosition,
  historyView,
  journalView,
  type HistoryEntryView,
  type JournalEntryView,
  type JournalKind,
  answeringDomainErrors,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { INCIDENT_CONFIG, type IncidentConfig } from '../../config/incident.config';
import { CatalogItemsService } from '../../catalog/application/catalog-items.service';
import { AssignmentDirectory } from '../../directory/application/assignment-directory';
import { applyChanges, type RecordChanges } from '../domain/record-changes';
import { RuleViolation } from '@itsm/domain';
import {
  isFinal,
  openRecord,
  routedToTriage,
  type NewRecord,
  type ServiceRecord,
} from '../domain/service-record';
import { applyTransition, STATES_OF, type TransitionRequest } from '../domain/state-machine';
import {
  RECORD_SORT_KEYS,
  RecordsRepository,
  type RecordFilter,
  type RecordSortField,
  type RecordSortKey,
} from '../persistence/records.repository';
import { RecordWriter, type JournalDraft } from './record-writer';
import { toView, type RecordView } from './record-view';

const LABEL: Record<RecordType, string> = { incident: 'Incident', request: 'Service request' };

export interface ListRequest {
  filter: Omit<RecordFilter, 'type' | 'scope' | 'searchesWorkNotes'>;
  sort: { field: RecordSortField; direction: 'ASC' | 'DESC' };
  cursor?: string;
  limit: number;
}

/** The use cases on incidents and service requests (one model, `type` picks which). */
@Injectable()
export class RecordsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly records: RecordsRepository,
    private readonly writer: RecordWriter,
    private readonly directory: AssignmentDirectory,
    private readonly catalog: CatalogItemsService,
    @Inject(INCIDENT_CONFIG) private readonly config: IncidentConfig,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /**
   * Opens a record; one named without a group goes to the triage group. The triage group
   * is the deployment's setting, not the caller's choice, so it is not checked against
   * the directory copy (which may not have arrived yet): opening never fails on it.
   */
  async open(input: NewRecord, caller: Caller): Promise<RecordView> {
    // No transaction: the checks lock nothing (a transaction would not keep the group or
    // the parent from changing before the insert either), the number is never reused even
    // when the insert fails, and the writes are one statement.
    const manager = this.dataSource.manager;
    return answeringDomainErrors(async () => {
      input = await this.fromCatalog(manager, input);
      await this.directory.check(manager, input.assignmentGroup ?? null, input.assignee ?? null);
      if (input.parentId) await this.checkParent(manager, input.parentId, caller);
      const sequence = await this.records.nextSequence(manager, input.type);
      const record = openRecord(
        routedToTriage(input, this.config.triageGroup),
        { id: randomUUID(), sequence },
        new Date(),
        this.config.priorityMatrix,
      );
      await this.writer.create(manager, record, caller.username);
      return toView(record);
    });
  }

  /**
   * A request for an item of the service catalogue: refused when the item is retired, sent
   * to the item's fulfilment group when it names no group (to triage, as any request,
   * when the directory no longer has that group: the requester could not fix it). A
   * `catalogItem` the catalogue does not hold is free text, as before the catalogue.
   */
  private async fromCatalog(manager: EntityManager, input: NewRecord): Promise<NewRecord> {
    if (input.type !== 'request' || !input.catalogItem) return input;
    const group = await this.catalog.assignmentForRequest(
      manager,
      input.catalogItem,
      input.assignmentGroup,
    );
    if (!group || group === input.assignmentGroup) return input;
    try {
      await this.directory.check(manager, group, null);
    } catch (error) {
      if (error instanceof RuleViolation) return input;
      throw error;
    }
    return { ...input, assignmentGroup: group };
  }

  /** A record the caller may not see is answered as not found, so its existence does not leak. */
  async get(type: RecordType, id: string, caller: Caller): Promise<RecordView> {
    return toView(await this.visible(type, id, caller));
  }

  /** Changes fields of a record the caller read at `expectedVersion`; 412 when it has moved on since. */
  async change(
    type: RecordType,
    id: string,
    changes: RecordChanges,
    expectedVersion: number,
    caller: Caller,
  ): Promise<RecordView> {
    return this.modify(type, id, caller, expectedVersion, async (manager, current, now) => {
      const next = applyChanges(current, changes, this.config.priorityMatrix);
      if (next.assignmentGroup !== current.assignmentGroup || next.assignee !== current.assignee) {
        await this.directory.check(manager, next.assignmentGroup, next.assignee);
      }
      if (next.parentId && next.parentId !== current.parentId)
        await this.checkParent(manager, next.parentId, caller);
      return this.writer.commit(manager, current, next, caller.username, now);
    });
  }

  /** Moves a record to another state; If-Match is optional here, the state machine guards the rest. */
  async transition(
    type: RecordType,
    id: string,
    request: TransitionRequest,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<RecordView> {
    return this.modify(type, id, caller, expectedVersion, async (manager, current, now) => {
      const next = applyTransition(current, request, now);
      if (request.assignmentGroup !== undefined || request.assignee !== undefined) {
        await this.directory.check(manager, next.assignmentGroup, next.assignee);
      }
      const journal: JournalDraft[] = request.reason
        ? [{ kind: 'comment', text: request.reason.trim(), author: caller.username }]
        : [];
      const stored = await this.writer.commit(
        manager,
        current,
        next,
        caller.username,
        now,
        journal,
      );
      if (request.resolveChildren !== false)
        await this.writer.resolveChildrenOf(manager, current, stored, caller.username, now);
      return stored;
    });
  }

  async addJournalEntry(
    type: RecordType,
    id: string,
    entry: { kind: JournalKind; text: string },
    caller: Caller,
  ): Promise<JournalEntryView> {
    if (entry.kind === 'work_note' && !hasPermission(caller.roles, `${type}:update`)) {
      throw new ProblemException(
        403,
        'forbidden',
        'Forbidden',
        'Work notes are written by those who work the record.',
      );
    }
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.lockVisible(manager, type, id, caller);
        const now = new Date();
        // A comment from anyone but the requester is the record's first response if none came before.
        const responded =
          current.firstResponseAt === null &&
          entry.kind === 'comment' &&
          caller.username !== current.requester;
        const draft = {
          id: randomUUID(),
          kind: entry.kind,
          text: entry.text.trim(),
          author: caller.username,
        };
        await this.writer.commit(
          manager,
          current,
          responded ? { ...current, firstResponseAt: now } : current,
          caller.username,
          now,
          [draft],
        );
        return { ...draft, at: now.toISOString() };
      }),
    );
  }

  async journal(
    type: RecordType,
    id: string,
    caller: Caller,
    page: { cursor?: string; limit: number; kind?: JournalKind },
  ): Promise<Page<JournalEntryView>> {
    await this.visible(type, id, caller);
    const readable: JournalKind[] = canReadWorkNotes(caller, type)
      ? ['work_note', 'comment']
      : ['comment'];
    const kinds = page.kind ? readable.filter((kind) => kind === page.kind) : readable;
    if (kinds.length === 0) return { items: [], nextCursor: null };
    const after = page.cursor
      ? decodeCursor(page.cursor, { at: 'instant', id: 'uuid' })
      : undefined;
    const rows = await this.records.listJournal(id, kinds, after, page.limit);
    return pageOf(rows, page.limit, journalView, (row) => ({
      at: row.at.toISOString(),
      id: row.id,
    }));
  }

  async history(
    type: RecordType,
    id: string,
    caller: Caller,
    page: { cursor?: string; limit: number },
  ): Promise<Page<HistoryEntryView>> {
    await this.visible(type, id, caller);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'integer' }).id : undefined;
    const rows = await this.records.listHistory(id, after, page.limit);
    return pageOf(rows, page.limit, historyView, (row) => ({ id: row.id }));
  }

  async list(type: RecordType, request: ListRequest, caller: Caller): Promise<Page<RecordView>> {
    const unknownStates = request.filter.states?.filter(
      (state) => !(STATES_OF[type] as readonly string[]).includes(state),
    );
    if (unknownStates?.length) {
      // A state of the other record type (or none at all) would only ever answer an empty list.
      throw new ValidationProblem([
        {
          field: 'state',
          message: `must be one of ${STATES_OF[type].join(', ')} (not ${unknownStates.join(', ')})`,
        },
      ]);
    }
    const filter: RecordFilter = {
      ...request.filter,
      type,
      searchesWorkNotes: canReadWorkNotes(caller, type),
      scope: recordScope(caller, type, this.policy),
    };
    const keys = RECORD_SORT_KEYS[request.sort.field];
    const rows = await this.records.list({
      filter,
      sort: request.sort,
      after: request.cursor
        ? decodeKeysetPosition(request.cursor, keys, SORT_KEY_KINDS)
        : undefined,
      limit: request.limit,
    });
    return pageOf(rows, request.limit, toView, (row) => ({
      ...Object.fromEntries(keys.map((key) => [key, sortValue(row, key)])),
      id: row.id,
    }));
  }

  /**
   * A parent the caller may not see is refused exactly as a missing one (and as one that
   * is not a major incident), so that linking cannot probe for incidents; only a parent
   * the caller sees is named, with its state, in the refusal.
   */
  private async checkParent(
    manager: EntityManager,
    parentId: string,
    caller: Caller,
  ): Promise<void> {
    const parent = await this.records.findById(parentId, manager);
    if (!parent || !this.sees(caller, 'incident', parent) || !parent.major) {
      throw new RuleViolation('parentId', 'must be a major incident');
    }
    if (isFinal(parent) || parent.state === 'resolved') {
      throw new RuleViolation(
        'parentId',
        `${parent.number} is ${parent.state}; link to an open major incident`,
      );
    }
  }

  private async modify(
    type: RecordType,
    id: string,
    caller: Caller,
    expectedVersion: number | undefined,
    work: (manager: EntityManager, current: ServiceRecord, now: Date) => Promise<ServiceRecord>,
  ): Promise<RecordView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.lockVisible(manager, type, id, caller);
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw new PreconditionFailedProblem(current.version);
        }
        return toView(await work(manager, current, new Date()));
      }),
    );
  }

  private async lockVisible(
    manager: EntityManager,
    type: RecordType,
    id: string,
    caller: Caller,
  ): Promise<ServiceRecord> {
    return this.seenOrNotFound(type, id, caller, await this.records.findForUpdate(manager, id));
  }

  private async visible(type: RecordType, id: string, caller: Caller): Promise<ServiceRecord> {
    return this.seenOrNotFound(type, id, caller, await this.records.findById(id));
  }

  /** A record of another type, or one the caller may not see, is answered as a missing one. */
  private seenOrNotFound(
    type: RecordType,
    id: string,
    caller: Caller,
    record: ServiceRecord | null,
  ): ServiceRecord {
    if (!record || !this.sees(caller, type, record)) throw new NotFoundProblem(LABEL[type], id);
    return record;
  }

  private sees(caller: Caller, type: RecordType, record: ServiceRecord): boolean {
    return record.type === type && canSeeRecord(caller, type, record, this.policy);
  }
}

/** What a list cursor holds for each sort key, so that a forged one is a 400. */
const SORT_KEY_KINDS: Record<RecordSortKey, CursorPart> = {
  openedAt: 'instant',
  updatedAt: 'instant',
  priority: 'text',
  number: 'text',
};

function sortValue(record: ServiceRecord, key: RecordSortKey): string {
  const value = record[key];
  return value instanceof Date ? value.toISOString() : value;
}
