import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  canReadWorkNotes,
  canSeeRecord,
  hasPermission,
  recordScope,
  type Caller,
  type RecordAccessPolicy,
} from '@itsm/auth';
import { PROBLEM_STATES } from '@itsm/contracts';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  RECORD_ACCESS_POLICY,
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
  answeringDomainErrors,
  type JournalKind,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { IncidentCopiesRepository } from '../../incident-copies/persistence/incident-copies.repository';
import { ProblemTaskWriter } from '../../tasks/application/problem-task-writer';
import { PROBLEM_CONFIG, type ProblemConfig } from '../../config/problem.config';
import { isFinal, openProblem, ownership, type NewProblem, type Problem } from '../domain/problem';
import { applyProblemChanges, type ProblemChanges } from '../domain/problem-changes';
import { RuleViolation } from '@itsm/domain';
import {
  applyProblemTransition,
  openProblemTransitions,
  type OpenProblemTransition,
  type ProblemTransitionRequest,
} from '../domain/problem-state-machine';
import {
  PROBLEM_SORT_KEYS,
  ProblemsRepository,
  type ProblemFilter,
  type ProblemSortField,
  type ProblemSortKey,
} from '../persistence/problems.repository';
import { nextSequenceValue } from '@itsm/persistence';
import { ProblemLinks } from './problem-links';
import { ProblemWriter, type JournalDraft } from './problem-writer';
import { toView, type ProblemView } from './problem-view';

export interface ProblemListRequest {
  filter: Omit<ProblemFilter, 'scope'>;
  sort: { field: ProblemSortField; direction: 'ASC' | 'DESC' };
  cursor?: string;
  limit: number;
}

/** A new problem as the API takes it: by hand, or from an incident whose fields it copies. */
export type ProblemDraft = Partial<
  Omit<NewProblem, 'openedBy' | 'source' | 'candidateKey' | 'candidateReason'>
> & {
  source?: 'manual' | 'major_incident';
  fromIncidentId?: string;
};

/** The use cases on problems: open, read, change, move through the states, journal, history, list. */
@Injectable()
export class ProblemsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly problems: ProblemsRepository,
    private readonly writer: ProblemWriter,
    private readonly links: ProblemLinks,
    private readonly incidents: IncidentCopiesRepository,
    private readonly tasks: ProblemTaskWriter,
    @Inject(PROBLEM_CONFIG) private readonly config: ProblemConfig,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  /**
   * Opens a problem. From an incident (`fromIncidentId`) it copies the incident's
   * classification, service, CIs, impact and urgency (fields given win) and links it.
   */
  async open(draft: ProblemDraft, caller: Caller): Promise<ProblemView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const { fromIncidentId, ...fields } = draft;
        const incident = fromIncidentId
          ? await this.incidents.findById(fromIncidentId, manager)
          : null;
        if (
          fromIncidentId &&
          (!incident || !canSeeRecord(caller, 'incident', incident, this.policy))
        ) {
          throw new RuleViolation(
            'fromIncidentId',
            'is not an incident known to problem management (a just-opened incident is known within moments)',
          );
        }
        const input: NewProblem = {
          title: fields.title ?? incident?.title ?? '',
          description: fields.description ?? incident?.description ?? '',
          category: fields.category !== undefined ? fields.category : (incident?.category ?? null),
          subcategory:
            fields.subcategory !== undefined ? fields.subcategory : (incident?.subcategory ?? null),
          businessServiceId:
            fields.businessServiceId !== undefined
              ? fields.businessServiceId
              : (incident?.businessServiceId ?? null),
          ciIds: fields.ciIds ?? incident?.ciIds ?? [],
          impact: (fields.impact ?? incident?.impact ?? 3) as NewProblem['impact'],
          urgency: (fields.urgency ?? incident?.urgency ?? 3) as NewProblem['urgency'],
          priority: fields.priority,
          priorityOverrideReason: fields.priorityOverrideReason,
          assignmentGroup: fields.assignmentGroup,
          assignee: fields.assignee,
          workaround: fields.workaround,
          source: fields.source ?? (incident ? 'incident' : 'manual'),
          openedBy: caller.username,
        };
        if (!input.title.trim()) throw new RuleViolation('title', 'is required');
        const sequence = await nextSequenceValue(manager, 'problem_number_seq');
        const problem = openProblem(
          input,
          { id: randomUUID(), sequence },
          new Date(),
          this.config.priorityMatrix,
        );
        await this.writer.create(manager, problem, caller.username);
        if (!incident) return toView(problem);
        const linked = await this.links.linkIncidents(
          manager,
          problem,
          [incident],
          caller.username,
          problem.openedAt,
        );
        return toView(linked);
      }),
    );
  }

  /** A problem the caller may not see is answered as not found, so its existence does not leak. */
  async get(id: string, caller: Caller): Promise<ProblemView> {
    return toView(await this.visible(id, caller));
  }

  /** The steps open to the caller from the problem's state, with the fields each needs. */
  async openTransitions(
    id: string,
    caller: Caller,
  ): Promise<{ id: string; state: Problem['state']; transitions: OpenProblemTransition[] }> {
    const problem = await this.visible(id, caller);
    const transitions = openProblemTransitions(problem, {
      mayReanalyseClosed: hasPermission(caller.roles, 'problem:manage'),
    });
    return { id: problem.id, state: problem.state, transitions };
  }

  async change(
    id: string,
    changes: ProblemChanges,
    expectedVersion: number,
    caller: Caller,
  ): Promise<ProblemView> {
    return this.modify(id, caller, expectedVersion, (manager, current, now) =>
      this.writer.commit(
        manager,
        current,
        applyProblemChanges(current, changes, this.config.priorityMatrix),
        caller.username,
        now,
      ),
    );
  }

  /**
   * Moves a problem to another state. Closing it as a duplicate moves its incidents and
   * tasks to the original; closing or cancelling it cancels its open tasks.
   */
  async transition(
    id: string,
    request: ProblemTransitionRequest,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<ProblemView> {
    return this.modify(id, caller, expectedVersion, async (manager, current, now) => {
      const next = applyProblemTransition(
        current,
        request,
        {
          username: caller.username,
          mayReanalyseClosed: hasPermission(caller.roles, 'problem:manage'),
        },
        now,
      );
      const original =
        next.duplicateOfId && next.duplicateOfId !== current.duplicateOfId
          ? await this.originalOf(manager, next.duplicateOfId, caller)
          : undefined;
      const journal: JournalDraft[] = request.reason
        ? [{ kind: 'work_note', text: request.reason.trim(), author: caller.username }]
        : [];
      const stored = await this.writer.commit(
        manager,
        current,
        next,
        caller.username,
        now,
        journal,
      );
      if (original) {
        await this.links.moveIncidents(manager, stored, original, caller.username, now);
        await this.tasks.moveAll(manager, stored.id, original.id, caller.username, now);
      }
      if (isFinal(stored) && !isFinal(current)) {
        await this.tasks.cancelOpen(manager, stored, caller.username, now);
      }
      return stored;
    });
  }

  async addJournalEntry(
    id: string,
    entry: { kind: JournalKind; text: string },
    caller: Caller,
  ): Promise<JournalEntryView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.lockVisible(manager, id, caller);
        const now = new Date();
        const draft = {
          id: randomUUID(),
          kind: entry.kind,
          text: entry.text.trim(),
          author: caller.username,
        };
        await this.writer.commit(manager, current, current, caller.username, now, [draft]);
        return { ...draft, at: now.toISOString() };
      }),
    );
  }

  async journal(
    id: string,
    caller: Caller,
    page: { cursor?: string; limit: number; kind?: JournalKind },
  ): Promise<Page<JournalEntryView>> {
    await this.visible(id, caller);
    const readable: JournalKind[] = canReadWorkNotes(caller, 'problem')
      ? ['work_note', 'comment']
      : ['comment'];
    const kinds = page.kind ? readable.filter((kind) => kind === page.kind) : readable;
    if (kinds.length === 0) return { items: [], nextCursor: null };
    const after = page.cursor
      ? decodeCursor(page.cursor, { at: 'instant', id: 'uuid' })
      : undefined;
    const rows = await this.problems.listJournal(id, kinds, after, page.limit);
    return pageOf(rows, page.limit, journalView, (row) => ({
      at: row.at.toISOString(),
      id: row.id,
    }));
  }

  async history(
    id: string,
    caller: Caller,
    page: { cursor?: string; limit: number },
  ): Promise<Page<HistoryEntryView>> {
    await this.visible(id, caller);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'integer' }).id : undefined;
    const rows = await this.problems.listHistory(id, after, page.limit);
    return pageOf(rows, page.limit, historyView, (row) => ({ id: row.id }));
  }

  async list(request: ProblemListRequest, caller: Caller): Promise<Page<ProblemView>> {
    const unknownStates = request.filter.states?.filter(
      (state) => !(PROBLEM_STATES as readonly string[]).includes(state),
    );
    if (unknownStates?.length) {
      throw new ValidationProblem([
        {
          field: 'state',
          message: `must be one of ${PROBLEM_STATES.join(', ')} (not ${unknownStates.join(', ')})`,
        },
      ]);
    }
    const keys = PROBLEM_SORT_KEYS[request.sort.field];
    const rows = await this.problems.list({
      filter: { ...request.filter, scope: recordScope(caller, 'problem', this.policy) },
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

  /** The problem a duplicate points to: one the caller sees, neither final nor itself a duplicate. */
  private async originalOf(manager: EntityManager, id: string, caller: Caller): Promise<Problem> {
    const original = await this.problems.findForUpdate(manager, id);
    if (!original || !this.sees(caller, original)) {
      throw new RuleViolation('duplicateOfId', 'is not a problem you can see');
    }
    if (isFinal(original)) {
      throw new RuleViolation(
        'duplicateOfId',
        `${original.number} is ${original.state}; mark a duplicate of an open problem`,
      );
    }
    return original;
  }

  private async modify(
    id: string,
    caller: Caller,
    expectedVersion: number | undefined,
    work: (manager: EntityManager, current: Problem, now: Date) => Promise<Problem>,
  ): Promise<ProblemView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.lockVisible(manager, id, caller);
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw new PreconditionFailedProblem(current.version);
        }
        return toView(await work(manager, current, new Date()));
      }),
    );
  }

  async lockVisible(manager: EntityManager, id: string, caller: Caller): Promise<Problem> {
    return this.seenOrNotFound(id, caller, await this.problems.findForUpdate(manager, id));
  }

  async visible(id: string, caller: Caller): Promise<Problem> {
    return this.seenOrNotFound(id, caller, await this.problems.findById(id));
  }

  private seenOrNotFound(id: string, caller: Caller, problem: Problem | null): Problem {
    if (!problem || !this.sees(caller, problem)) throw new NotFoundProblem('Problem', id);
    return problem;
  }

  private sees(caller: Caller, problem: Problem): boolean {
    return canSeeRecord(caller, 'problem', ownership(problem), this.policy);
  }
}

const SORT_KEY_KINDS: Record<ProblemSortKey, CursorPart> = {
  openedAt: 'instant',
  updatedAt: 'instant',
  priority: 'text',
  number: 'text',
};

function sortValue(problem: Problem, key: ProblemSortKey): string {
  const value = problem[key];
  return value instanceof Date ? value.toISOString() : value;
}
