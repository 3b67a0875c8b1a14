import { Inject, Injectable } from '@nestjs/common';
import { NotFoundProblem, ValidationProblem } from '@itsm/platform';
import { ClassCatalog } from '../../ci-classes/application/class-catalog.service';
import { CMDB_CONFIG, type CmdbConfig } from '../../config/cmdb.config';
import { ImpactTraversal, type ImpactDirection } from '../domain/impact-traversal';
import {
  DependencyGraphRepository,
  type CiSummary,
} from '../persistence/dependency-graph.repository';

export const BUSINESS_SERVICE_CLASS = 'business_service';

export interface ImpactedCi {
  ciId: string;
  class: string;
  name: string;
  status: string;
  criticality: number | null;
  distance: number;
  /** CI ids from a start CI to this one. */
  path: string[];
}

export interface ImpactAnalysis {
  ciIds: string[];
  direction: ImpactDirection;
  depth: number;
  /** True when the cap on reached CIs stopped the walk before `depth`. */
  truncated: boolean;
  items: ImpactedCi[];
  /** The business services among the CIs reached, most critical first. */
  businessServices: ImpactedCi[];
}

@Injectable()
export class ImpactService {
  constructor(
    private readonly graph: DependencyGraphRepository,
    private readonly catalog: ClassCatalog,
    @Inject(CMDB_CONFIG) private readonly config: CmdbConfig,
  ) {}

  /**
   * A breadth-first walk, one query per level over the dependency edges, in one
   * repeatable-read transaction so that every level sees the same graph; then one query
   * for the start CIs and the CIs reached.
   */
  async analyse(
    ciIds: readonly string[],
    direction: ImpactDirection,
    depth: number,
  ): Promise<ImpactAnalysis> {
    if (depth > this.config.CMDB_IMPACT_MAX_DEPTH)
      throw new ValidationProblem([
        { field: 'depth', message: `must be at most ${this.config.CMDB_IMPACT_MAX_DEPTH}` },
      ]);
    const hierarchy = await this.catalog.hierarchy();
    return this.graph.inSnapshot(async (manager) => {
      const traversal = new ImpactTraversal(ciIds, depth, this.config.CMDB_IMPACT_MAX_CIS);
      while (traversal.frontier.length > 0)
        traversal.advance(await this.graph.steps(manager, traversal.frontier, direction));
      const reached = traversal.reached();
      // The start CIs are looked up with the CIs reached (one query less): an unknown id
      // has no edges, so its walk is empty.
      const summaries = new Map<string, CiSummary>(
        (
          await this.graph.summaries(manager, [...ciIds, ...reached.map((entry) => entry.ciId)])
        ).map((ci) => [ci.id, ci]),
      );
      const unknown = ciIds.filter((id) => !summaries.has(id));
      if (unknown.length > 0) {
        if (ciIds.length === 1) throw new NotFoundProblem('CI', unknown[0] ?? '');
        throw new ValidationProblem(
          ciIds.flatMap((id, index) =>
            summaries.has(id) ? [] : [{ field: `ciIds[${index}]`, message: 'is not a CI' }],
          ),
        );
      }
      const items = reached.flatMap((entry): ImpactedCi[] => {
        const ci = summaries.get(entry.ciId);
        return ci
          ? [
              {
                ciId: ci.id,
                class: ci.class,
                name: ci.name,
                status: ci.status,
                criticality: ci.criticality,
                distance: entry.distance,
                path: entry.path,
              },
            ]
          : [];
      });
      const businessServices = items
        .filter((item) => hierarchy.isA(item.class, BUSINESS_SERVICE_CLASS))
        .sort((a, b) => (a.criticality ?? 5) - (b.criticality ?? 5) || a.distance - b.distance);
      return {
        ciIds: [...ciIds],
        direction,
        depth,
        truncated: traversal.truncated,
        items,
        businessServices,
      };
    });
  }
}
