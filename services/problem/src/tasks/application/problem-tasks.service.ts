import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { canSeeRecord, type Caller, type RecordAccessPolicy } from '@itsm/auth';
import { type ProblemTaskSnapshot, type ProblemTaskType } from '@itsm/contracts';
import {
  NotFoundProblem,
  PreconditionFailedProblem,
  RECORD_ACCESS_POLICY,
  decodeCursor,
  pageOf,
  type Page,
  answeringDomainErrors,
} from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { isFinal, ownership, type Problem } from '../../problems/domain/problem';
import { RecordConflict } from '@itsm/domain';
import { ProblemEntity } from '../../problems/persistence/problem.entity';
import { nextSequenceValue } from '@itsm/persistence';
import {
  changeTask,
  moveTask,
  openTask,
  type ProblemTask,
  type ProblemTaskChanges,
} from '../domain/problem-task';
import { ProblemTasksRepository } from '../persistence/problem-tasks.repository';
import { ProblemTaskWriter, toTaskSnapshot } from './problem-task-writer';

export interface TaskDraft {
  type: ProblemTaskType;
  title: string;
  description?: string;
  assignmentGroup?: string | null;
  assignee?: string | null;
}

/** Problem tasks: seen by whoever sees their problem; added while the problem is not closed or cancelled. */
@Injectable()
export class ProblemTasksService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tasks: ProblemTasksRepository,
    private readonly writer: ProblemTaskWriter,
    @Inject(RECORD_ACCESS_POLICY) private readonly policy: RecordAccessPolicy,
  ) {}

  async create(problemId: string, draft: TaskDraft, caller: Caller): Promise<ProblemTaskSnapshot> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        const problem = await this.problemOf(manager, problemId, caller, true);
        if (isFinal(problem)) {
          throw new RecordConflict(`${problem.number} is ${problem.state}; it takes no new tasks`);
        }
        const sequence = await nextSequenceValue(manager, 'problem_task_number_seq');
        const task = openTask(
          { ...draft, problemId, openedBy: caller.username },
          { id: randomUUID(), sequence },
          new Date(),
        );
        await this.writer.create(manager, task, caller.username);
        return toTaskSnapshot(task);
      }),
    );
  }

  async get(problemId: string, taskId: string, caller: Caller): Promise<ProblemTaskSnapshot> {
    await this.problemOf(this.dataSource.manager, problemId, caller, false);
    const task = await this.tasks.findById(taskId);
    if (!task || task.problemId !== problemId) throw new NotFoundProblem('Problem task', taskId);
    return toTaskSnapshot(task);
  }

  async list(
    problemId: string,
    caller: Caller,
    page: { cursor?: string; limit: number },
  ): Promise<Page<ProblemTaskSnapshot>> {
    await this.problemOf(this.dataSource.manager, problemId, caller, false);
    const after = page.cursor
      ? decodeCursor(page.cursor, { openedAt: 'instant', id: 'uuid' })
      : undefined;
    const rows = await this.tasks.list(problemId, after, page.limit);
    return pageOf(rows, page.limit, toTaskSnapshot, (row) => ({
      openedAt: row.openedAt.toISOString(),
      id: row.id,
    }));
  }

  async change(
    problemId: string,
    taskId: string,
    changes: ProblemTaskChanges,
    expectedVersion: number,
    caller: Caller,
  ): Promise<ProblemTaskSnapshot> {
    return this.modify(problemId, taskId, caller, expectedVersion, (task) =>
      changeTask(task, changes),
    );
  }

  async transition(
    problemId: string,
    taskId: string,
    request: { to: string; closeNotes?: string },
    expectedVersion: number | undefined,
    caller: Caller,
  ): Promise<ProblemTaskSnapshot> {
    return this.modify(problemId, taskId, caller, expectedVersion, (task, now) =>
      moveTask(task, request, now),
    );
  }

  private async modify(
    problemId: string,
    taskId: string,
    caller: Caller,
    expectedVersion: number | undefined,
    work: (task: ProblemTask, now: Date) => ProblemTask,
  ): Promise<ProblemTaskSnapshot> {
    return answeringDomainErrors(() =>
      this.dataSource.transaction(async (manager) => {
        await this.problemOf(manager, problemId, caller, true);
        const task = await this.tasks.findForUpdate(manager, taskId);
        if (!task || task.problemId !== problemId)
          throw new NotFoundProblem('Problem task', taskId);
        if (expectedVersion !== undefined && task.version !== expectedVersion) {
          throw new PreconditionFailedProblem(task.version);
        }
        const now = new Date();
        return toTaskSnapshot(
          await this.writer.commit(manager, task, work(task, now), caller.username, now),
        );
      }),
    );
  }

  /** The task's problem, which the caller must see (else 404); locked when its tasks change. */
  private async problemOf(
    manager: EntityManager,
    problemId: string,
    caller: Caller,
    lock: boolean,
  ): Promise<Problem> {
    const problem = await manager.getRepository(ProblemEntity).findOne({
      where: { id: problemId },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
    if (!problem || !canSeeRecord(caller, 'problem', ownership(problem), this.policy)) {
      throw new NotFoundProblem('Problem', problemId);
    }
    return problem;
  }
}
