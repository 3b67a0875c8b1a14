import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { hasPermission, type Caller } from '@itsm/auth';
import { EventTypes, type ChangeExternalRef } from '@itsm/contracts';
import { RecordConflict, RuleViolation, StepForbidden, sameValue } from '@itsm/domain';
import { nextSequenceValue } from '@itsm/persistence';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  answeringDomainErrors,
  decodeCursor,
  decodeKeysetPosition,
  historyView,
  journalView,
  pageOf,
  type CursorPart,
  type HistoryEntryView,
  type JournalEntryView,
  type JournalKind,
  type Page,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { ApprovalRequests } from '../../approvals/application/approval-requests';
import { ScheduleReader, type ConflictCheck } from '../../conflicts/application/schedule-reader';
import { toConflictV1 } from '../../conflicts/domain/change-conflicts';
import { RiskAssessor, type RiskContext } from '../../risk/application/risk-assessor';
import { ChangeTaskWriter } from '../../tasks/application/change-task-writer';
import { PublishedTemplates } from '../../templates/application/published-templates';
import { standardChangeInput } from '../../templates/domain/standard-change';
import { CANCELLABLE_STATES, openChange, type Change, type NewChange } from '../domain/change';
import { applyChangeChanges, type ChangeChanges } from '../domain/change-changes';
import {
  applyChangeTransition,
  type ChangeTransitionRequest,
  openChangeTransitions,
  type OpenChangeTransition,
} from '../domain/change-state-machine';
import {
  CHANGE_SORT_KEYS,
  ChangesRepository,
  type ChangeFilter,
  type ChangeSortField,
  type ChangeSortKey,
} from '../persistence/changes.repository';
import { ChangeWriter, type JournalDraft } from './change-writer';
import { toView, type ChangeView } from './change-view';

export interface ChangeListRequest {
  filter: ChangeFilter;
  sort: { field: ChangeSortField; direction: 'ASC' | 'DESC' };
  cursor?: string;
  limit: number;
}

/** A new change as the API takes it (instants as ISO 8601 text). */
export type ChangeDraft = Partial<
  Omit<NewChange, 'requestedBy' | 'plannedStart' | 'plannedEnd' | 'externalRef' | 'unauthorized'>
> & {
  plannedStart?: string;
  plannedEnd?: string;
  externalRef?: Omit<ChangeExternalRef, 'commit'> & { commit?: string | null };
};

/** Instants arrive as ISO 8601 text (validated and read as UTC by the DTOs). */
export type WithInstants<T, K extends keyof T> = Omit<T, K> & {
  [P in K]?: string | (null extends T[P] ? null : never);
};

/** A change opened, or the one an earlier call with the same pipeline reference opened. */
export interface Opened {
  change: ChangeView;
  created: boolean;
}

function instant(value: string | null | undefined): Date | null | undefined {
  return value === undefined ? undefined : value === null ? null : new Date(value);
}

/**
 * The use cases on changes: raise, read, change, move through the model's states,
 * journal, history, list. Every caller with `change:read` reads every change: the
 * schedule and conflict detection are only useful when they are whole (docs/changes.md).
 */
@Injectable()
export class ChangesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly changes: ChangesRepository,
    private readonly writer: ChangeWriter,
    private readonly approvals: ApprovalRequests,
    private readonly risk: RiskAssessor,
    private readonly templates: PublishedTemplates,
    private readonly tasks: ChangeTaskWriter,
    private readonly schedule: ScheduleReader,
  ) {}

  /**
   * Raises a change. With a pipeline reference (`externalRef`) it is idempotent: the same
   * provider, pipeline, run and environment find the change raised the first time.
   */
  async open(draft: ChangeDraft, caller: Caller): Promise<Opened> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        if (!draft.externalRef && !hasPermission(caller.roles, 'change:write')) {
          throw new StepForbidden(
            'Raising a change without an externalRef needs change:write; a pipeline raises the change of its run.',
          );
        }
        if (draft.externalRef) {
          await lockKey(manager, externalRefKey(draft.externalRef));
          const existing = await this.changes.findByExternalRef(manager, draft.externalRef);
          if (existing) return { change: toView(existing), created: false };
        }
        const templateId = draft.templateId ?? null;
        const model = draft.model ?? (templateId ? 'standard' : 'normal');
        if ((model === 'standard') !== (templateId !== null)) {
          throw new RuleViolation(
            'templateId',
            model === 'standard'
              ? 'is required: a standard change is opened from a published template'
              : `is only for a standard change (a ${model} change has no template)`,
          );
        }
        const { title, ...given } = {
          ...draft,
          model,
          plannedStart: instant(draft.plannedStart),
          plannedEnd: instant(draft.plannedEnd),
          externalRef: draft.externalRef
            ? { ...draft.externalRef, commit: draft.externalRef.commit ?? null }
            : null,
          requestedBy: caller.username,
        };
        // A standard change takes its template's fixed fields, risk and tasks.
        const template = templateId ? await this.templates.forNewChange(manager, templateId) : null;
        const input: NewChange = template
          ? standardChangeInput(template, { ...given, title })
          : { ...given, title: title ?? '' };
        const sequence = await nextSequenceValue(manager, 'change_number_seq');
        const now = new Date();
        const opened = openChange(input, { id: randomUUID(), sequence }, now);
        const check = await this.scheduleChecked(manager, null, opened);
        const riskContext: RiskContext = {
          ...(template && {
            template: {
              id: template.templateId,
              name: template.name,
              version: template.version,
              risk: template.risk,
            },
          }),
          ...scheduleFacts(check),
        };
        const change = {
          ...opened,
          ...(await this.risk.assess(manager, opened, now, riskContext)),
        };
        await this.writer.create(manager, change, caller.username);
        await this.announceConflicts(manager, change, check);
        if (template) {
          await this.tasks.createFromTemplate(
            manager,
            change,
            template.tasks,
            caller.username,
            now,
          );
        }
        return { change: toView(change), created: true };
      }),
    );
  }

  async get(id: string): Promise<ChangeView> {
    return toView(await this.found(id));
  }

  /** The steps open from the change's state as things stand, with the fields each needs. */
  async openTransitions(
    id: string,
  ): Promise<{ id: string; state: Change['state']; transitions: OpenChangeTransition[] }> {
    const change = await this.found(id);
    return { id: change.id, state: change.state, transitions: openChangeTransitions(change) };
  }

  async change(
    id: string,
    changes: WithInstants<ChangeChanges, 'plannedStart' | 'plannedEnd'>,
    expectedVersion: number,
    caller: Caller,
  ): Promise<ChangeView> {
    const { plannedStart, plannedEnd, ...rest } = changes;
    const parsed: ChangeChanges = {
      ...rest,
      plannedStart: instant(plannedStart),
      plannedEnd: instant(plannedEnd),
    };
    return this.modify(id, expectedVersion, async (manager, current, now) => {
      const changed = applyChangeChanges(current, parsed);
      await this.windowChecked(manager, current, changed);
      const check = await this.scheduleChecked(manager, current, changed);
      const next = await this.reassessed(manager, current, changed, now, check);
      const stored = await this.writer.commit(manager, current, next, caller.username, now);
      await this.announceConflicts(manager, stored, check);
      return stored;
    });
  }

  async transition(
    id: string,
    request: WithInstants<
      ChangeTransitionRequest,
      'plannedStart' | 'plannedEnd' | 'actualStart' | 'actualEnd'
    >,
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<ChangeView> {
    const parsed: ChangeTransitionRequest = {
      ...request,
      plannedStart: instant(request.plannedStart) ?? undefined,
      plannedEnd: instant(request.plannedEnd) ?? undefined,
      actualStart: instant(request.actualStart) ?? undefined,
      actualEnd: instant(request.actualEnd) ?? undefined,
    };
    return this.modify(id, expectedVersion, async (manager, current, now) => {
      const stepped = applyChangeTransition(current, parsed, caller.username, now);
      await this.windowChecked(manager, current, stepped);
      const check = await this.scheduleChecked(manager, current, stepped);
      // Authorisation is asked for with the risk as it stands now (lead time shrinks as days pass).
      const next =
        stepped.state === 'authorize' && current.state !== 'authorize'
          ? await this.approvals.request(
              manager,
              {
                ...stepped,
                ...(await this.risk.assess(
                  manager,
                  stepped,
                  now,
                  await this.riskContextOf(stepped, check),
                )),
              },
              now,
            )
          : await this.reassessed(manager, current, stepped, now, check);
      const journal: JournalDraft[] = request.reason?.trim()
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
      await this.announceConflicts(manager, stored, check);
      // A change entering review gets its review task; a cancelled one takes its open tasks with it.
      if (stored.state === 'review' && current.state !== 'review') {
        await this.tasks.createReviewTask(manager, stored, caller.username, now);
      }
      if (stored.state === 'cancelled' && current.state !== 'cancelled') {
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
        const current = await this.lockFound(manager, id);
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
    page: { cursor?: string; limit: number; kind?: JournalKind },
  ): Promise<Page<JournalEntryView>> {
    await this.found(id);
    const kinds: JournalKind[] = page.kind ? [page.kind] : ['work_note', 'comment'];
    const after = page.cursor
      ? decodeCursor(page.cursor, { at: 'instant', id: 'uuid' })
      : undefined;
    const rows = await this.changes.listJournal(id, kinds, after, page.limit);
    return pageOf(rows, page.limit, journalView, (row) => ({
      at: row.at.toISOString(),
      id: row.id,
    }));
  }

  async history(
    id: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<HistoryEntryView>> {
    await this.found(id);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'integer' }).id : undefined;
    const rows = await this.changes.listHistory(id, after, page.limit);
    return pageOf(rows, page.limit, historyView, (row) => ({ id: row.id }));
  }

  async list(request: ChangeListRequest): Promise<Page<ChangeView>> {
    const keys = CHANGE_SORT_KEYS[request.sort.field];
    const rows = await this.changes.list({
      filter: request.filter,
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
   * The change with its risk computed again when a fact the risk reads moved, until it is
   * implemented: after that the risk it was authorised at is history. `check`: the schedule
   * just checked for it, whose maintenance-window fact the risk reads (null: not checked).
   */
  private async reassessed(
    manager: EntityManager,
    before: Change,
    after: Change,
    now: Date,
    check: ConflictCheck | null,
  ): Promise<Change> {
    if (!CANCELLABLE_STATES.includes(after.state)) return after;
    const moved = RISK_FACTS.some((field) => !sameValue(before[field], after[field]));
    if (!moved) return after;
    return {
      ...after,
      ...(await this.risk.assess(manager, after, now, await this.riskContextOf(after, check))),
    };
  }

  /** A planned window that moves must still hold the change's open tasks (400 naming them otherwise). */
  private async windowChecked(
    manager: EntityManager,
    before: Change,
    after: Change,
  ): Promise<void> {
    const moved =
      !sameValue(before.plannedStart, after.plannedStart) ||
      !sameValue(before.plannedEnd, after.plannedEnd);
    if (moved) await this.tasks.assertWindowHoldsTasks(manager, after);
  }

  /**
   * Conflict detection when a change is planned, or its CIs, dates or assignee change, or
   * it moves on towards implementation: a blackout or a freeze refuses it (unless it is an
   * emergency change with an override reason); the other conflicts are announced for the
   * change manager and the CAB to weigh. Null when nothing the schedule reads moved.
   */
  private async scheduleChecked(
    manager: EntityManager,
    before: Change | null,
    after: Change,
  ): Promise<ConflictCheck | null> {
    const advancing =
      before !== null && after.state !== before.state && ADVANCING_STATES.includes(after.state);
    const moved =
      before === null || PLAN_FACTS.some((field) => !sameValue(before[field], after[field]));
    if (!advancing && !moved) return null;
    const check = await this.schedule.conflictsOf(manager, after);
    const refused = check.conflicts.filter((conflict) => conflict.refused);
    if (refused.length > 0) {
      throw new RecordConflict(
        `${after.number} cannot be planned there: ${refused.map((conflict) => conflict.message).join(' ')}`,
        'SCHEDULE_REFUSED',
      );
    }
    return check;
  }

  private async announceConflicts(
    manager: EntityManager,
    change: Change,
    check: ConflictCheck | null,
  ): Promise<void> {
    if (!check || check.conflicts.length === 0) return;
    await this.writer.announce(manager, change, EventTypes.change.conflictsDetected, {
      conflicts: check.conflicts.map(toConflictV1),
    });
  }

  /** A standard change's risk starts from its template's; the schedule just checked says where it lies. */
  private async riskContextOf(change: Change, check: ConflictCheck | null): Promise<RiskContext> {
    const facts = scheduleFacts(check);
    if (change.model !== 'standard' || !change.templateId || change.templateVersion === null) {
      return facts;
    }
    return {
      ...facts,
      template: await this.templates.riskOf(change.templateId, change.templateVersion),
    };
  }

  /** Runs a change of one change record under its row lock, checking the expected version. */
  async modify(
    id: string,
    expectedVersion: number | undefined,
    work: (manager: EntityManager, current: Change, now: Date) => Promise<Change>,
  ): Promise<ChangeView> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const current = await this.lockFound(manager, id);
        if (expectedVersion !== undefined && current.version !== expectedVersion) {
          throw new PreconditionFailedProblem(current.version);
        }
        return toView(await work(manager, current, new Date()));
      }),
    );
  }

  async lockFound(manager: EntityManager, id: string): Promise<Change> {
    const change = await this.changes.findForUpdate(manager, id);
    if (!change) throw new NotFoundProblem('Change', id);
    return change;
  }

  async found(id: string): Promise<Change> {
    const change = await this.changes.findById(id);
    if (!change) throw new NotFoundProblem('Change', id);
    return change;
  }
}

/** What the schedule reads of a change: a change of one of them checks its conflicts again. */
const PLAN_FACTS = [
  'model',
  'plannedStart',
  'plannedEnd',
  'ciIds',
  'businessServiceIds',
  'assignee',
  'blackoutOverrideReason',
] as const satisfies (keyof Change)[];

/** Steps towards implementation: the schedule is checked again before each. */
const ADVANCING_STATES: readonly Change['state'][] = ['authorize', 'scheduled', 'implement'];

/** What the risk reads of a schedule check just made; nothing when none was (the assessor reads it then). */
function scheduleFacts(check: ConflictCheck | null): RiskContext {
  return check ? { outsideMaintenanceWindow: check.outsideMaintenanceWindow } : {};
}

/** The change's fields the risk reads: a change of one of them computes the risk again. */
const RISK_FACTS = [
  'model',
  'category',
  'plannedStart',
  'plannedEnd',
  'ciIds',
  'businessServiceIds',
  'assignmentGroup',
  'riskAnswers',
] as const satisfies (keyof Change)[];

const SORT_KEY_KINDS: Record<ChangeSortKey, CursorPart> = {
  openedAt: 'instant',
  updatedAt: 'instant',
  plannedStart: 'instant',
  number: 'text',
};

function sortValue(change: Change, key: ChangeSortKey): string | null {
  const value = change[key];
  return value instanceof Date ? value.toISOString() : value;
}

function externalRefKey(ref: Omit<ChangeExternalRef, 'commit'>): string {
  return `change-external-ref:${JSON.stringify([ref.provider, ref.pipeline, ref.run, ref.environment])}`;
}

/** Serialises raising changes for one pipeline run, so that two calls at once open one change. */
async function lockKey(manager: EntityManager, key: string): Promise<void> {
  await manager.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [key]);
}
