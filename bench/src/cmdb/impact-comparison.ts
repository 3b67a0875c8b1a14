/** What the service answered for one CI reached. */
export interface ServiceReached {
  ciId: string;
  distance: number;
  path: string[];
}

/** How one impact answer differs from the recursive reference (all zero when they agree). */
export interface ImpactMismatch {
  /** CIs the reference reaches that the service does not (not counted for a truncated answer). */
  missing: number;
  /** CIs the service reaches that the reference does not. */
  extra: number;
  /** CIs both reach, at different distances. */
  distanceDiffers: number;
  /** Paths that do not run from the start CI to the CI in `distance` steps. */
  badPaths: number;
}

export function noMismatch(mismatch: ImpactMismatch): boolean {
  return mismatch.missing + mismatch.extra + mismatch.distanceDiffers + mismatch.badPaths === 0;
}

/**
 * Compares the sets of CIs reached and their distances (a truncated answer must be a
 * subset at the right distances), and checks each path's ends and length.
 */
export function compareImpact(
  start: string,
  service: readonly ServiceReached[],
  truncated: boolean,
  reference: ReadonlyMap<string, number>,
): ImpactMismatch {
  const mismatch: ImpactMismatch = { missing: 0, extra: 0, distanceDiffers: 0, badPaths: 0 };
  const seen = new Set<string>();
  for (const item of service) {
    seen.add(item.ciId);
    const expected = reference.get(item.ciId);
    if (expected === undefined) mismatch.extra += 1;
    else if (expected !== item.distance) mismatch.distanceDiffers += 1;
    if (
      item.path.length !== item.distance + 1 ||
      item.path[0] !== start ||
      item.path.at(-1) !== item.ciId
    )
      mismatch.badPaths += 1;
  }
  if (!truncated) for (const id of reference.keys()) if (!seen.has(id)) mismatch.missing += 1;
  return mismatch;
}

/** An impact answer as the benchmark reads it. */
export interface ServiceAnswer {
  truncated: boolean;
  reachedCount: number;
  items: ServiceReached[];
  businessServices: { ciId: string }[];
}

/**
 * How many ways an answer cut at `limit` differs from the whole answer for the same start
 * CI: the count reached, an item the whole answer lacks or has at another distance, an item
 * listed while a nearer one is left out, a business service missing or added.
 */
export function compareLimited(limited: ServiceAnswer, whole: ServiceAnswer): number {
  const distances = new Map(whole.items.map((item) => [item.ciId, item.distance]));
  let differences = limited.reachedCount === whole.reachedCount ? 0 : 1;
  const listed = new Set<string>();
  let farthest = 0;
  for (const item of limited.items) {
    listed.add(item.ciId);
    farthest = Math.max(farthest, item.distance);
    if (distances.get(item.ciId) !== item.distance) differences += 1;
  }
  for (const item of whole.items)
    if (item.distance < farthest && !listed.has(item.ciId)) differences += 1;
  const services = (answer: ServiceAnswer) =>
    answer.businessServices
      .map((service) => service.ciId)
      .sort()
      .join();
  if (services(limited) !== services(whole)) differences += 1;
  return differences;
}
