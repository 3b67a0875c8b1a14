import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { tableOf } from '../../shared/sql';
import {
  type AttributeSchema,
  type CiClassChanges,
  type CiClassDefinition,
} from '../domain/ci-class';
import { CiClassEntity } from './ci-class.entity';

@Injectable()
export class CiClassesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async findAll(manager: EntityManager = this.dataSource.manager): Promise<CiClassEntity[]> {
    return manager.getRepository(CiClassEntity).find({ order: { name: 'ASC' } });
  }

  /** Changes whenever a class is added or changed: the catalogue reloads only then. */
  async fingerprint(): Promise<string> {
    const [row] = await this.dataSource.query<{ fingerprint: string }[]>(
      `SELECT count(*) || ':' || coalesce(sum(version), 0) || ':' || coalesce(max(updated_at)::text, '') AS fingerprint
         FROM ${tableOf(this.dataSource.manager, CiClassEntity)}`,
    );
    return row?.fingerprint ?? '';
  }

  /** Locks the class table against other class changes for the caller's transaction. */
  async lockForChange(manager: EntityManager): Promise<void> {
    await manager.query(
      `LOCK TABLE ${tableOf(manager, CiClassEntity)} IN SHARE ROW EXCLUSIVE MODE`,
    );
  }

  async insert(
    manager: EntityManager,
    definition: CiClassDefinition,
    now: Date,
  ): Promise<CiClassEntity> {
    const entity = manager.getRepository(CiClassEntity).create({
      ...definition,
      builtIn: false,
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
    return manager.getRepository(CiClassEntity).save(entity);
  }

  async addAttributes(
    manager: EntityManager,
    current: CiClassEntity,
    added: Record<string, AttributeSchema>,
    now: Date,
  ): Promise<CiClassEntity> {
    const next = {
      ...current,
      attributes: { ...current.attributes, ...added },
      updatedAt: now,
      version: current.version + 1,
    };
    return manager.getRepository(CiClassEntity).save(next);
  }

  /** Applies the changes given (absent ones stay) and moves the version on. */
  async change(
    manager: EntityManager,
    current: CiClassEntity,
    changes: CiClassChanges,
    now: Date,
  ): Promise<CiClassEntity> {
    const next = {
      ...current,
      ...(changes.description !== undefined ? { description: changes.description } : {}),
      ...(changes.identificationRules !== undefined
        ? { identificationRules: changes.identificationRules }
        : {}),
      ...(changes.sourcePrecedence !== undefined
        ? { sourcePrecedence: changes.sourcePrecedence }
        : {}),
      updatedAt: now,
      version: current.version + 1,
    };
    return manager.getRepository(CiClassEntity).save(next);
  }

  async findForUpdate(manager: EntityManager, name: string): Promise<CiClassEntity | null> {
    return manager
      .getRepository(CiClassEntity)
      .findOne({ where: { name }, lock: { mode: 'pessimistic_write' } });
  }
}
