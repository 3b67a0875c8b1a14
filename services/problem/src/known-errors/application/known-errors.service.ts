import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canSeeRecord, type Caller, type RecordAccessPolicy } from '@itsm/auth';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  RECORD_ACCESS_POLICY,
  ValidationProblem,
  decodeCursor,
  pageOf,
  type Page,
  historyView,
  type HistoryEntryView,
  answeringDomainErrors,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { ownership } from '../../problems/domain/problem';
import {
  applyKnownErrorChanges,
  recordKnownError,
  type KnownError,
  type KnownErrorChanges,
  type NewKnownError,
} from '../domain/known-error';
import { RuleViolation } from '@itsm/domain';
import {
  parseRank,
  type KnownErrorSearch,
  type SearchPosition,
  searchText,
} from '../domain/known-error-search';
import { MAX_OFFER_LIMIT } from '../domain/known-error-offers';
import { selfHelpWorkarounds, type SelfHelpWorkaround } from '../domain/self-help-workarounds';
import { KnownErrorsRepository, type SearchRow } from '../persistence/known-errors.repository';
import { KnownErrorWriter } from './known-error-writer';
import { toSnapshot, type KnownErrorHit, type KnownErrorView } from './known-error-view';

/** The use cases on known errors: record, read, change, search, and each one's history. */
@Injectable()
export class KnownErrorsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly knownErrors: KnownErrorsRepository,
    private readonly writer: KnownErrorWriter,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  async create(input: Omit<NewKnownError, 'createdBy'>, caller: Caller): Promise<KnownErrorView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        if (input.problemId) await this.checkProblem(manager, input.problemId, caller);
        const sequence = await this.knownErrors.nextSequence(manager);
        const knownError = recordKnownError(
          { ...input, createdBy: caller.username },
          { id: randomUUID(), sequence },
          new Date(),
        );
        await this.writer.create(manager, knownError, caller.username);
        return toSnapshot(knownError);
      }),
    );
  }

  async get(id: string): Promise<KnownErrorView> {
    return toSnapshot(await this.existing(id));
  }

  /** Changes fields of a known error the caller read at `expectedRevision`; 412 when it has moved on since. */
  async change(
    id: string,
    changes: KnownErrorChanges,
    expectedRevision: number,
    caller: Caller,
  ): Promise<KnownErrorView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.knownErrors.findForUpdate(manager, id);
        if (!current) throw new NotFoundProblem('Known error', id);
        if (current.revision !== expectedRevision) {
          throw new PreconditionFailedProblem(current.revision);
        }
        const next = applyKnownErrorChanges(current, changes);
        if (next.problemId && next.problemId !== current.problemId) {
          await this.checkProblem(manager, next.problemId, caller);
        }
        const stored = await this.writer.commit(
          manager,
          current,
          next,
          caller.username,
          new Date(),
        );
        return toSnapshot(stored);
      }),
    );
  }

  async history(
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<HistoryEntryView>> {
    await this.existing(id);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'integer' }).id : undefined;
    const rows = await this.knownErrors.listHistory(id, after, page.limit);
    return pageOf(rows, page.limit, historyView, (row) => ({ id: row.id }));
  }

  /**
   * The search: filters combine; with a text query, ranked best first and each item with
   * its `rank`; without, newest first. Both keyset-paged, the ranked one by (rank, created, id).
   */
  async search(
    search: KnownErrorSearch,
    page: { cursor?: string; limit: number },
  ): Promise<Page<KnownErrorHit>> {
    const ranked = search.text !== undefined;
    const after = page.cursor ? positionAfter(page.cursor, ranked) : undefined;
    const rows = await this.knownErrors.search(search, after, page.limit, new Date());
    return pageOf(
      rows,
      page.limit,
      (row: SearchRow): KnownErrorHit =>
        row.rank === undefined
          ? toSnapshot(row.knownError)
          : { ...toSnapshot(row.knownError), rank: row.rank },
      (row: SearchRow) => ({
        ...(row.rank === undefined ? {} : { rank: String(row.rank) }),
        createdAt: row.knownError.createdAt.toISOString(),
        id: row.knownError.id,
      }),
    );
  }

  /**
   * The self-help answer: the best matches for what a requester typed that have a workaround.
   * Read from the most a search page holds, as known errors without one are left out after.
   */
  async workaroundsFor(q: string, limit: number): Promise<SelfHelpWorkaround[]> {
    const text = searchText(q);
    if (text === undefined) return [];
    const rows = await this.knownErrors.search(
      { text, includeExpired: false },
      undefined,
      MAX_OFFER_LIMIT,
      new Date(),
    );
    return selfHelpWorkarounds(
      rows.map((row) => row.knownError),
      limit,
    );
  }

  private async existing(id: string): Promise<KnownError> {
    const knownError = await this.knownErrors.findById(id);
    if (!knownError) throw new NotFoundProblem('Known error', id);
    return knownError;
  }

  /**
   * A problem id must name a problem (in any state) the caller may see; one they may not
   * is refused exactly as a missing one, so that recording cannot probe for problems.
   */
  private async checkProblem(
    manager: EntityManager,
    problemId: string,
    caller: Caller,
  ): Promise<void> {
    const problem = await this.knownErrors.findProblem(manager, problemId);
    if (!problem || !canSeeRecord(caller, 'problem', ownership(problem), this.policy)) {
      throw new RuleViolation('problemId', `names no problem (${problemId})`);
    }
  }
}

/** The last item of the previous page, as its cursor holds it; a cursor of another list is a 400. */
function positionAfter(cursor: string, ranked: boolean): SearchPosition {
  if (!ranked) {
    const position = decodeCursor(cursor, { createdAt: 'instant', id: 'uuid' });
    return { ranked: false, createdAt: position.createdAt, id: position.id };
  }
  const position = decodeCursor(cursor, { rank: 'text', createdAt: 'instant', id: 'uuid' });
  const rank = parseRank(position.rank);
  if (rank === undefined) {
    throw new ValidationProblem([
      { field: 'cursor', message: 'is not a cursor this list returned' },
    ]);
  }
  return { ranked: true, rank, createdAt: position.createdAt, id: position.id };
}
