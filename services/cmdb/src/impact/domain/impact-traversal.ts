/** `upstream`: what depends on the CIs (transitively); `downstream`: what they depend on. */
export const IMPACT_DIRECTIONS = ['upstream', 'downstream'] as const;
export type ImpactDirection = (typeof IMPACT_DIRECTIONS)[number];

/** One step of the graph in the direction walked: from a CI already reached to a neighbour. */
export interface Step {
  from: string;
  to: string;
}

export interface Reached {
  ciId: string;
  distance: number;
  /** CI ids from a start CI to this one, both included. */
  path: string[];
}

/**
 * The bookkeeping of a breadth-first walk, one level at a time: which CIs are reached, at
 * which distance, through which parent (so each gets one shortest path), and when to stop
 * (depth reached, nothing new, or the cap on reached CIs). The steps of each level come from
 * outside (one query per level), so the same walk runs on any graph store.
 *
 * Cycles end by themselves: a CI reached once is never expanded again.
 */
export class ImpactTraversal {
  private readonly parent = new Map<string, string | null>();
  private readonly distance = new Map<string, number>();
  private frontierIds: string[];
  private level = 0;
  private capped = false;
  private readonly startCount: number;

  constructor(
    startIds: readonly string[],
    private readonly maxDepth: number,
    private readonly maxReached: number,
  ) {
    const unique = [...new Set(startIds)];
    for (const id of unique) {
      this.parent.set(id, null);
      this.distance.set(id, 0);
    }
    this.frontierIds = unique;
    this.startCount = unique.length;
  }

  /** The CIs whose neighbours the next level needs; empty when the walk is over. */
  get frontier(): readonly string[] {
    return this.finished ? [] : this.frontierIds;
  }

  get finished(): boolean {
    return this.capped || this.level >= this.maxDepth || this.frontierIds.length === 0;
  }

  /** Whether the cap on reached CIs stopped the walk before its depth. */
  get truncated(): boolean {
    return this.capped;
  }

  /** Takes the steps out of the current frontier and makes the newly reached CIs the next one. */
  advance(steps: readonly Step[]): void {
    if (this.finished) return;
    this.level += 1;
    const next: string[] = [];
    for (const { from, to } of steps) {
      if (this.distance.has(to) || !this.distance.has(from)) continue;
      if (this.reachedCount >= this.maxReached) {
        this.capped = true;
        break;
      }
      this.parent.set(to, from);
      this.distance.set(to, this.level);
      next.push(to);
    }
    this.frontierIds = next;
  }

  /** How many CIs were reached, start CIs excluded. */
  get reachedCount(): number {
    return this.distance.size - this.startCount;
  }

  /**
   * The CIs reached (start CIs excluded, and those in `withheld`; only those in `among` when
   * given), nearest first, each with one shortest path; at most `limit` of them. Paths are
   * built only for the CIs answered.
   */
  reached(
    limit = Infinity,
    withheld: ReadonlySet<string> = new Set(),
    among?: ReadonlySet<string>,
  ): Reached[] {
    const results: Reached[] = [];
    // Insertion order is breadth-first order: start CIs, then level 1, level 2...
    for (const [ciId, distance] of this.distance) {
      if (results.length >= limit) break;
      if (distance === 0 || withheld.has(ciId) || (among && !among.has(ciId))) continue;
      results.push({ ciId, distance, path: this.pathTo(ciId) });
    }
    return results;
  }

  /** Every CI reached (start CIs excluded), nearest first, without paths. */
  reachedIds(): string[] {
    const ids: string[] = [];
    for (const [ciId, distance] of this.distance) if (distance > 0) ids.push(ciId);
    return ids;
  }

  /** One CI reached, with its distance and path; undefined for a start CI or one not reached. */
  find(ciId: string): Reached | undefined {
    const distance = this.distance.get(ciId);
    return distance ? { ciId, distance, path: this.pathTo(ciId) } : undefined;
  }

  private pathTo(ciId: string): string[] {
    const path = [ciId];
    for (let at = this.parent.get(ciId); at; at = this.parent.get(at)) path.push(at);
    return path.reverse();
  }
}

/** What a path shows in place of a CI the caller may not see: the step, not the CI. */
export const WITHHELD_STEP = 'restricted';

/**
 * A path as a caller who may not see the `withheld` CIs reads it: each of them is an
 * anonymous step, so the distance still reads right and nothing of the CI (not even its
 * id) shows.
 */
export function pathShown(path: readonly string[], withheld: ReadonlySet<string>): string[] {
  return path.map((id) => (withheld.has(id) ? WITHHELD_STEP : id));
}
