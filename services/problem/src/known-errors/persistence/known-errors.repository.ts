import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { nextSequenceValue, qualifiedTable } from '@itsm/persistence';
import { DataSource, type EntityManager } from 'typeorm';
import { type FieldChange } from '@itsm/domain';
import { ProblemEntity } from '../../problems/persistence/problem.entity';
import { HistoryEntryEntity, appendHistory, historyPage } from '@itsm/platform';
import { type KnownError } from '../domain/known-error';
import { OFFER_WEIGHTS, type MatchEvidence } from '../domain/known-error-offers';
import { type KnownErrorSearch, type SearchPosition } from '../domain/known-error-search';
import { KnownErrorEntity } from './known-error.entity';

/** The language full-text search stems with; the platform's one setting (as for incidents). */
export const SEARCH_LANGUAGE = 'english';

/**
 * The search document of the known error aliased `k`, weighted: what a desk agent types
 * first (title, symptom, error code) counts most, then workaround and root cause, then
 * the solution.
 */
const SEARCH_DOCUMENT_SQL = `
  setweight(to_tsvector($2::regconfig, k.title), 'A') ||
  setweight(to_tsvector($2::regconfig, k.symptom), 'A') ||
  setweight(to_tsvector($2::regconfig, coalesce(k.error_code, '')), 'A') ||
  setweight(to_tsvector($2::regconfig, coalesce(k.workaround, '')), 'B') ||
  setweight(to_tsvector($2::regconfig, coalesce(k.root_cause, '')), 'B') ||
  setweight(to_tsvector($2::regconfig, coalesce(k.solution, '')), 'C')`;

/** `ts_rank` normalisation 32: rank / (rank + 1), in [0, 1). */
const NORMALISED = 32;

export interface SearchRow {
  knownError: KnownError;
  /** With a text query: its rank (`ts_rank`, as a double). */
  rank?: number;
}

export interface OfferRow {
  knownError: KnownError;
  evidence: MatchEvidence;
}

/** What an incident is matched on. */
export interface OfferCriteria {
  ciIds: readonly string[];
  category: string | null;
  /** `websearch_to_tsquery` text any of whose words matches, or null for no text match. */
  anyWord: string | null;
  now: Date;
  limit: number;
}

/** Named queries on known errors and their history; every write takes the caller's transaction. */
@Injectable()
export class KnownErrorsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The next number, from its sequence: monotonic and never reused, even after a rollback. */
  async nextSequence(manager: EntityManager): Promise<number> {
    return nextSequenceValue(manager, 'known_error_number_seq');
  }

  async insert(manager: EntityManager, knownError: KnownError): Promise<void> {
    await manager.insert(KnownErrorEntity, knownError);
    await this.refreshSearchDocument(manager, knownError.id);
  }

  /** Stores a new version; the search document is rebuilt when a searched field changed. */
  async save(
    manager: EntityManager,
    knownError: KnownError,
    searchChanged: boolean,
  ): Promise<void> {
    await manager.update(KnownErrorEntity, { id: knownError.id }, knownError);
    if (searchChanged) await this.refreshSearchDocument(manager, knownError.id);
  }

  async findById(
    id: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<KnownError | null> {
    return manager.getRepository(KnownErrorEntity).findOneBy({ id });
  }

  /** Locks the row for the rest of the caller's transaction, so concurrent changes queue rather than race. */
  async findForUpdate(manager: EntityManager, id: string): Promise<KnownError | null> {
    return manager
      .getRepository(KnownErrorEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** The problem of that id (any state), with what the record-level rule reads of it. */
  async findProblem(
    manager: EntityManager,
    problemId: string,
  ): Promise<Pick<ProblemEntity, 'openedBy' | 'assignee' | 'assignmentGroup'> | null> {
    return manager.getRepository(ProblemEntity).findOne({
      where: { id: problemId },
      select: { id: true, openedBy: true, assignee: true, assignmentGroup: true },
    });
  }

  /** One entry per field set or changed, in the record history problems and tasks share. */
  async appendHistory(
    manager: EntityManager,
    recordId: string,
    changes: readonly FieldChange[],
    actor: string,
    at: Date,
  ): Promise<void> {
    await appendHistory(manager, recordId, changes, actor, at);
  }

  async listHistory(
    recordId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<HistoryEntryEntity[]> {
    return historyPage(this.dataSource.manager, recordId, afterId, limit);
  }

  /**
   * One page of the search (limit + 1 rows: the extra one says another page exists). With
   * a text query, ranked (`ts_rank` on the stored document, then newest first); without,
   * newest first.
   */
  async search(
    search: KnownErrorSearch,
    after: SearchPosition | undefined,
    limit: number,
    now: Date,
  ): Promise<SearchRow[]> {
    const query = this.dataSource.getRepository(KnownErrorEntity).createQueryBuilder('k');
    query.where('TRUE');
    if (search.ciId) query.andWhere('k.ciIds @> ARRAY[:ciId]::uuid[]', { ciId: search.ciId });
    if (search.ciClass) query.andWhere('k.ciClass = :ciClass', { ciClass: search.ciClass });
    if (search.errorCode) {
      query.andWhere('lower(k.errorCode) = lower(:errorCode)', { errorCode: search.errorCode });
    }
    if (search.category) query.andWhere('k.category = :category', { category: search.category });
    if (search.problemId) {
      query.andWhere('k.problemId = :problemId', { problemId: search.problemId });
    }
    if (!search.includeExpired) {
      query.andWhere('(k.validUntil IS NULL OR k.validUntil > :now)', { now });
    }
    if (search.text === undefined) {
      if (after && !after.ranked) {
        query.andWhere('(k.createdAt, k.id) < (:afterCreatedAt, :afterId)', {
          afterCreatedAt: after.createdAt,
          afterId: after.id,
        });
      }
      const rows = await query
        .orderBy('k.createdAt', 'DESC')
        .addOrderBy('k.id', 'DESC')
        .limit(limit + 1)
        .getMany();
      return rows.map((knownError) => ({ knownError }));
    }
    const rank = `ts_rank(k.searchDocument, websearch_to_tsquery(:language::regconfig, :searchQuery))::float8`;
    query
      .setParameters({ language: SEARCH_LANGUAGE, searchQuery: search.text })
      .andWhere('k.searchDocument @@ websearch_to_tsquery(:language::regconfig, :searchQuery)')
      .addSelect(rank, 'rank');
    if (after?.ranked) {
      query.andWhere(
        `(${rank}, k.createdAt, k.id) < (:afterRank::float8, :afterCreatedAt, :afterId)`,
        { afterRank: after.rank, afterCreatedAt: after.createdAt, afterId: after.id },
      );
    }
    const { entities, raw } = await query
      .orderBy(rank, 'DESC')
      .addOrderBy('k.createdAt', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .limit(limit + 1)
      .getRawAndEntities<{ rank: number }>();
    return entities.map((knownError, index) => ({
      knownError,
      rank: Number(raw[index]?.rank ?? 0),
    }));
  }

  /**
   * The valid known errors that share a CI with an incident, are of its category or match
   * any of its words, best first ({@link OFFER_WEIGHTS}), then newest first.
   */
  async offers(criteria: OfferCriteria): Promise<OfferRow[]> {
    const sharedCis = `cardinality(ARRAY(SELECT unnest(k.ci_ids) INTERSECT SELECT unnest(:ciIds::uuid[])))`;
    const sameCategory = `(:category::text IS NOT NULL AND k.category = :category::text)`;
    const textRank = `CASE WHEN :anyWord::text IS NULL THEN 0
      ELSE ts_rank(k.searchDocument, websearch_to_tsquery(:language::regconfig, :anyWord::text), ${NORMALISED}) END::float8`;
    const score = `(CASE WHEN k.ciIds && :ciIds::uuid[] THEN ${OFFER_WEIGHTS.ci} ELSE 0 END
      + CASE WHEN ${sameCategory} THEN ${OFFER_WEIGHTS.category} ELSE 0 END
      + ${textRank})`;
    const query = this.dataSource
      .getRepository(KnownErrorEntity)
      .createQueryBuilder('k')
      .setParameters({
        ciIds: criteria.ciIds,
        category: criteria.category,
        anyWord: criteria.anyWord,
        language: SEARCH_LANGUAGE,
        now: criteria.now,
      })
      .addSelect(sharedCis, 'shared_cis')
      .addSelect(sameCategory, 'same_category')
      .addSelect(textRank, 'text_rank')
      .where('(k.validUntil IS NULL OR k.validUntil > :now)')
      .andWhere(
        `(k.ciIds && :ciIds::uuid[] OR ${sameCategory}
          OR (:anyWord::text IS NOT NULL
              AND k.searchDocument @@ websearch_to_tsquery(:language::regconfig, :anyWord::text)))`,
      )
      .orderBy(score, 'DESC')
      .addOrderBy('k.createdAt', 'DESC')
      .addOrderBy('k.id', 'DESC')
      .limit(criteria.limit);
    const { entities, raw } = await query.getRawAndEntities<{
      shared_cis: number;
      same_category: boolean;
      text_rank: number;
    }>();
    return entities.map((knownError, index) => {
      const row = raw[index];
      return {
        knownError,
        evidence: {
          sharedCis: Number(row?.shared_cis ?? 0),
          sameCategory: row?.same_category === true,
          textRank: Number(row?.text_rank ?? 0),
        },
      };
    });
  }

  /** Rebuilds the known error's search document from its searched fields. */
  private async refreshSearchDocument(manager: EntityManager, id: string): Promise<void> {
    const table = qualifiedTable(manager.connection.getMetadata(KnownErrorEntity));
    await manager.query(
      `UPDATE ${table} k SET search_document = ${SEARCH_DOCUMENT_SQL} WHERE k.id = $1`,
      [id, SEARCH_LANGUAGE],
    );
  }
}
