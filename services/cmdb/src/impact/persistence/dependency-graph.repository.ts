import { Injectable } from '@nestjs/common';
import { type EntityManager } from 'typeorm';
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

/** The dependency graph as impact analysis reads it: one indexed query per level of a walk. */
@Injectable()
export class DependencyGraphRepository {
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
}
