import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type Caller } from '@itsm/auth';
import { type ChangeTaskSnapshot, type ChangeTaskType } from '@itsm/contracts';
import { RecordConflict } from '@itsm/domain';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  answeringDomainErrors,
  decodeCursor,
  historyView,
  pageOf,
  type HistoryEntryView,
  type Page,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { isFinal } from '../../changes/domain/change';
import {
  changeChangeTask,
  moveChangeTask,
  type ChangeTask,
  type ChangeTaskChanges,
  type PlannedWindow,
} from '../domain/change-task';
import { ChangeTasksRepository, type TaskParent } from '../persistence/change-tasks.repository';
import { ChangeTaskWriter, toTaskSnapshot } from './change-task-writer';

/** A task as the API takes it (instants as ISO 8601 text, validated and read as UTC by the DTOs). */
export interface ChangeTaskDraft {
  type: ChangeTaskType;
  title: string;
  description?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
  plannedStart?: string;
  plannedEnd?: string;
}

export type ChangeTaskEdit = Omit<ChangeTaskChanges, 'plannedStart' | 'plannedEnd'> & {
  plannedStart?: string | null;
  plannedEnd?: string | null;
};

function instant(value: string | null | undefined): Date | null | undefined {
  return value === undefined ? undefined : value === null ? null : new Date(value);
}

/**
 * Change tasks: read by whoever reads changes, added while the change is not closed or
 * cancelled, their planned dates inside the change's planned window.
 */
@Injectable()
export class ChangeTasksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: ChangeTasksRepository,
    private readonly writer: ChangeTaskWriter,
  ) {}

  async create(
    changeId: string,
    draft: ChangeTaskDraft,
    caller: Caller,
  ): Promise<ChangeTaskSnapshot> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const change = await this.changeOf(manager, changeId, true);
        if (isFinal(change)) {
          throw new RecordConflict(`${change.number} is ${change.state}; it takes no new tasks`);
        }
        const task = await this.writer.open(
          manager,
          {
            ...draft,
            changeId,
            plannedStart: instant(draft.plannedStart),
            plannedEnd: instant(draft.plannedEnd),
            openedBy: caller.username,
          },
          change,
          caller.username,
          new Date(),
        );
        return toTaskSnapshot(task);
      }),
    );
  }

  async get(changeId: string, taskId: string): Promise<ChangeTaskSnapshot> {
    return toTaskSnapshot(await this.found(changeId, taskId));
  }

  async list(
    changeId: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<ChangeTaskSnapshot>> {
    await this.changeOf(this.dataSource.manager, changeId, false);
    const after = page.cursor ? decodeCursor(page.cursor, { number: 'text' }).number : undefined;
    const rows = await this.tasks.list(changeId, after, page.limit);
    return pageOf(rows, page.limit, toTaskSnapshot, (row) => ({ number: row.number }));
  }

  async history(
    changeId: string,
    taskId: string,
    page: { cursor?: string; limit: number },
  ): Promise<Page<HistoryEntryView>> {
    await this.found(changeId, taskId);
    const after = page.cursor ? decodeCursor(page.cursor, { id: 'integer' }).id : undefined;
    const rows = await this.tasks.listHistory(taskId, after, page.limit);
    return pageOf(rows, page.limit, historyView, (row) => ({ id: row.id }));
  }

  async change(
    changeId: string,
    taskId: string,
    edit: ChangeTaskEdit,
    expectedVersion: number,
    caller: Caller,
  ): Promise<ChangeTaskSnapshot> {
    const { plannedStart, plannedEnd, ...rest } = edit;
    const changes: ChangeTaskChanges = {
      ...rest,
      plannedStart: instant(plannedStart),
      plannedEnd: instant(plannedEnd),
    };
    return this.modify(changeId, taskId, caller, expectedVersion, (task, window) =>
      changeChangeTask(task, changes, window),
    );
  }

  async transition(
    changeId: string,
    taskId: string,
    request: { to: string; closeNotes?: string },
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<ChangeTaskSnapshot> {
    return this.modify(changeId, taskId, caller, expectedVersion, (task, _window, now) =>
      moveChangeTask(task, request, now),
    );
  }

  private async modify(
    changeId: string,
    taskId: string,
    caller: Caller,
    expectedVersion: number | undefined,
    work: (task: ChangeTask, window: PlannedWindow, now: Date) => ChangeTask,
  ): Promise<ChangeTaskSnapshot> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const change = await this.changeOf(manager, changeId, true);
        const task = await this.tasks.findForUpdate(manager, taskId);
        if (!task || task.changeId !== changeId) throw new NotFoundProblem('Change task', taskId);
        if (expectedVersion !== undefined && task.version !== expectedVersion) {
          throw new PreconditionFailedProblem(task.version);
        }
        const now = new Date();
        return toTaskSnapshot(
          await this.writer.commit(manager, task, work(task, change, now), caller.username, now),
        );
      }),
    );
  }

  private async found(changeId: string, taskId: string): Promise<ChangeTask> {
    await this.changeOf(this.dataSource.manager, changeId, false);
    const task = await this.tasks.findById(taskId);
    if (!task || task.changeId !== changeId) throw new NotFoundProblem('Change task', taskId);
    return task;
  }

  private async changeOf(
    manager: EntityManager,
    changeId: string,
    shared: boolean,
  ): Promise<TaskParent> {
    const change = await this.tasks.findParent(manager, changeId, shared);
    if (!change) throw new NotFoundProblem('Change', changeId);
    return change;
  }
}
