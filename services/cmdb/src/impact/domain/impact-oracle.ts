import { type Step } from './impact-traversal';

/**
 * A deliberately naive reference for impact analysis, used by the tests and the
 * benchmark: every path up to the depth explored, the shortest distance of each CI kept.
 */
export function bruteForceReach(
  edges: readonly Step[],
  starts: readonly string[],
  depth: number,
): Map<string, number> {
  const startSet = new Set(starts);
  const best = new Map<string, number>();
  const explore = (node: string, distance: number) => {
    if (distance === depth) return;
    for (const edge of edges) {
      if (edge.from !== node || startSet.has(edge.to)) continue;
      const known = best.get(edge.to);
      if (known !== undefined && known <= distance + 1) continue;
      best.set(edge.to, distance + 1);
      explore(edge.to, distance + 1);
    }
  };
  for (const start of starts) explore(start, 0);
  return best;
}

/** A reproducible random directed graph (cycles, diamonds and self-loops likely), from a seed. */
export function randomGraph(
  nodeCount: number,
  edgeCount: number,
  seed: number,
): { nodes: string[]; edges: Step[] } {
  let state = seed >>> 0 || 1;
  const next = () => {
    // xorshift32: small, fast and the same everywhere.
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const nodes = Array.from({ length: nodeCount }, (_, index) => `n${index}`);
  const edges = Array.from({ length: edgeCount }, () => ({
    from: nodes[Math.floor(next() * nodeCount)],
    to: nodes[Math.floor(next() * nodeCount)],
  }));
  return { nodes, edges };
}
