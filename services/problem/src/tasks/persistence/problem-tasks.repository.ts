import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type ProblemTask } from '../domain/problem-task';
import { ProblemTaskEntity } from './problem-task.entity';

@Injectable()
export class ProblemTasksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async insert(manager: EntityManager, task: ProblemTask): Promise<void> {
    await manager.insert(ProblemTaskEntity, task);
  }

  async save(manager: EntityManager, task: ProblemTask): Promise<void> {
    await manager.update(ProblemTaskEntity, { id: task.id }, task);
  }

  async findById(id: string): Promise<ProblemTask | null> {
    return this.dataSource.getRepository(ProblemTaskEntity).findOneBy({ id });
  }

  async findForUpdate(manager: EntityManager, id: string): Promise<ProblemTask | null> {
    return manager
      .getRepository(ProblemTaskEntity)
      .findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async findByProblemForUpdate(manager: EntityManager, problemId: string): Promise<ProblemTask[]> {
    return manager
      .getRepository(ProblemTaskEntity)
      .createQueryBuilder('t')
      .setLock('pessimistic_write')
      .where('t.problemId = :problemId', { problemId })
      .orderBy('t.openedAt')
      .addOrderBy('t.id')
      .getMany();
  }

  async list(
    problemId: string,
    after: { openedAt: string; id: string } | undefined,
    limit: number,
  ): Promise<ProblemTask[]> {
    const query = this.dataSource
      .getRepository(ProblemTaskEntity)
      .createQueryBuilder('t')
      .where('t.problemId = :problemId', { problemId });
    if (after) query.andWhere('(t.openedAt, t.id) > (:openedAt, :id)', after);
    return query
      .orderBy('t.openedAt')
      .addOrderBy('t.id')
      .limit(limit + 1)
      .getMany();
  }
}
