import { Injectable } from '@nestjs/common';
import { EventTypes, Topics, type ProblemTaskSnapshot, previousValues } from '@itsm/contracts';
import { OutboxWriter } from '@itsm/messaging';
import { type EntityManager } from 'typeorm';
import { type FieldChange } from '@itsm/domain';
import { appendHistory } from '@itsm/platform';
import { diffTasks, isTaskOpen, taskFieldsOnOpen, type ProblemTask } from '../domain/problem-task';
import { ProblemTasksRepository } from '../persistence/problem-tasks.repository';

/** The one way a problem task changes: row, history and event in the caller's transaction. */
@Injectable()
export class ProblemTaskWriter {
  constructor(
    private readonly tasks: ProblemTasksRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async create(manager: EntityManager, task: ProblemTask, actor: string): Promise<void> {
    await this.tasks.insert(manager, task);
    const fields = taskFieldsOnOpen(task);
    await appendHistory(manager, task.id, fields, actor, task.openedAt);
    await this.publish(manager, task, EventTypes.problem.taskCreated, fields);
  }

  async commit(
    manager: EntityManager,
    before: ProblemTask,
    after: ProblemTask,
    actor: string,
    now: Date,
  ): Promise<ProblemTask> {
    const changes = diffTasks(before, after);
    if (changes.length === 0) return before;
    const stored: ProblemTask = { ...after, updatedAt: now, version: before.version + 1 };
    await this.tasks.save(manager, stored);
    await appendHistory(manager, stored.id, changes, actor, now);
    const stateChanged = changes.some((change) => change.field === 'state');
    await this.publish(
      manager,
      stored,
      stateChanged ? EventTypes.problem.taskStateChanged : EventTypes.problem.taskUpdated,
      changes,
    );
    return stored;
  }

  /** A duplicate's tasks move to its original problem. */
  async moveAll(
    manager: EntityManager,
    fromProblemId: string,
    toProblemId: string,
    actor: string,
    now: Date,
  ): Promise<void> {
    for (const task of await this.tasks.findByProblemForUpdate(manager, fromProblemId)) {
      await this.commit(manager, task, { ...task, problemId: toProblemId }, actor, now);
    }
  }

  /** Closing or cancelling a problem cancels the tasks still open on it. */
  async cancelOpen(
    manager: EntityManager,
    problem: { id: string; number: string; state: string },
    actor: string,
    now: Date,
  ): Promise<void> {
    for (const task of await this.tasks.findByProblemForUpdate(manager, problem.id)) {
      if (!isTaskOpen(task)) continue;
      await this.commit(
        manager,
        task,
        {
          ...task,
          state: 'cancelled',
          closeNotes: `Cancelled: problem ${problem.number} was ${problem.state}.`,
          closedAt: now,
        },
        actor,
        now,
      );
    }
  }

  private async publish(
    manager: EntityManager,
    task: ProblemTask,
    type: string,
    changes: readonly FieldChange[],
  ): Promise<void> {
    const previous = previousValues(changes);
    await this.outbox.append(manager, {
      topic: Topics.problemEvents,
      type,
      subject: task.problemId,
      data: {
        task: toTaskSnapshot(task),
        changedFields: changes.map((change) => change.field),
        previous: type === EventTypes.problem.taskCreated ? {} : previous,
      },
    });
  }
}

export function toTaskSnapshot(task: ProblemTask): ProblemTaskSnapshot {
  return {
    id: task.id,
    number: task.number,
    problemId: task.problemId,
    type: task.type,
    title: task.title,
    description: task.description,
    state: task.state,
    assignmentGroup: task.assignmentGroup,
    assignee: task.assignee,
    closeNotes: task.closeNotes,
    openedBy: task.openedBy,
    openedAt: task.openedAt.toISOString(),
    closedAt: task.closedAt ? task.closedAt.toISOString() : null,
    updatedAt: task.updatedAt.toISOString(),
    version: task.version,
  };
}
