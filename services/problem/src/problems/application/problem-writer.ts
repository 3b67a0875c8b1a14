import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Topics, type ProblemHappening, previousValues } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { type JournalKind } from '@itsm/platform';
import { type EntityManager } from 'typeorm';
import { type FieldChange } from '@itsm/domain';
import { diffProblems, fieldsSetOnOpen, type Problem } from '../domain/problem';
import { happeningsOf } from '../domain/problem-happenings';
import { ProblemsRepository } from '../persistence/problems.repository';
import { toSnapshot } from './problem-view';

export interface JournalDraft {
  id?: string;
  kind: JournalKind;
  text: string;
  author: string;
}

const SEARCHED_FIELDS = new Set(['title', 'description', 'causeNotes', 'fixNotes', 'workaround']);

/**
 * The one way a problem changes: in the caller's transaction it stores the new version,
 * one history entry per changed field, the journal entries that go with the change and
 * one outbox event per kind of change, so that none of these exists without the others.
 */
@Injectable()
export class ProblemWriter {
  constructor(
    private readonly problems: ProblemsRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(
    manager: EntityManager,
    problem: Problem,
    actor: string,
    journal: readonly JournalDraft[] = [],
  ): Promise<void> {
    await this.problems.insert(manager, problem);
    const fields = fieldsSetOnOpen(problem);
    await this.problems.appendHistory(manager, problem.id, fields, actor, problem.openedAt);
    await this.appendJournal(manager, problem.id, journal, problem.openedAt);
    await this.problems.refreshSearchDocument(manager, problem.id);
    await this.publish(manager, problem, ['created'], fields, {});
  }

  /**
   * Stores `after` as the next version of `before` when any field differs; returns the
   * problem as stored (`before` when nothing changed: then only the journal is added).
   */
  async commit(
    manager: EntityManager,
    before: Problem,
    after: Problem,
    actor: string,
    now: Date,
    journal: readonly JournalDraft[] = [],
  ): Promise<Problem> {
    const changes = diffProblems(before, after);
    await this.appendJournal(manager, before.id, journal, now);
    if (changes.length === 0) {
      if (journal.length > 0) await this.problems.refreshSearchDocument(manager, before.id);
      return before;
    }
    const stored: Problem = { ...after, updatedAt: now, version: before.version + 1 };
    await this.problems.save(manager, stored);
    await this.problems.appendHistory(manager, stored.id, changes, actor, now);
    if (journal.length > 0 || changes.some((change) => SEARCHED_FIELDS.has(change.field))) {
      await this.problems.refreshSearchDocument(manager, stored.id);
    }
    await this.publish(manager, stored, happeningsOf(changes), changes, previousValues(changes));
    return stored;
  }

  /** Publishes an event about the problem that is not a field change (links, communications). */
  async announce(
    manager: EntityManager,
    problem: Problem,
    type: string,
    data: Record<string, unknown>,
  ): Promise<void> {
    await this.outbox.append(manager, {
      topic: Topics.problemEvents,
      type,
      subject: problem.id,
      data: { problem: toSnapshot(problem), ...data },
    });
  }

  private async appendJournal(
    manager: EntityManager,
    recordId: string,
    journal: readonly JournalDraft[],
    at: Date,
  ): Promise<void> {
    for (const entry of journal) {
      await this.problems.appendJournal(manager, {
        ...entry,
        id: entry.id ?? randomUUID(),
        recordId,
        at,
      });
    }
  }

  private async publish(
    manager: EntityManager,
    problem: Problem,
    happenings: readonly ProblemHappening[],
    changes: readonly FieldChange[],
    previous: Record<string, unknown>,
  ): Promise<void> {
    const changedFields = changes.map((change) => change.field);
    for (const happening of happenings) {
      await this.outbox.append(manager, {
        topic: Topics.problemEvents,
        type: `itsm.problem.${happening}.v1`,
        subject: problem.id,
        data: { problem: toSnapshot(problem), changedFields, previous },
      });
    }
  }
}
