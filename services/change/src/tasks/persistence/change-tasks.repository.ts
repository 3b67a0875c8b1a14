import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { type FieldChange } from '@itsm/domain';
import { HistoryEntryEntity, appendHistory, historyPage } from '@itsm/platform';
import { DataSource, type EntityManager } from 'typeorm';
import { type Change } from '../../changes/domain/change';
import { ChangeEntity } from '../../changes/persistence/change.entity';
import { type ChangeTask } from '../domain/change-task';
import { ChangeTaskEntity } from './change-task.entity';

/** What a task needs of its change: whether it takes tasks, and the window they fall inside. */
export type TaskParent = Pick<
  Change,
  'id' | 'number' | 'state' | 'plannedStart' | 'plannedEnd' | 'assignmentGroup'
>;

/** Named queries on change tasks (and the little of their change they need); writes take the caller's transaction. */
@Injectable()
export class ChangeTasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, task: ChangeTask): Promise<void> {
    await manager.insert(ChangeTaskEntity, task);
  }

  async save(manager: EntityManager, task: ChangeTask): Promise<void> {
    await manager.update(ChangeTaskEntity, { id: task.id }, task);
  }

  async findById(id: string): Promise<ChangeTask | null> {
    return this.dataSource.getRepository(ChangeTaskEntity).findOneBy({ id });
  }

  async findForUpdate(manager: EntityManager, id: string): Promise<ChangeTask | null> {
    return manager
      .getRepository(ChangeTaskEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** A change's tasks, by number. */
  async findByChange(manager: EntityManager, changeId: string): Promise<ChangeTask[]> {
    return manager
      .getRepository(ChangeTaskEntity)
      .find({ where: { changeId }, order: { number: 'ASC' } });
  }

  async findByChangeForUpdate(manager: EntityManager, changeId: string): Promise<ChangeTask[]> {
    return manager
      .getRepository(ChangeTaskEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.changeId = :changeId', { changeId })
      .orderBy('t.number')
      .getMany();
  }

  async hasTaskOfType(
    manager: EntityManager,
    changeId: string,
    type: ChangeTask['type'],
  ): Promise<boolean> {
    return manager.getRepository(ChangeTaskEntity).existsBy({ changeId, type });
  }

  /**
   * The change a task belongs to. `shared` locks its row against a change of its window
   * while a task's dates are checked against it (the change's writers lock it exclusively).
   */
  async findParent(
    manager: EntityManager,
    changeId: string,
    shared: boolean,
  ): Promise<TaskParent | null> {
    return manager.getRepository(ChangeEntity).findOne({
      select: ['id', 'number', 'state', 'plannedStart', 'plannedEnd', 'assignmentGroup'],
      where: { id: changeId },
      ...(shared ? { lock: { mode: 'pessimistic_read' as const } } : {}),
    });
  }

  /** One page of a change's tasks by number, limit + 1 rows. */
  async list(
    changeId: string,
    afterNumber: string | undefined,
    limit: number,
  ): Promise<ChangeTask[]> {
    const query = this.dataSource
      .getRepository(ChangeTaskEntity)
      .createQueryBuilder('t')
      .where('t.changeId = :changeId', { changeId });
    if (afterNumber) query.andWhere('t.number > :afterNumber', { afterNumber });
    return query
      .orderBy('t.number')
      .limit(limit + 1)
      .getMany();
  }

  async appendHistory(
    manager: EntityManager,
    taskId: string,
    changes: readonly FieldChange[],
    actor: string,
    at: Date,
  ): Promise<void> {
    await appendHistory(manager, taskId, changes, actor, at);
  }

  async listHistory(
    taskId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<HistoryEntryEntity[]> {
    return historyPage(this.dataSource.manager, taskId, afterId, limit);
  }
}
