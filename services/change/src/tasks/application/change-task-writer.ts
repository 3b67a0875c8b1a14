import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  ChangeTaskEventTypes,
  Topics,
  previousValues,
  type ChangeTaskEventV1,
  type ChangeTaskSnapshot,
  type ChangeTemplateTask,
} from '@itsm/contracts';
import { type FieldChange } from '@itsm/domain';
import { OutboxWriter } from '@itsm/messaging';
import { ValidationProblem } from '@itsm/platform';
import { nextSequenceValue } from '@itsm/persistence';
import { type EntityManager } from 'typeorm';
import {
  diffChangeTasks,
  isTaskOpen,
  openChangeTask,
  taskFieldsOnOpen,
  windowMoveFaults,
  type ChangeTask,
  type NewChangeTask,
  type PlannedWindow,
} from '../domain/change-task';
import { ChangeTasksRepository, type TaskParent } from '../persistence/change-tasks.repository';

/**
 * The one way a change task changes: row, history (under the task's id, in the change
 * service's record trail) and event (keyed by the change, so that a change's tasks and the
 * change itself are read in order) in the caller's transaction. Also what the change's own
 * steps do to its tasks: open them from a template, add the review, cancel the open ones.
 */
@Injectable()
export class ChangeTaskWriter {
  constructor(
    private readonly tasks: ChangeTasksRepository,
    private readonly outbox: OutboxWriter,
  ) {}

  async open(
    manager: EntityManager,
    input: NewChangeTask,
    window: PlannedWindow,
    actor: string,
    now: Date,
  ): Promise<ChangeTask> {
    const sequence = await nextSequenceValue(manager, 'change_task_number_seq');
    const task = openChangeTask(input, { id: randomUUID(), sequence }, window, now);
    await this.tasks.insert(manager, task);
    const fields = taskFieldsOnOpen(task);
    await this.tasks.appendHistory(manager, task.id, fields, actor, now);
    await this.publish(manager, task, ChangeTaskEventTypes.created, fields, {});
    return task;
  }

  /** Stores `after` as the next version of `before` when any field differs; returns the task as stored. */
  async commit(
    manager: EntityManager,
    before: ChangeTask,
    after: ChangeTask,
    actor: string,
    now: Date,
  ): Promise<ChangeTask> {
    const changes = diffChangeTasks(before, after);
    if (changes.length === 0) return before;
    const stored: ChangeTask = { ...after, updatedAt: now, version: before.version + 1 };
    await this.tasks.save(manager, stored);
    await this.tasks.appendHistory(manager, stored.id, changes, actor, now);
    const type = changes.some((change) => change.field === 'state')
      ? ChangeTaskEventTypes.stateChanged
      : ChangeTaskEventTypes.updated;
    await this.publish(manager, stored, type, changes, previousValues(changes));
    return stored;
  }

  /** A standard change's tasks, as its template lists them, for the change's assignment group. */
  async createFromTemplate(
    manager: EntityManager,
    change: TaskParent,
    templateTasks: readonly ChangeTemplateTask[],
    actor: string,
    now: Date,
  ): Promise<ChangeTask[]> {
    const created: ChangeTask[] = [];
    for (const task of templateTasks) {
      created.push(
        await this.open(
          manager,
          {
            ...task,
            changeId: change.id,
            assignmentGroup: change.assignmentGroup,
            openedBy: actor,
          },
          change,
          actor,
          now,
        ),
      );
    }
    return created;
  }

  /**
   * The post-implementation review task of a change entering review; none when the change
   * has a review task already (from its template, by hand, or an earlier call).
   */
  async createReviewTask(
    manager: EntityManager,
    change: TaskParent,
    actor: string,
    now: Date,
  ): Promise<ChangeTask | null> {
    if (await this.tasks.hasTaskOfType(manager, change.id, 'review')) return null;
    return this.open(
      manager,
      {
        changeId: change.id,
        type: 'review',
        title: `Post-implementation review of ${change.number}`,
        description:
          'Review how the implementation went against its plan: what worked, what did not, incidents it caused, and what to change next time; record the outcome as the change’s review notes.',
        assignmentGroup: change.assignmentGroup,
        openedBy: actor,
      },
      change,
      actor,
      now,
    );
  }

  /**
   * Refuses a change's new planned window when it would leave open tasks outside it: a 400
   * naming the change's field at fault (`plannedStart`, `plannedEnd`) and the tasks, as a
   * task's own dates outside the window are. The caller holds the change's row lock, which
   * task writes wait on (they hold it shared), so no task moves under the check.
   */
  async assertWindowHoldsTasks(
    manager: EntityManager,
    change: Pick<TaskParent, 'id' | 'plannedStart' | 'plannedEnd'>,
  ): Promise<void> {
    if (!change.plannedStart || !change.plannedEnd) return;
    const faults = windowMoveFaults(await this.tasks.findByChange(manager, change.id), change);
    if (faults.length > 0) throw new ValidationProblem(faults);
  }

  /** A cancelled change's open tasks are cancelled with it. */
  async cancelOpen(
    manager: EntityManager,
    change: Pick<TaskParent, 'id' | 'number'>,
    actor: string,
    now: Date,
  ): Promise<void> {
    for (const task of await this.tasks.findByChangeForUpdate(manager, change.id)) {
      if (!isTaskOpen(task)) continue;
      await this.commit(
        manager,
        task,
        {
          ...task,
          state: 'cancelled',
          closeNotes: `Cancelled with change ${change.number}.`,
          closedAt: now,
        },
        actor,
        now,
      );
    }
  }

  private async publish(
    manager: EntityManager,
    task: ChangeTask,
    type: string,
    changes: readonly FieldChange[],
    previous: Record<string, unknown>,
  ): Promise<void> {
    const data: ChangeTaskEventV1 = {
      task: toTaskSnapshot(task),
      changedFields: changes.map((change) => change.field),
      previous,
    };
    await this.outbox.append(manager, {
      topic: Topics.changeEvents,
      type,
      subject: task.changeId,
      data,
    });
  }
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}

export function toTaskSnapshot(task: ChangeTask): ChangeTaskSnapshot {
  return {
    id: task.id,
    number: task.number,
    changeId: task.changeId,
    type: task.type,
    title: task.title,
    description: task.description,
    state: task.state,
    assignmentGroup: task.assignmentGroup,
    assignee: task.assignee,
    plannedStart: iso(task.plannedStart),
    plannedEnd: iso(task.plannedEnd),
    closeNotes: task.closeNotes,
    openedBy: task.openedBy,
    openedAt: task.openedAt.toISOString(),
    closedAt: iso(task.closedAt),
    updatedAt: task.updatedAt.toISOString(),
    version: task.version,
  };
}
