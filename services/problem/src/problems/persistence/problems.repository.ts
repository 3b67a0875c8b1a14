import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { UNRESTRICTED, recordScopeCondition, type RecordScope } from '@itsm/auth';
import { qualifiedTable } from '@itsm/persistence';
import {
  HistoryEntryEntity,
  JournalEntryEntity,
  appendHistory,
  appendJournalEntry,
  historyPage,
  journalPage,
  type JournalKind,
} from '@itsm/platform';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { IncidentCopyEntity } from '../../incident-copies/persistence/incident-copy.entity';
import { type FieldChange } from '@itsm/domain';
import { OPEN_PROBLEM_STATES, type Problem } from '../domain/problem';
import { ProblemIncidentLinkEntity } from './problem-incident-link.entity';
import { ProblemEntity } from './problem.entity';

/** The language full-text search stems with; one platform-wide setting for now. */
export const SEARCH_LANGUAGE = 'english';

/** What each sort orders by, before the id that makes the order total (a keyset needs one). */
export const PROBLEM_SORT_KEYS = {
  openedAt: ['openedAt'],
  updatedAt: ['updatedAt'],
  priority: ['priority', 'openedAt'],
  number: ['number'],
} as const satisfies Record<string, readonly ProblemSortKey[]>;
export type ProblemSortKey = 'openedAt' | 'updatedAt' | 'priority' | 'number';
export type ProblemSortField = keyof typeof PROBLEM_SORT_KEYS;
export const PROBLEM_SORT_FIELDS = Object.keys(PROBLEM_SORT_KEYS) as ProblemSortField[];

export interface ProblemFilter {
  states?: string[];
  sources?: string[];
  priorities?: string[];
  assignmentGroups?: string[];
  assignee?: string;
  ciId?: string;
  businessServiceId?: string;
  category?: string;
  incidentId?: string;
  changeId?: string;
  /** Full-text query (web search syntax) over title, description, notes, workaround and journal. */
  text?: string;
  openedFrom?: Date;
  openedTo?: Date;
  scope: RecordScope;
}

export interface ProblemListRequest {
  filter: ProblemFilter;
  sort: { field: ProblemSortField; direction: 'ASC' | 'DESC' };
  after?: { values: string[]; id: string };
  limit: number;
}

const OWNERSHIP_COLUMNS = {
  requester: 'p.openedBy',
  assignee: 'p.assignee',
  assignmentGroup: 'p.assignmentGroup',
};

/** Named queries on problems, their incident links, journal and history; writes take the caller's transaction. */
@Injectable()
export class ProblemsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, problem: Problem): Promise<void> {
    await manager.insert(ProblemEntity, problem);
  }

  async save(manager: EntityManager, problem: Problem): Promise<void> {
    await manager.update(ProblemEntity, { id: problem.id }, problem);
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Problem | null> {
    return manager.getRepository(ProblemEntity).findOneBy({ id });
  }

  async findForUpdate(manager: EntityManager, id: string): Promise<Problem | null> {
    return manager
      .getRepository(ProblemEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The open problem a candidate rule opened for a key, if any. */
  async findOpenByCandidateKey(
    manager: EntityManager,
    candidateKey: string,
  ): Promise<Problem | null> {
    return manager
      .getRepository(ProblemEntity)
      .createQueryBuilder('p')
      .where('p.candidateKey = :candidateKey', { candidateKey })
      .andWhere('p.state IN (:...open)', { open: OPEN_PROBLEM_STATES })
      .orderBy('p.openedAt')
      .getOne();
  }

  async existsWithCandidateKey(manager: EntityManager, candidateKey: string): Promise<boolean> {
    return manager.getRepository(ProblemEntity).existsBy({ candidateKey });
  }

  /**
   * Serialises work on keys (the candidate rules' clusters) across replicas and partitions.
   * Takes the keys' locks in one order, whatever the order given, so two transactions that
   * each hold several never wait on each other in a cycle.
   */
  async lockKeys(manager: EntityManager, keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    // The subquery sorts; the outer projection then takes each lock in that order.
    await manager.query(
      `SELECT pg_advisory_xact_lock(lock_id)
         FROM (SELECT DISTINCT hashtextextended(key, 0) AS lock_id
                 FROM unnest($1::text[]) AS key ORDER BY lock_id) AS ordered`,
      [keys],
    );
  }

  async linksOf(
    manager: EntityManager,
    incidentIds: readonly string[],
  ): Promise<ProblemIncidentLinkEntity[]> {
    if (incidentIds.length === 0) return [];
    return manager
      .getRepository(ProblemIncidentLinkEntity)
      .createQueryBuilder('l')
      .setLock('pessimistic_write')
      .where('l.incidentId = ANY(:incidentIds)', { incidentIds })
      .getMany();
  }

  async linkedIncidentIds(manager: EntityManager, problemId: string): Promise<string[]> {
    const rows = await manager
      .getRepository(ProblemIncidentLinkEntity)
      .createQueryBuilder('l')
      .select('l.incidentId', 'incidentId')
      .where('l.problemId = :problemId', { problemId })
      .orderBy('l.incidentId')
      .getRawMany<{ incidentId: string }>();
    return rows.map((row) => row.incidentId);
  }

  /** Links the incidents to the problem; an incident linked elsewhere moves (one problem per incident). */
  async link(
    manager: EntityManager,
    problemId: string,
    incidentIds: readonly string[],
    actor: string,
    at: Date,
  ): Promise<void> {
    if (incidentIds.length === 0) return;
    await manager
      .createQueryBuilder()
      .insert()
      .into(ProblemIncidentLinkEntity)
      .values(
        incidentIds.map((incidentId) => ({ incidentId, problemId, linkedBy: actor, linkedAt: at })),
      )
      .orUpdate(['problem_id', 'linked_by', 'linked_at'], ['incident_id'])
      .execute();
  }

  async unlink(
    manager: EntityManager,
    problemId: string,
    incidentIds: readonly string[],
  ): Promise<void> {
    if (incidentIds.length === 0) return;
    await manager
      .createQueryBuilder()
      .delete()
      .from(ProblemIncidentLinkEntity)
      .where('problem_id = :problemId AND incident_id = ANY(:incidentIds)', {
        problemId,
        incidentIds,
      })
      .execute();
  }

  /** Keeps each problem's `incidentCount` equal to its links. */
  async countLinks(manager: EntityManager, problemId: string): Promise<number> {
    return manager.getRepository(ProblemIncidentLinkEntity).countBy({ problemId });
  }

  /** The linked incidents in the caller's scope (the incident rule, on the copy), by id. */
  async listLinkedIncidents(
    problemId: string,
    scope: RecordScope,
    afterId: string | undefined,
    limit: number,
  ): Promise<
    {
      id: string;
      number: string;
      title: string;
      state: string;
      linkedBy: string;
      linkedAt: string;
    }[]
  > {
    const query = this.dataSource
      .getRepository(ProblemIncidentLinkEntity)
      .createQueryBuilder('l')
      .innerJoin(IncidentCopyEntity, 'i', 'i.id = l.incidentId')
      .select(['i.id AS id', 'i.number AS number', 'i.title AS title', 'i.state AS state'])
      .addSelect('l.linkedBy', 'linkedBy')
      .addSelect('l.linkedAt', 'linkedAt')
      .where('l.problemId = :problemId', { problemId });
    const condition = recordScopeCondition(scope, {
      requester: 'i.requester',
      assignee: 'i.assignee',
      assignmentGroup: 'i.assignmentGroup',
    });
    if (condition !== UNRESTRICTED) query.andWhere(condition.sql, condition.parameters);
    if (afterId) query.andWhere('l.incidentId > :afterId', { afterId });
    const rows = await query
      .orderBy('l.incidentId')
      .limit(limit + 1)
      .getRawMany<{
        id: string;
        number: string;
        title: string;
        state: string;
        linkedBy: string;
        linkedAt: Date;
      }>();
    return rows.map((row) => ({ ...row, linkedAt: new Date(row.linkedAt).toISOString() }));
  }

  async countLinkedIncidentsIn(
    manager: EntityManager,
    problemId: string,
    states: readonly string[],
  ): Promise<number> {
    return manager
      .getRepository(ProblemIncidentLinkEntity)
      .createQueryBuilder('l')
      .innerJoin(IncidentCopyEntity, 'i', 'i.id = l.incidentId')
      .where('l.problemId = :problemId', { problemId })
      .andWhere('i.state IN (:...states)', { states })
      .getCount();
  }

  async setIncidentCount(
    manager: EntityManager,
    problemId: string,
    incidentCount: number,
  ): Promise<void> {
    await manager.update(ProblemEntity, { id: problemId }, { incidentCount });
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

  /** Rebuilds the problem's search document from its text fields and journal. */
  async refreshSearchDocument(manager: EntityManager, problemId: string): Promise<void> {
    const problems = qualifiedTable(manager.connection.getMetadata(ProblemEntity));
    const journal = qualifiedTable(manager.connection.getMetadata(JournalEntryEntity));
    await manager.query(
      `UPDATE ${problems} p SET search_document =
         setweight(to_tsvector($2::regconfig, p.number || ' ' || p.title), 'A') ||
         setweight(to_tsvector($2::regconfig, p.description), 'B') ||
         setweight(to_tsvector($2::regconfig, concat_ws(' ', p.cause_notes, p.fix_notes, p.workaround)), 'B') ||
         setweight(to_tsvector($2::regconfig, coalesce(
           (SELECT string_agg(j.text, ' ' ORDER BY j.at) FROM ${journal} j WHERE j.record_id = p.id), '')), 'C')
       WHERE p.id = $1`,
      [problemId, SEARCH_LANGUAGE],
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

  async list(request: ProblemListRequest): Promise<Problem[]> {
    const query = this.dataSource.getRepository(ProblemEntity).createQueryBuilder('p');
    applyFilter(query, request.filter);
    const { field, direction } = request.sort;
    const columns = [...PROBLEM_SORT_KEYS[field].map((key) => `p.${key}`), 'p.id'];
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

function applyFilter(query: SelectQueryBuilder<ProblemEntity>, filter: ProblemFilter): void {
  query.where('TRUE');
  if (filter.states?.length) query.andWhere('p.state IN (:...states)', { states: filter.states });
  if (filter.sources?.length)
    query.andWhere('p.source IN (:...sources)', { sources: filter.sources });
  if (filter.priorities?.length) {
    query.andWhere('p.priority IN (:...priorities)', { priorities: filter.priorities });
  }
  if (filter.assignmentGroups?.length) {
    query.andWhere('p.assignmentGroup IN (:...groups)', { groups: filter.assignmentGroups });
  }
  if (filter.assignee) query.andWhere('p.assignee = :assignee', { assignee: filter.assignee });
  if (filter.category) query.andWhere('p.category = :category', { category: filter.category });
  if (filter.businessServiceId) {
    query.andWhere('p.businessServiceId = :businessServiceId', {
      businessServiceId: filter.businessServiceId,
    });
  }
  if (filter.ciId) query.andWhere('p.ciIds @> ARRAY[:ciId]::uuid[]', { ciId: filter.ciId });
  if (filter.changeId) {
    query.andWhere('p.changeIds @> ARRAY[:changeId]::uuid[]', { changeId: filter.changeId });
  }
  if (filter.incidentId) {
    const links = qualifiedTable(query.connection.getMetadata(ProblemIncidentLinkEntity));
    query.andWhere(`p.id IN (SELECT problem_id FROM ${links} WHERE incident_id = :incidentId)`, {
      incidentId: filter.incidentId,
    });
  }
  if (filter.openedFrom)
    query.andWhere('p.openedAt >= :openedFrom', { openedFrom: filter.openedFrom });
  if (filter.openedTo) query.andWhere('p.openedAt < :openedTo', { openedTo: filter.openedTo });
  if (filter.text) {
    query.andWhere(
      `p.searchDocument @@ websearch_to_tsquery(:searchLanguage::regconfig, :searchText)`,
      { searchLanguage: SEARCH_LANGUAGE, searchText: filter.text },
    );
  }
  const condition = recordScopeCondition(filter.scope, OWNERSHIP_COLUMNS);
  if (condition !== UNRESTRICTED) query.andWhere(condition.sql, condition.parameters);
}
