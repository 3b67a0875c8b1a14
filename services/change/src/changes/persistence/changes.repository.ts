import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type ChangeExternalRef } from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import {
  HistoryEntryEntity,
  JournalEntryEntity,
  appendHistory,
  appendJournalEntry,
  historyPage,
  journalPage,
  type JournalKind,
} from '@itsm/platform';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { CANCELLABLE_STATES, OPEN_CHANGE_STATES, type Change } from '../domain/change';
import { ChangeEntity } from './change.entity';

/**
 * The document full-text search matches, exactly as the `IX_changes_search` expression
 * index is built (a query only uses the index when it repeats the expression).
 */
export const CHANGE_SEARCH_DOCUMENT = `(setweight(to_tsvector('english'::regconfig, title), 'A') || setweight(to_tsvector('english'::regconfig, description || ' ' || coalesce(justification, '') || ' ' || coalesce(implementation_plan, '')), 'B'))`;

/** What each sort orders by, before the id that makes the order total (a keyset needs one). */
export const CHANGE_SORT_KEYS = {
  openedAt: ['openedAt'],
  updatedAt: ['updatedAt'],
  plannedStart: ['plannedStart'],
  number: ['number'],
} as const satisfies Record<string, readonly ChangeSortKey[]>;
export type ChangeSortKey = 'openedAt' | 'updatedAt' | 'plannedStart' | 'number';
export type ChangeSortField = keyof typeof CHANGE_SORT_KEYS;
export const CHANGE_SORT_FIELDS = Object.keys(CHANGE_SORT_KEYS) as ChangeSortField[];

export interface ChangeFilter {
  states?: string[];
  models?: string[];
  risks?: string[];
  assignmentGroups?: string[];
  assignee?: string;
  ciId?: string;
  businessServiceId?: string;
  problemId?: string;
  incidentId?: string;
  onHold?: boolean;
  unauthorized?: boolean;
  /** Changes whose planned window overlaps [from, to). */
  from?: Date;
  to?: Date;
  /** Full-text query (web search syntax) over title, description, justification and implementation plan. */
  text?: string;
}

export interface ChangeListRequest {
  filter: ChangeFilter;
  sort: { field: ChangeSortField; direction: 'ASC' | 'DESC' };
  after?: { values: (string | null)[]; id: string };
  limit: number;
}

/** What the schedule and conflict detection read of a change: a month's schedule reads thousands. */
export const SCHEDULED_CHANGE_FIELDS = [
  'id',
  'number',
  'title',
  'state',
  'model',
  'risk',
  'plannedStart',
  'plannedEnd',
  'ciIds',
  'businessServiceIds',
  'assignmentGroup',
  'assignee',
  'onHold',
  'blackoutOverrideReason',
] as const satisfies readonly (keyof Change)[];

export type ScheduledChange = Pick<Change, (typeof SCHEDULED_CHANGE_FIELDS)[number]>;

/** Named queries on changes, their journal and history; writes take the caller's transaction. */
@Injectable()
export class ChangesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, change: Change): Promise<void> {
    await manager.insert(ChangeEntity, change);
  }

  async save(manager: EntityManager, change: Change): Promise<void> {
    await manager.update(ChangeEntity, { id: change.id }, change);
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Change | null> {
    return manager.getRepository(ChangeEntity).findOneBy({ id });
  }

  async findByIds(ids: readonly string[]): Promise<Change[]> {
    if (ids.length === 0) return [];
    return this.dataSource.getRepository(ChangeEntity).findBy({ id: In([...ids]) });
  }

  async findForUpdate(manager: EntityManager, id: string): Promise<Change | null> {
    return manager
      .getRepository(ChangeEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The change a pipeline run opened for an environment (the commit does not identify it). */
  async findByExternalRef(
    manager: EntityManager,
    ref: Omit<ChangeExternalRef, 'commit'>,
  ): Promise<Change | null> {
    return manager
      .getRepository(ChangeEntity)
      .createQueryBuilder('c')
      .where(
        `c.external_ref->>'provider' = :provider AND c.external_ref->>'pipeline' = :pipeline
         AND c.external_ref->>'run' = :run AND c.external_ref->>'environment' = :environment`,
        ref,
      )
      .getOne();
  }

  /** Open changes whose planned window overlaps [from, to), optionally only those on some CIs. */
  async findOpenOverlapping(
    manager: EntityManager,
    window: { from: Date; to: Date },
    options: { ciIds?: readonly string[]; excludeId?: string } = {},
  ): Promise<ScheduledChange[]> {
    const query = manager
      .getRepository(ChangeEntity)
      .createQueryBuilder('c')
      .select(SCHEDULED_CHANGE_FIELDS.map((field) => `c.${field}`))
      .where('c.state IN (:...open)', { open: OPEN_CHANGE_STATES })
      .andWhere('c.plannedStart IS NOT NULL')
      .andWhere(`tstzrange(c.planned_start, c.planned_end) && tstzrange(:from, :to)`, window);
    if (options.ciIds) query.andWhere('c.ciIds && :ciIds::uuid[]', { ciIds: options.ciIds });
    if (options.excludeId) query.andWhere('c.id <> :excludeId', { excludeId: options.excludeId });
    return query.orderBy('c.plannedStart').addOrderBy('c.id').getMany();
  }

  /**
   * The changes not yet implemented and not on hold that a scope may cover, locked for the
   * caller's transaction: those on its CIs or services; with classes in the scope, every one
   * on some CI or service (which of them a class covers is the CMDB's to say); every one when
   * it names nothing.
   */
  async lockUnheldInFlight(
    manager: EntityManager,
    scope: {
      ciIds: readonly string[];
      businessServiceIds: readonly string[];
      ciClasses: readonly string[];
    },
  ): Promise<Change[]> {
    const query = manager
      .getRepository(ChangeEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.state IN (:...states)', { states: CANCELLABLE_STATES })
      .andWhere('c.onHold = false');
    const wholeEstate =
      scope.ciIds.length === 0 &&
      scope.businessServiceIds.length === 0 &&
      scope.ciClasses.length === 0;
    if (!wholeEstate && scope.ciClasses.length > 0) {
      query.andWhere('(cardinality(c.ciIds) > 0 OR cardinality(c.businessServiceIds) > 0)');
    } else if (!wholeEstate) {
      query.andWhere('(c.ciIds && :ciIds::uuid[] OR c.businessServiceIds && :serviceIds::uuid[])', {
        ciIds: scope.ciIds,
        serviceIds: scope.businessServiceIds,
      });
    }
    return query.orderBy('c.number').getMany();
  }

  /** The changes a freeze holds, locked for the caller's transaction. */
  async lockHeldBy(manager: EntityManager, windowId: string): Promise<Change[]> {
    return manager
      .getRepository(ChangeEntity)
      .createQueryBuilder('c')
      .setLock('pessimistic_write')
      .where('c.heldByWindowId = :windowId', { windowId })
      .orderBy('c.number')
      .getMany();
  }

  async appendHistory(
    manager: EntityManager,
    recordId: string,
    changes: readonly FieldChange[],
    actor: string,
    at: Date,
  ): Promise<void> {
    await appendHistory(manager, recordId, changes, actor, at);
  }

  async appendJournal(manager: EntityManager, entry: JournalEntryEntity): Promise<void> {
    await appendJournalEntry(manager, entry);
  }

  async listJournal(
    recordId: string,
    kinds: readonly JournalKind[],
    after: { at: string; id: string } | undefined,
    limit: number,
  ): Promise<JournalEntryEntity[]> {
    return journalPage(this.dataSource.manager, recordId, kinds, after, limit);
  }

  async listHistory(
    recordId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<HistoryEntryEntity[]> {
    return historyPage(this.dataSource.manager, recordId, afterId, limit);
  }

  async list(request: ChangeListRequest): Promise<Change[]> {
    const query = this.dataSource.getRepository(ChangeEntity).createQueryBuilder('c');
    applyFilter(query, request.filter);
    const direction = request.sort.direction;
    const columns = [...CHANGE_SORT_KEYS[request.sort.field], 'id'].map((key) => `c.${key}`);
    if (request.after) {
      const comparison = direction === 'DESC' ? '<' : '>';
      const values = [...request.after.values, request.after.id];
      query.andWhere(
        `(${columns.join(', ')}) ${comparison} (${values.map((_, index) => `:after${index}`).join(', ')})`,
        Object.fromEntries(values.map((value, index) => [`after${index}`, value])),
      );
    }
    for (const column of columns) query.addOrderBy(column, direction);
    return query.limit(request.limit + 1).getMany();
  }
}

function applyFilter(query: SelectQueryBuilder<ChangeEntity>, filter: ChangeFilter): void {
  query.where('TRUE');
  if (filter.states?.length) query.andWhere('c.state IN (:...states)', { states: filter.states });
  if (filter.models?.length) query.andWhere('c.model IN (:...models)', { models: filter.models });
  if (filter.risks?.length) query.andWhere('c.risk IN (:...risks)', { risks: filter.risks });
  if (filter.assignmentGroups?.length) {
    query.andWhere('c.assignmentGroup IN (:...groups)', { groups: filter.assignmentGroups });
  }
  if (filter.assignee) query.andWhere('c.assignee = :assignee', { assignee: filter.assignee });
  if (filter.ciId) query.andWhere('c.ciIds @> ARRAY[:ciId]::uuid[]', { ciId: filter.ciId });
  if (filter.businessServiceId) {
    query.andWhere('c.businessServiceIds @> ARRAY[:serviceId]::uuid[]', {
      serviceId: filter.businessServiceId,
    });
  }
  if (filter.problemId) {
    query.andWhere('c.problemIds @> ARRAY[:problemId]::uuid[]', { problemId: filter.problemId });
  }
  if (filter.incidentId) {
    query.andWhere(
      '(c.incidentIds @> ARRAY[:incidentId]::uuid[] OR c.causedIncidentIds @> ARRAY[:incidentId]::uuid[])',
      { incidentId: filter.incidentId },
    );
  }
  if (filter.onHold !== undefined) query.andWhere('c.onHold = :onHold', { onHold: filter.onHold });
  if (filter.unauthorized !== undefined) {
    query.andWhere('c.unauthorized = :unauthorized', { unauthorized: filter.unauthorized });
  }
  if (filter.from || filter.to) {
    query.andWhere('c.plannedStart IS NOT NULL');
    query.andWhere(`tstzrange(c.planned_start, c.planned_end) && tstzrange(:from, :to)`, {
      from: filter.from ?? null,
      to: filter.to ?? null,
    });
  }
  if (filter.text) {
    query.andWhere(
      `${CHANGE_SEARCH_DOCUMENT} @@ websearch_to_tsquery('english'::regconfig, :searchText)`,
      {
        searchText: filter.text,
      },
    );
  }
}
