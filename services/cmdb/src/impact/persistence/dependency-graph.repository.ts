import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { tableOf } from '../../shared/sql';
import { CiEntity } from '../../cis/persistence/ci.entity';
import { CiDependencyEntity } from '../../relationships/persistence/ci-dependency.entity';
import { type ImpactDirection, type Step } from '../domain/impact-traversal';

export interface CiSummary {
  id: string;
  class: string;
  name: string;
  status: string;
  criticality: number | null;
}

/** A restricted CI, with the group that may see it. */
export interface RestrictedCi {
  id: string;
  ownerGroup: string | null;
}

/** The dependency graph as impact analysis reads it: one indexed query per level of a walk. */
@Injectable()
export class DependencyGraphRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in a read-only repeatable-read transaction, so that every level of a walk
   * sees the same graph. Opened with one statement: TypeORM's `transaction(level)` takes two
   * round trips for it, and round trips are most of a small walk's time
   * (docs/benchmarks-cmdb.md).
   */
  async inSnapshot<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      await runner.query('START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const result = await work(runner.manager);
      await runner.query('COMMIT');
      return result;
    } catch (error) {
      await runner.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      await runner.release();
    }
  }
  /**
   * The steps out of a set of CIs: downstream to what they depend on (the primary key,
   * dependent first), upstream to what depends on them (the reverse index). Both read
   * only the index.
   */
  async steps(
    manager: EntityManager,
    from: readonly string[],
    direction: ImpactDirection,
  ): Promise<Step[]> {
    const [near, far] =
      direction === 'downstream'
        ? ['dependent_id', 'dependency_id']
        : ['dependency_id', 'dependent_id'];
    return manager.query<Step[]>(
      `SELECT ${near} AS "from", ${far} AS "to"
         FROM ${tableOf(manager, CiDependencyEntity)}
        WHERE ${near} = ANY($1::uuid[])`,
      [from],
    );
  }

  async summaries(manager: EntityManager, ids: readonly string[]): Promise<CiSummary[]> {
    if (ids.length === 0) return [];
    return manager.query<CiSummary[]>(
      `SELECT id, class, name, status, criticality FROM ${tableOf(manager, CiEntity)} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
  }

  /** The CIs among `ids` that are of one of `classes`: a primary-key probe per id. */
  async summariesOfClasses(
    manager: EntityManager,
    ids: readonly string[],
    classes: readonly string[],
  ): Promise<CiSummary[]> {
    if (ids.length === 0 || classes.length === 0) return [];
    return manager.query<CiSummary[]>(
      `SELECT id, class, name, status, criticality FROM ${tableOf(manager, CiEntity)}
        WHERE class = ANY($2::text[]) AND id = ANY($1::uuid[])`,
      [ids, classes],
    );
  }

  /**
   * Every restricted CI, from a partial index: there are few, and reading them all is
   * cheaper than asking which of the (up to 20,000) CIs a walk reached are among them.
   */
  async restrictedCis(manager: EntityManager): Promise<RestrictedCi[]> {
    return manager.query<RestrictedCi[]>(
      `SELECT id, owner_group AS "ownerGroup" FROM ${tableOf(manager, CiEntity)} WHERE restricted`,
    );
  }

  /** The ids of every CI of these classes, from the `(class, id)` index alone. */
  async idsOfClasses(manager: EntityManager, classes: readonly string[]): Promise<string[]> {
    if (classes.length === 0) return [];
    const rows = await manager.query<{ id: string }[]>(
      `SELECT id FROM ${tableOf(manager, CiEntity)} WHERE class = ANY($1::text[])`,
      [classes],
    );
    return rows.map((row) => row.id);
  }
}
