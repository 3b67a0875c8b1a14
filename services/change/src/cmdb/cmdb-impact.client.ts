import { z } from 'zod';
import {
  ServiceCallRefused,
  problemType,
  type Degraded,
  type ServiceClient,
  type ServiceRead,
} from '@itsm/platform';

/** What the CMDB answered, or why it could not this time (down, slow, failing): the change carries on without it. */
export type CmdbRead<T> = ServiceRead<T>;

export type ImpactDirection = 'upstream' | 'downstream';

/** A business service a change's CIs reach upstream: what stops working if they do. */
export interface BusinessServiceReached {
  ciId: string;
  name: string;
  class: string;
  status: string;
  /** 1 (most critical) .. 4; null when the CMDB has none. */
  criticality: number | null;
  /** Steps from the nearest of the change's CIs. */
  distance: number;
  /** One shortest path of CI ids from one of the change's CIs; a restricted CI on it is the step `restricted`. */
  path: string[];
}

export interface UpstreamBusinessServices {
  /** Every business service reached, most critical first. */
  businessServices: BusinessServiceReached[];
  /** How many CIs depend on the change's CIs within the depth, restricted ones included. */
  reachedCount: number;
  /**
   * How many of those are restricted CIs, which the CMDB counts for the change service but
   * never names; a restricted business service is among them, not in `businessServices`.
   */
  withheldCount: number;
  /** The CMDB's cap on one walk stopped it before the depth: there is more than `reachedCount`. */
  truncated: boolean;
  /** CIs given that the CMDB does not show the change service (unknown, or restricted): not walked from. */
  unseenCiIds: string[];
}

/** Two CIs within some hops of each other along the dependency graph. */
export interface CiDependency {
  /** One of the CIs given. */
  ciId: string;
  /** Another CI given, or one of the other set, within the hops of `ciId`. */
  relatedCiId: string;
  /** `downstream`: `ciId` depends on `relatedCiId`; `upstream`: `relatedCiId` depends on `ciId`. */
  direction: ImpactDirection;
  distance: number;
  /** One shortest path of CI ids from `ciId` to `relatedCiId`; a restricted CI on it is the step `restricted`. */
  path: string[];
}

export interface CiDependencies {
  dependencies: CiDependency[];
  /**
   * CIs given whose neighbourhood within the hops is larger than the CMDB lists for one walk
   * (its limit, or its cap): a dependency of theirs may be missing.
   */
  incompleteCiIds: string[];
  /** CIs given that the CMDB does not show the change service (unknown, or restricted): not walked from. */
  unseenCiIds: string[];
}

/** The most start CIs one impact analysis takes (`POST /api/v1/cis/impact`). */
export const MAX_CIS_PER_ANALYSIS = 1000;
/** Walks of one `dependencies` read in flight at once: the CMDB serves other callers too. */
const CONCURRENT_WALKS = 4;
const IMPACT_PATH = '/api/v1/cis/impact';

const impactedCi = z.object({
  ciId: z.string(),
  class: z.string(),
  name: z.string(),
  status: z.string(),
  criticality: z.number().int().nullable(),
  distance: z.number().int().min(1),
  path: z.array(z.string()),
});

/** The part of the cmdb service's impact analysis this client reads (docs/cmdb.md). */
const impactAnalysis = z.object({
  truncated: z.boolean(),
  reachedCount: z.number().int().min(0),
  withheldCount: z.number().int().min(0),
  items: z.array(impactedCi),
  businessServices: z.array(impactedCi),
});

type ImpactAnalysis = z.infer<typeof impactAnalysis>;

function parseImpact(body: unknown): ImpactAnalysis {
  const parsed = impactAnalysis.safeParse(body);
  if (!parsed.success)
    throw new Error(`not an impact analysis: ${z.prettifyError(parsed.error).replace(/\n/g, ' ')}`);
  return parsed.data;
}

const NO_IMPACT: ImpactAnalysis = {
  truncated: false,
  reachedCount: 0,
  withheldCount: 0,
  items: [],
  businessServices: [],
};

/** A walk of the graph from some CIs, and the CIs given that the CMDB would not walk from. */
interface Walk {
  analysis: ImpactAnalysis;
  unseen: string[];
}

/**
 * Which of the CIs reached a walk lists: the nearest `limit` (the CMDB's default when
 * absent), or only those `among` a set, all of them.
 */
type Listing = { limit?: number; among?: undefined } | { among: readonly string[] };

/** A walk in one direction, from one CI (`from`) or from several at once. */
interface WalkFrom {
  from?: string;
  direction: ImpactDirection;
  walk: Walk;
}

/**
 * The CMDB may have left out a CI the walk was asked about: its cap stopped the walk, or it
 * reached more CIs than its limit let it list (a walk `among` a set lists all it reached).
 */
function listedInPart(analysis: ImpactAnalysis, listing: Listing): boolean {
  if (analysis.truncated) return true;
  return !listing.among && analysis.reachedCount - analysis.withheldCount > analysis.items.length;
}

/**
 * Reads the CMDB's impact analysis for the change domain, as the change service (ADR 12):
 * what a change's CIs put at risk, and which CIs depend on each other. Each read has one
 * deadline for all its requests; when the CMDB is down, slow or failing the read is a
 * degraded marker with the reason, never an exception. A refusal (a 4xx: the change service
 * not trusted or not permitted, a depth above the CMDB's maximum) is thrown as
 * `ServiceCallRefused`: waiting does not mend it.
 *
 * The CMDB shows the change service what it shows anyone without a role that sees every CI
 * (docs/authorization.md): restricted CIs are walked through and counted, never named, and a
 * restricted CI given is reported in `unseenCiIds` as an unknown one.
 */
export class CmdbImpactClient {
  constructor(
    private readonly cmdb: Pick<ServiceClient, 'post'>,
    private readonly timeoutMs: number,
  ) {}

  /** The business services that depend on `ciIds` within `depth` steps, with their criticality: a change's blast radius. */
  async upstreamBusinessServices(
    ciIds: readonly string[],
    depth: number,
  ): Promise<CmdbRead<UpstreamBusinessServices>> {
    assertSteps('depth', depth);
    const ids = distinct(ciIds);
    if (ids.length > MAX_CIS_PER_ANALYSIS)
      throw new RangeError(`at most ${MAX_CIS_PER_ANALYSIS} CIs at once, not ${ids.length}`);
    // Business services are answered whatever the limit: list as few other CIs as possible.
    const walk = await this.walk(
      ids,
      'upstream',
      depth,
      { limit: 1 },
      AbortSignal.timeout(this.timeoutMs),
    );
    if (walk.degraded) return walk;
    const { analysis, unseen } = walk.value;
    return {
      degraded: false,
      value: {
        businessServices: analysis.businessServices.map((service) => ({
          ciId: service.ciId,
          name: service.name,
          class: service.class,
          status: service.status,
          criticality: service.criticality,
          distance: service.distance,
          path: service.path,
        })),
        reachedCount: analysis.reachedCount,
        withheldCount: analysis.withheldCount,
        truncated: analysis.truncated,
        unseenCiIds: unseen,
      },
    };
  }

  /**
   * Which of `ciIds` depend on each other within `hops` steps, either way; or, given
   * `others`, which of `ciIds` are within `hops` of one of `others` (another change's CIs,
   * say). Against another set, first one walk each way from all the CIs given at once,
   * each CI reached attributed to the start its shortest path leaves from (so a CI of the
   * other set within reach of two of them is named once, with the nearer); in a direction
   * the CMDB lists only in part, and among one set (where the starts would hide each
   * other), one walk per CI given (downstream only among one set, where each pair shows
   * from its dependent's side), a few at a time. Each walk lists only the CIs asked about
   * (up to MAX_CIS_PER_ANALYSIS of them; more, and it lists the CMDB's nearest). All within
   * one deadline.
   */
  async dependencies(
    ciIds: readonly string[],
    hops: number,
    others?: readonly string[],
  ): Promise<CmdbRead<CiDependencies>> {
    assertSteps('hops', hops);
    const sources = distinct(ciIds);
    const targets = new Set(others ? distinct(others) : sources);
    const listing: Listing = targets.size <= MAX_CIS_PER_ANALYSIS ? { among: [...targets] } : {};
    // One deadline for every walk, and a stop for the rest once one is refused.
    const stop = new AbortController();
    const signal = AbortSignal.any([AbortSignal.timeout(this.timeoutMs), stop.signal]);
    let results: WalkFrom[] = [];
    let directions: ImpactDirection[] = others ? ['downstream', 'upstream'] : ['downstream'];
    if (others && sources.length > 1 && sources.length <= MAX_CIS_PER_ANALYSIS) {
      const together = await this.walksTogether(sources, directions, hops, listing, signal);
      if (together.degraded) return together;
      results = together.value.listed;
      directions = together.value.listedInPart;
    }
    const each = await this.walksFromEach(sources, directions, hops, listing, signal, stop);
    if (each.degraded) return each;
    results.push(...each.value);
    const dependencies: CiDependency[] = [];
    const incomplete = new Set<string>();
    const unseen = new Set<string>();
    for (const { direction, walk, from } of results) {
      const { analysis } = walk;
      walk.unseen.forEach((id) => unseen.add(id));
      if (from !== undefined && listedInPart(analysis, listing)) incomplete.add(from);
      for (const item of analysis.items) {
        // A walk from several CIs names, for each CI reached, the start its shortest path leaves from.
        const start = from ?? item.path[0];
        if (start !== undefined && item.ciId !== start && targets.has(item.ciId))
          dependencies.push({
            ciId: start,
            relatedCiId: item.ciId,
            direction,
            distance: item.distance,
            path: item.path,
          });
      }
    }
    return {
      degraded: false,
      value: {
        dependencies: sortDependencies(dependencies, sources),
        incompleteCiIds: sources.filter((id) => incomplete.has(id)),
        unseenCiIds: sources.filter((id) => unseen.has(id)),
      },
    };
  }

  /**
   * One walk per direction from all of `sources` at once, in parallel: the walks listed
   * whole, and the directions listed only in part (whose CIs reached cannot all be
   * attributed; the caller walks those from each CI, whose neighbourhoods are smaller).
   */
  private async walksTogether(
    sources: readonly string[],
    directions: readonly ImpactDirection[],
    hops: number,
    listing: Listing,
    signal: AbortSignal,
  ): Promise<CmdbRead<{ listed: WalkFrom[]; listedInPart: ImpactDirection[] }>> {
    const walks = await Promise.all(
      directions.map((direction) => this.walk(sources, direction, hops, listing, signal)),
    );
    const listed: WalkFrom[] = [];
    const inPart: ImpactDirection[] = [];
    for (const [index, walk] of walks.entries()) {
      if (walk.degraded) return walk;
      if (listedInPart(walk.value.analysis, listing)) inPart.push(directions[index]);
      else listed.push({ direction: directions[index], walk: walk.value });
    }
    return { degraded: false, value: { listed, listedInPart: inPart } };
  }

  /** One walk per CI and direction, a few at a time; degraded as a whole when one is. */
  private async walksFromEach(
    sources: readonly string[],
    directions: readonly ImpactDirection[],
    hops: number,
    listing: Listing,
    signal: AbortSignal,
    stop: AbortController,
  ): Promise<CmdbRead<WalkFrom[]>> {
    const walks = sources.flatMap((ciId) => directions.map((direction) => ({ ciId, direction })));
    const results: WalkFrom[] = [];
    let degradedBy: Degraded | undefined;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < walks.length && !degradedBy) {
        const { ciId, direction } = walks[next++];
        let walk: CmdbRead<Walk>;
        try {
          // Without `among`, no limit: the CMDB's default, which a deployment may raise to
          // CMDB_IMPACT_MAX_CIS.
          walk = await this.walk([ciId], direction, hops, listing, signal);
        } catch (error) {
          stop.abort();
          throw error;
        }
        if (walk.degraded) {
          // One walk missing makes the whole answer unreliable: the first reason says why.
          degradedBy ??= walk;
          stop.abort();
          return;
        }
        results.push({ from: ciId, direction, walk: walk.value });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENT_WALKS, walks.length) }, worker));
    return degradedBy ?? { degraded: false, value: results };
  }

  /**
   * One impact analysis from `ciIds`. CIs the CMDB refuses as unknown (an unknown id, or a
   * restricted CI the change service may not see: the CMDB answers both alike) are left out
   * and the walk asked again from the rest, under the same deadline.
   */
  private async walk(
    ciIds: readonly string[],
    direction: ImpactDirection,
    depth: number,
    listing: Listing,
    signal: AbortSignal,
  ): Promise<CmdbRead<Walk>> {
    let remaining = [...ciIds];
    const unseen: string[] = [];
    while (remaining.length > 0) {
      try {
        const read = await this.cmdb.post(
          IMPACT_PATH,
          { ciIds: remaining, direction, depth, ...listing },
          { parse: parseImpact, signal },
        );
        return read.degraded ? read : { degraded: false, value: { analysis: read.value, unseen } };
      } catch (error) {
        const refusedIds = error instanceof ServiceCallRefused && unknownCis(error, remaining);
        if (!refusedIds) throw error;
        unseen.push(...refusedIds);
        remaining = remaining.filter((id) => !refusedIds.includes(id));
      }
    }
    return { degraded: false, value: { analysis: NO_IMPACT, unseen } };
  }
}

/**
 * The CIs of `ciIds` a refusal names as not CIs: a 404 for the one CI of a single-CI
 * analysis, a 400 naming `ciIds[i]` for several; undefined for any other refusal (a wrong
 * depth, a route that is not there), which is not about the CIs.
 */
function unknownCis(refusal: ServiceCallRefused, ciIds: readonly string[]): string[] | undefined {
  const problem = refusal.problem;
  if (refusal.status === 404 && problem?.type === problemType('not-found') && ciIds.length === 1)
    return [...ciIds];
  if (refusal.status !== 400 || problem?.type !== problemType('validation-error')) return;
  const errors = problem.errors ?? [];
  const indexes = errors.map((error) => /^ciIds\[(\d+)\]$/.exec(error.field)?.[1]);
  if (errors.length === 0 || indexes.some((index) => index === undefined)) return;
  const named = indexes.flatMap((index) => {
    const id = ciIds[Number(index)];
    return id === undefined ? [] : [id];
  });
  return named.length > 0 ? named : undefined;
}

/** The CMDB refuses a depth above its own maximum (CMDB_IMPACT_MAX_DEPTH, 10 by default) with a 400. */
function assertSteps(name: string, steps: number): void {
  if (!Number.isInteger(steps) || steps < 1)
    throw new RangeError(`${name} is a whole number from 1, not ${steps}`);
}

function distinct(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}

/** In the order the CIs were given, then nearest first: the same answer for the same graph. */
function sortDependencies(dependencies: CiDependency[], order: readonly string[]): CiDependency[] {
  const rank = new Map(order.map((id, index) => [id, index]));
  return dependencies.sort(
    (a, b) =>
      (rank.get(a.ciId) ?? 0) - (rank.get(b.ciId) ?? 0) ||
      a.distance - b.distance ||
      a.direction.localeCompare(b.direction) ||
      a.relatedCiId.localeCompare(b.relatedCiId),
  );
}
