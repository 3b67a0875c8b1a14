import { Inject, Injectable } from '@nestjs/common';
import { NotFoundProblem, ValidationProblem } from '@itsm/platform';
import { canSeeConfigurationItem, type Caller } from '@itsm/auth';
import { type EntityManager } from 'typeorm';
import { ClassCatalog } from '../../ci-classes/application/class-catalog.service';
import { CMDB_CONFIG, type CmdbConfig } from '../../config/cmdb.config';
import {
  ImpactTraversal,
  pathShown,
  type ImpactDirection,
  type Reached,
} from '../domain/impact-traversal';
import {
  DependencyGraphRepository,
  type CiSummary,
} from '../persistence/dependency-graph.repository';

export const BUSINESS_SERVICE_CLASS = 'business_service';

/** See `businessServicesBeyond`. */
const LOOKUP_BY_ID_UP_TO = 1000;

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
  /** The most items answered: the nearest ones when more CIs were reached. */
  limit: number;
  /** True when the cap on reached CIs stopped the walk before `depth`. */
  truncated: boolean;
  /** How many CIs the walk reached, start CIs excluded; more than `items` when `limit` cut them. */
  reachedCount: number;
  /** How many of the CIs reached are restricted ones the caller may not see (not listed). */
  withheldCount: number;
  /** The nearest CIs reached (of `among` only, when given), at most `limit`. */
  items: ImpactedCi[];
  /**
   * Every business service among the CIs reached (of `among` only, when given), whatever the
   * limit, most critical first.
   */
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
   * for the start CIs and the nearest `limit` CIs reached, and, when the limit cut the
   * answer, one or two for the business services among the rest. Given `among`, the walk is
   * the same and the answer names only those of its CIs reached: a caller asking "which of
   * these are within reach" reads a few CIs instead of every one reached.
   */
  async analyse(
    ciIds: readonly string[],
    direction: ImpactDirection,
    depth: number,
    requestedLimit: number | undefined,
    caller: Caller,
    among?: readonly string[],
  ): Promise<ImpactAnalysis> {
    const { CMDB_IMPACT_MAX_DEPTH: maxDepth, CMDB_IMPACT_MAX_CIS: maxCis } = this.config;
    // Asked about some CIs, a caller wants every one of them reached, whatever the default.
    const limit =
      requestedLimit ??
      (among ? Math.min(among.length, maxCis) : this.config.CMDB_IMPACT_DEFAULT_LIMIT);
    const problems = [
      ...(depth > maxDepth ? [{ field: 'depth', message: `must be at most ${maxDepth}` }] : []),
      ...(limit > maxCis ? [{ field: 'limit', message: `must be at most ${maxCis}` }] : []),
    ];
    if (problems.length > 0) throw new ValidationProblem(problems);
    const hierarchy = await this.catalog.hierarchy();
    return this.graph.inSnapshot(async (manager) => {
      // The walk goes through restricted CIs (what depends on them is affected all the
      // same); only the answer withholds those the caller may not see.
      const withheld = new Set(
        (await this.graph.restrictedCis(manager))
          .filter((ci) => !canSeeConfigurationItem(caller, { ...ci, restricted: true }))
          .map((ci) => ci.id),
      );
      const traversal = new ImpactTraversal(ciIds, depth, maxCis);
      while (traversal.frontier.length > 0)
        traversal.advance(await this.graph.steps(manager, traversal.frontier, direction));
      const listedOnly = among ? new Set(among) : undefined;
      const nearest = traversal.reached(limit, withheld, listedOnly);
      // The start CIs are looked up with the CIs reached (one query less): an unknown id
      // has no edges, so its walk is empty.
      const summaries = new Map<string, CiSummary>(
        (
          await this.graph.summaries(manager, [...ciIds, ...nearest.map((entry) => entry.ciId)])
        ).map((ci) => [ci.id, ci]),
      );
      const unknown = ciIds.filter((id) => !summaries.has(id) || withheld.has(id));
      if (unknown.length > 0) {
        if (ciIds.length === 1) throw new NotFoundProblem('CI', unknown[0] ?? '');
        throw new ValidationProblem(
          ciIds.flatMap((id, index) =>
            unknown.includes(id) ? [{ field: `ciIds[${index}]`, message: 'is not a CI' }] : [],
          ),
        );
      }
      const items = nearest.flatMap((entry) => {
        const ci = summaries.get(entry.ciId);
        return ci ? [impactedCi(ci, entry, withheld)] : [];
      });
      const serviceClasses = hierarchy.subclassesOf(BUSINESS_SERVICE_CLASS);
      const listed = new Set(nearest.map((entry) => entry.ciId));
      const rest = traversal
        .reachedIds()
        .filter(
          (id) => !listed.has(id) && !withheld.has(id) && (!listedOnly || listedOnly.has(id)),
        );
      const beyondLimit = await this.businessServicesBeyond(
        manager,
        traversal,
        rest,
        serviceClasses,
        withheld,
      );
      const listedServices = items.filter((item) => serviceClasses.includes(item.class));
      const businessServices = [...listedServices, ...beyondLimit].sort(
        (a, b) => (a.criticality ?? 5) - (b.criticality ?? 5) || a.distance - b.distance,
      );
      return {
        ciIds: [...ciIds],
        direction,
        depth,
        limit,
        truncated: traversal.truncated,
        reachedCount: traversal.reachedCount,
        withheldCount: traversal.reachedIds().filter((id) => withheld.has(id)).length,
        items,
        businessServices,
      };
    });
  }

  /**
   * The CIs of `classes` among `rest`, the CIs reached but not listed. Up to
   * `LOOKUP_BY_ID_UP_TO` of them are looked up by id; past that, reading every such CI's
   * id from the `(class, id)` index and keeping those reached is cheaper, because
   * PostgreSQL answers "which of these 19,000 CIs are business services" by reading the
   * row of every business service or every CI (ADR 0006: 37-145 ms against 4-10 ms on the
   * million-CI graph with 10,000 business services; about even at 1,000).
   */
  private async businessServicesBeyond(
    manager: EntityManager,
    traversal: ImpactTraversal,
    rest: readonly string[],
    classes: readonly string[],
    withheld: ReadonlySet<string>,
  ): Promise<ImpactedCi[]> {
    if (rest.length === 0) return [];
    let candidates = rest;
    if (rest.length > LOOKUP_BY_ID_UP_TO) {
      const services = new Set(await this.graph.idsOfClasses(manager, classes));
      candidates = rest.filter((id) => services.has(id));
    }
    return (await this.graph.summariesOfClasses(manager, candidates, classes)).flatMap((ci) => {
      const entry = traversal.find(ci.id);
      return entry ? [impactedCi(ci, entry, withheld)] : [];
    });
  }
}

function impactedCi(ci: CiSummary, entry: Reached, withheld: ReadonlySet<string>): ImpactedCi {
  return {
    ciId: ci.id,
    class: ci.class,
    name: ci.name,
    status: ci.status,
    criticality: ci.criticality,
    distance: entry.distance,
    path: pathShown(entry.path, withheld),
  };
}
