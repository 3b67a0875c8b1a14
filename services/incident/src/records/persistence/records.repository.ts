import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type RecordType } from '@itsm/contracts';
import { UNRESTRICTED, recordScopeCondition, type RecordScope } from '@itsm/auth';
import {
  NEW_ROW,
  StatementParameters,
  insertRowsSql,
  qualifiedTable,
  quotedServiceSchema,
  selectColumnsSql,
  updateRowSql,
} from '@itsm/persistence';
import {
  HistoryEntryEntity,
  JournalEntryEntity,
  appendJournalEntry,
  historyInsertSql,
  historyPage,
  journalInsertSql,
  journalPage,
  type JournalKind,
} from '@itsm/platform';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { type FieldChange, type ServiceRecord } from '../domain/service-record';
import { RecordEntity } from './record.entity';

/** The language full-text search stems with; one platform-wide setting for now. */
export const SEARCH_LANGUAGE = 'english';

/**
 * What each sort orders by, in this order, before the id that makes the order total (a
 * keyset needs one). Within a priority, by age: `priority` lists the oldest P1 first, as
 * a queue is worked; and the `(priority, opened_at, id)` index serves the page, where
 * priority and id alone would sort every record of the first priority to find it.
 */
export const RECORD_SORT_KEYS = {
  openedAt: ['openedAt'],
  updatedAt: ['updatedAt'],
  priority: ['priority', 'openedAt'],
  number: ['number'],
} as const satisfies Record<string, readonly RecordSortKey[]>;
export type RecordSortKey = 'openedAt' | 'updatedAt' | 'priority' | 'number';
export type RecordSortField = keyof typeof RECORD_SORT_KEYS;
export const RECORD_SORT_FIELDS = Object.keys(RECORD_SORT_KEYS) as RecordSortField[];

/** Every filter a service desk list takes; each present one narrows the list. */
export interface RecordFilter {
  type: RecordType;
  states?: string[];
  priorities?: string[];
  assignmentGroups?: string[];
  assignee?: string;
  unassigned?: boolean;
  requester?: string;
  businessServiceId?: string;
  ciId?: string;
  category?: string;
  subcategory?: string;
  catalogItem?: string;
  source?: string;
  major?: boolean;
  parentId?: string;
  problemId?: string;
  externalRef?: string;
  tags?: string[];
  minEscalationLevel?: number;
  openedFrom?: Date;
  openedTo?: Date;
  updatedFrom?: Date;
  updatedTo?: Date;
  /** Full-text query (web search syntax) over title, description and journal. */
  text?: string;
  /**
   * Whether `text` also matches work notes: only for callers who may read them. Otherwise
   * it matches title, description and comments alone, so a search cannot reveal what an
   * internal note says.
   */
  searchesWorkNotes?: boolean;
  /** What the caller may see (the record-level rule): a read by id answers the same records. */
  scope: RecordScope;
}

export interface RecordListRequest {
  filter: RecordFilter;
  sort: { field: RecordSortField; direction: 'ASC' | 'DESC' };
  /** The last row of the previous page: its values of the sort's keys, in order, and its id. */
  after?: { values: string[]; id: string };
  limit: number;
}

const SEQUENCES: Record<RecordType, string> = {
  incident: 'incident_number_seq',
  request: 'request_number_seq',
};

/** Named queries on records, their journal and history; every write takes the caller's transaction. */
@Injectable()
export class RecordsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The next number of a type, from its sequence: monotonic and never reused, even after a rollback. */
  async nextSequence(manager: EntityManager, type: RecordType): Promise<number> {
    const schema = quotedServiceSchema(manager.connection);
    const [row] = await manager.query<{ value: number }[]>(
      `SELECT nextval($1::regclass)::int AS value`,
      [`${schema}.${SEQUENCES[type]}`],
    );
    if (!row) throw new Error(`the ${type} number sequence returned nothing`);
    return row.value;
  }

  /**
   * The writes that open a record, as data-modifying CTEs of one statement (the outbox
   * appends its events to it): the record with its search document, one history entry per
   * field set and the journal entries it opens with (all dated `record.openedAt`).
   */
  openingWrites(
    connection: DataSource,
    parameters: StatementParameters,
    record: ServiceRecord,
    fields: readonly FieldChange[],
    actor: string,
    journal: readonly JournalEntryEntity[],
  ): string[] {
    const journalText = parameters.add(journal.map((entry) => entry.text).join(' '));
    return namedWrites({
      new_record: insertRowsSql(connection.getMetadata(RecordEntity), [record], parameters, {
        search_document: searchDocumentSql(NEW_ROW, parameters.add(SEARCH_LANGUAGE), journalText),
      }),
      new_history: historyInsertSql(
        connection,
        parameters,
        record.id,
        fields,
        actor,
        record.openedAt,
      ),
      new_journal: journalInsertSql(connection, parameters, journal),
    });
  }

  /**
   * The writes of a record's next version, as data-modifying CTEs of one statement (the
   * outbox appends its events to it): the record, one history entry per change and the
   * journal entries added with it (dated `at`); the search document is rebuilt when
   * `searchChanged` (a searched field or the journal changed).
   */
  changeWrites(
    connection: DataSource,
    parameters: StatementParameters,
    record: ServiceRecord,
    changes: readonly FieldChange[],
    actor: string,
    at: Date,
    journal: readonly JournalEntryEntity[],
    searchChanged: boolean,
  ): string[] {
    const search: Record<string, string> = {};
    if (searchChanged) {
      const journalTable = qualifiedTable(connection.getMetadata(JournalEntryEntity));
      // The statement's own journal rows are not visible to it: their text is a parameter.
      const journalText = `concat_ws(' ', (SELECT string_agg(j.text, ' ' ORDER BY j.at) FROM ${journalTable} j
              WHERE j.record_id = ${NEW_ROW}.id), ${parameters.add(journal.map((entry) => entry.text).join(' '))}::text)`;
      search.search_document = searchDocumentSql(
        NEW_ROW,
        parameters.add(SEARCH_LANGUAGE),
        journalText,
      );
    }
    return namedWrites({
      changed_record: updateRowSql(
        connection.getMetadata(RecordEntity),
        record,
        parameters,
        search,
      ),
      new_history: historyInsertSql(connection, parameters, record.id, changes, actor, at),
      new_journal: journalInsertSql(connection, parameters, journal),
    });
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<ServiceRecord | null> {
    return this.findOne(manager, id, '');
  }

  /** Locks the rows for the rest of the caller's transaction, so concurrent changes queue rather than race. */
  async findForUpdate(manager: EntityManager, id: string): Promise<ServiceRecord | null> {
    return this.findOne(manager, id, 'FOR UPDATE');
  }

  async findManyForUpdate(
    manager: EntityManager,
    ids: readonly string[],
  ): Promise<ServiceRecord[]> {
    if (ids.length === 0) return [];
    return this.lockedQuery(manager).where('r.id IN (:...ids)', { ids }).orderBy('r.id').getMany();
  }

  async findChildrenForUpdate(manager: EntityManager, parentId: string): Promise<ServiceRecord[]> {
    return this.lockedQuery(manager)
      .where('r.parentId = :parentId', { parentId })
      .orderBy('r.id')
      .getMany();
  }

  async findAwaitingChangeForUpdate(
    manager: EntityManager,
    changeId: string,
  ): Promise<ServiceRecord[]> {
    return this.lockedQuery(manager)
      .where('r.awaitingChangeId = :changeId', { changeId })
      .andWhere(`r.state = 'on_hold'`)
      .orderBy('r.id')
      .getMany();
  }

  /** The incidents linked to a problem, whatever their state, locked, in id order. */
  async findLinkedToProblemForUpdate(
    manager: EntityManager,
    problemId: string,
  ): Promise<ServiceRecord[]> {
    return this.lockedQuery(manager)
      .where('r.problemId = :problemId', { problemId })
      .andWhere(`r.type = 'incident'`)
      .orderBy('r.id')
      .getMany();
  }

  /** The most recent record raised for an external reference (an alert fingerprint), locked. */
  async findLatestByExternalRefForUpdate(
    manager: EntityManager,
    externalRef: string,
  ): Promise<ServiceRecord | null> {
    return this.lockedQuery(manager)
      .where('r.externalRef = :externalRef', { externalRef })
      .orderBy('r.openedAt', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .getOne();
  }

  /**
   * Resolved incidents and fulfilled requests due to close, locked and skipped by other
   * replicas doing the same, so each is closed once.
   */
  async claimDueForClosing(
    manager: EntityManager,
    resolvedBefore: Date,
    limit: number,
  ): Promise<ServiceRecord[]> {
    return manager
      .getRepository(RecordEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .where(`r.state IN ('resolved', 'fulfilled')`)
      .andWhere('r.resolvedAt <= :resolvedBefore', { resolvedBefore })
      .orderBy('r.resolvedAt')
      .limit(limit)
      .getMany();
  }

  /** Serialises work on one external reference (e.g. two deliveries of one alert at once). */
  async lockExternalRef(manager: EntityManager, externalRef: string): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
      `external-ref:${externalRef}`,
    ]);
  }

  async appendJournal(manager: EntityManager, entry: JournalEntryEntity): Promise<void> {
    await appendJournalEntry(manager, entry);
  }

  /** Rebuilds the record's search document from its title, description and journal. */
  async refreshSearchDocument(manager: EntityManager, recordId: string): Promise<void> {
    const records = qualifiedTable(manager.connection.getMetadata(RecordEntity));
    const journal = qualifiedTable(manager.connection.getMetadata(JournalEntryEntity));
    await manager.query(
      `UPDATE ${records} r SET search_document = ${searchDocumentSql('r', '$2', journalTextSql(journal, 'every entry'))}
       WHERE r.id = $1`,
      [recordId, SEARCH_LANGUAGE],
    );
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

  /** One page of a filtered, sorted list (limit + 1 rows: the extra one says another page exists). */
  async list(request: RecordListRequest): Promise<ServiceRecord[]> {
    // Read as plain rows under the property names: TypeORM's entity mapping of a page of
    // rows cost more CPU than the page's SQL.
    const [sql, parameters] = this.listQuery(request).getQueryAndParameters();
    return this.dataSource.query<ServiceRecord[]>(sql, parameters);
  }

  /** The list's SQL, for the benchmark's query plans. */
  listQuery(request: RecordListRequest): SelectQueryBuilder<RecordEntity> {
    const query = this.dataSource
      .getRepository(RecordEntity)
      .createQueryBuilder('r')
      .select(selectColumnsSql(this.dataSource.getMetadata(RecordEntity), 'r'));
    applyFilter(query, request.filter);
    const { field, direction } = request.sort;
    const columns = [...RECORD_SORT_KEYS[field].map((key) => `r.${key}`), 'r.id'];
    if (request.after) {
      const comparison = direction === 'DESC' ? '<' : '>';
      const values = [...request.after.values, request.after.id];
      query.andWhere(
        `(${columns.join(', ')}) ${comparison} (${values.map((_, index) => `:after${index}`).join(', ')})`,
        Object.fromEntries(values.map((value, index) => [`after${index}`, value])),
      );
    }
    for (const column of columns) query.addOrderBy(column, direction);
    return query.limit(request.limit + 1);
  }

  /** A plain statement mapped by node-postgres alone: reads by id are the hottest queries there are. */
  private async findOne(
    manager: EntityManager,
    id: string,
    lock: 'FOR UPDATE' | '',
  ): Promise<ServiceRecord | null> {
    const metadata = manager.connection.getMetadata(RecordEntity);
    const [record] = await manager.query<ServiceRecord[]>(
      `SELECT ${selectColumnsSql(metadata, 'r')} FROM ${qualifiedTable(metadata)} r WHERE r.id = $1 ${lock}`,
      [id],
    );
    return record ?? null;
  }

  private lockedQuery(manager: EntityManager): SelectQueryBuilder<RecordEntity> {
    return manager.getRepository(RecordEntity).createQueryBuilder('r').setLock('pessimistic_write');
  }
}

/** `name AS (statement)` for each write there is. */
function namedWrites(writes: Record<string, string | null>): string[] {
  return Object.entries(writes)
    .filter((write): write is [string, string] => write[1] !== null)
    .map(([name, sql]) => `${name} AS (${sql})`);
}

/**
 * The search document of the record aliased `row`: title (weight A), description (B) and
 * the text of its journal (C), stemmed in `language` (a placeholder). One definition for
 * the stored document, the one computed on the fly and a new record's.
 */
function searchDocumentSql(row: string, language: string, journalText: string): string {
  return `setweight(to_tsvector(${language}::regconfig, ${row}.title), 'A') ||
         setweight(to_tsvector(${language}::regconfig, ${row}.description), 'B') ||
         setweight(to_tsvector(${language}::regconfig, coalesce(${journalText}, '')), 'C')`;
}

/** The journal text of the record aliased `r`, every entry or the comments only, oldest first. */
function journalTextSql(journal: string, entries: 'every entry' | 'comments only'): string {
  const kinds = entries === 'comments only' ? ` AND j.kind = 'comment'` : '';
  return `(SELECT string_agg(j.text, ' ' ORDER BY j.at) FROM ${journal} j
            WHERE j.record_id = r.id${kinds})`;
}

function applyFilter(query: SelectQueryBuilder<RecordEntity>, filter: RecordFilter): void {
  query.where('r.type = :type', { type: filter.type });
  const equal: [keyof RecordFilter, string][] = [
    ['assignee', 'assignee'],
    ['requester', 'requester'],
    ['businessServiceId', 'businessServiceId'],
    ['category', 'category'],
    ['subcategory', 'subcategory'],
    ['catalogItem', 'catalogItem'],
    ['source', 'source'],
    ['major', 'major'],
    ['parentId', 'parentId'],
    ['problemId', 'problemId'],
    ['externalRef', 'externalRef'],
  ];
  for (const [name, property] of equal) {
    if (filter[name] !== undefined)
      query.andWhere(`r.${property} = :${name}`, { [name]: filter[name] });
  }
  if (filter.states?.length) query.andWhere('r.state IN (:...states)', { states: filter.states });
  if (filter.priorities?.length) {
    query.andWhere('r.priority IN (:...priorities)', { priorities: filter.priorities });
  }
  if (filter.assignmentGroups?.length) {
    query.andWhere('r.assignmentGroup IN (:...groups)', { groups: filter.assignmentGroups });
  }
  if (filter.unassigned !== undefined) {
    query.andWhere(filter.unassigned ? 'r.assignee IS NULL' : 'r.assignee IS NOT NULL');
  }
  if (filter.ciId) query.andWhere('r.ciIds @> ARRAY[:ciId]::uuid[]', { ciId: filter.ciId });
  if (filter.tags?.length)
    query.andWhere('r.tags @> ARRAY[:...tags]::text[]', { tags: filter.tags });
  if (filter.minEscalationLevel !== undefined) {
    query.andWhere('r.escalationLevel >= :minEscalationLevel', {
      minEscalationLevel: filter.minEscalationLevel,
    });
  }
  if (filter.openedFrom)
    query.andWhere('r.openedAt >= :openedFrom', { openedFrom: filter.openedFrom });
  if (filter.openedTo) query.andWhere('r.openedAt < :openedTo', { openedTo: filter.openedTo });
  if (filter.updatedFrom)
    query.andWhere('r.updatedAt >= :updatedFrom', { updatedFrom: filter.updatedFrom });
  if (filter.updatedTo) query.andWhere('r.updatedAt < :updatedTo', { updatedTo: filter.updatedTo });
  if (filter.text) {
    // Work notes are in the stored document; for those who may not read them the document
    // is computed from the rest on the fly. Such callers only ever list the records they
    // requested, are assigned or their groups hold, so it is computed for those rows alone
    // (PostgreSQL evaluates the cheaper visibility condition first).
    const journal = qualifiedTable(query.connection.getMetadata(JournalEntryEntity));
    const document = filter.searchesWorkNotes
      ? 'r.searchDocument'
      : `(${searchDocumentSql('r', ':searchLanguage', journalTextSql(journal, 'comments only'))})`;
    query.andWhere(`${document} @@ websearch_to_tsquery(:searchLanguage::regconfig, :searchText)`, {
      searchLanguage: SEARCH_LANGUAGE,
      searchText: filter.text,
    });
  }
  applyScope(query, filter.scope);
}

function applyScope(query: SelectQueryBuilder<RecordEntity>, scope: RecordScope): void {
  if (scope.kind === 'restricted' && scope.groups.length === 0 && !scope.unassigned) {
    // A caller in no group (a requester) sees few records, spread over years: their ids
    // from the requester and assignee indexes, sorted, beat walking every record newest
    // first until a page matches, by ten times at a million incidents
    // (docs/benchmarks-incident.md). The same records as the rule's condition below.
    const records = qualifiedTable(query.connection.getMetadata(RecordEntity));
    query.andWhere(
      `r.id IN (SELECT id FROM ${records} WHERE requester = :viewer
                UNION ALL SELECT id FROM ${records} WHERE assignee = :viewer)`,
      { viewer: scope.username },
    );
    return;
  }
  // Anyone else's scope may hold most records: the condition, checked row by row.
  const condition = recordScopeCondition(scope, {
    requester: 'r.requester',
    assignee: 'r.assignee',
    assignmentGroup: 'r.assignmentGroup',
  });
  if (condition !== UNRESTRICTED) query.andWhere(condition.sql, condition.parameters);
}
