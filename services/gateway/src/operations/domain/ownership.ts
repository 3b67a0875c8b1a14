/** What one service said when asked whether it holds an id. */
export type Probe =
  | { service: string; outcome: 'found' }
  | { service: string; outcome: 'absent' }
  | { service: string; outcome: 'unreachable' };

/** Which service an id belongs to, from every service's answer. */
export type Ownership =
  | { kind: 'owned'; service: string; unreachable: string[] }
  | { kind: 'none'; unreachable: string[] }
  | { kind: 'ambiguous'; services: string[] };

/**
 * The owner of an id asked of every service: the one service that has it. Ids are each
 * service's own row numbers, so two services may both have one: that is ambiguous, and
 * only the per-service path can say which is meant. A service that did not answer may have
 * it too, so it is named either way.
 */
export function ownerOf(probes: readonly Probe[]): Ownership {
  const found = probes.filter((probe) => probe.outcome === 'found').map((probe) => probe.service);
  const unreachable = probes
    .filter((probe) => probe.outcome === 'unreachable')
    .map((probe) => probe.service);
  const [only, ...others] = found;
  if (only === undefined) return { kind: 'none', unreachable };
  if (others.length > 0) return { kind: 'ambiguous', services: found };
  return { kind: 'owned', service: only, unreachable };
}
