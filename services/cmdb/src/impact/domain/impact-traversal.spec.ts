import fc from 'fast-check';
import { ImpactTraversal, WITHHELD_STEP, pathShown, type Step } from './impact-traversal';
import { bruteForceReach, randomGraph } from './impact-oracle';

/** Walks an in-memory edge list with the traversal, as the service walks the database. */
function walk(
  edges: readonly Step[],
  starts: string[],
  depth: number,
  cap = Infinity,
): ImpactTraversal {
  const traversal = new ImpactTraversal(starts, depth, cap);
  while (traversal.frontier.length > 0) {
    const frontier = new Set(traversal.frontier);
    traversal.advance(edges.filter((edge) => frontier.has(edge.from)));
  }
  return traversal;
}

describe('the impact traversal', () => {
  it('walks a cycle once and a diamond to its nearest distance', () => {
    const edges = [
      { from: 'a', to: 'b' },
      { from: 'b', to: 'c' },
      { from: 'c', to: 'a' },
      { from: 'a', to: 'd' },
      { from: 'd', to: 'e' },
      { from: 'b', to: 'e' },
    ];
    const reached = walk(edges, ['a'], 10).reached();
    expect(reached.map(({ ciId, distance }) => [ciId, distance])).toEqual([
      ['b', 1],
      ['d', 1],
      ['c', 2],
      ['e', 2],
    ]);
    expect(reached.find((entry) => entry.ciId === 'e')?.path).toHaveLength(3);
  });

  it('stops at the depth, and at the cap with truncated set', () => {
    const chain = Array.from({ length: 10 }, (_, index) => ({
      from: `n${index}`,
      to: `n${index + 1}`,
    }));
    expect(
      walk(chain, ['n0'], 3)
        .reached()
        .map((entry) => entry.ciId),
    ).toEqual(['n1', 'n2', 'n3']);
    const capped = walk(chain, ['n0'], 10, 4);
    expect(capped.reached()).toHaveLength(4);
    expect(capped.truncated).toBe(true);
    expect(walk(chain, ['n0'], 10).truncated).toBe(false);
  });

  it('answers the nearest CIs first when limited, and still knows every CI reached', () => {
    // a fan: hub <- m0..m4 at distance 1, each m_i <- l_i at distance 2
    const edges = Array.from({ length: 5 }, (_, index) => [
      { from: 'hub', to: `m${index}` },
      { from: `m${index}`, to: `l${index}` },
    ]).flat();
    const traversal = walk(edges, ['hub'], 3);
    const nearest = traversal.reached(7);
    expect(nearest.map((entry) => entry.distance)).toEqual([1, 1, 1, 1, 1, 2, 2]);
    expect(traversal.reachedIds()).toHaveLength(10);
    expect(traversal.reachedCount).toBe(10);
    expect(nearest.map((entry) => entry.ciId)).not.toContain('l4');
    expect(traversal.find('l4')).toEqual({ ciId: 'l4', distance: 2, path: ['hub', 'm4', 'l4'] });
    expect(traversal.find('hub')).toBeUndefined();
    expect(traversal.find('nowhere')).toBeUndefined();
  });

  it('withholds CIs the caller may not see: the limit counts visible ones, paths show only a step', () => {
    const traversal = walk(
      [
        { from: 'db', to: 'vault' },
        { from: 'vault', to: 'app' },
        { from: 'db', to: 'web' },
      ],
      ['db'],
      3,
    );
    const withheld = new Set(['vault']);
    const nearest = traversal.reached(2, withheld);
    expect(nearest.map((entry) => entry.ciId)).toEqual(['web', 'app']);
    expect(nearest.map((entry) => pathShown(entry.path, withheld))).toEqual([
      ['db', 'web'],
      ['db', WITHHELD_STEP, 'app'],
    ]);
  });

  it('agrees with a brute-force walk on random graphs: same CIs, same distances, valid paths', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 120 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 1, max: 6 }),
        (nodes, edgeCount, seed, depth) => {
          const graph = randomGraph(nodes, edgeCount, seed);
          const starts = graph.nodes.slice(0, 2);
          const expected = bruteForceReach(graph.edges, starts, depth);
          const reached = walk(graph.edges, starts, depth).reached();
          expect(new Map(reached.map((entry) => [entry.ciId, entry.distance]))).toEqual(expected);
          const edgeSet = new Set(graph.edges.map((edge) => `${edge.from}>${edge.to}`));
          for (const { path, distance } of reached) {
            expect(path).toHaveLength(distance + 1);
            expect(starts).toContain(path[0]);
            for (let step = 1; step < path.length; step += 1)
              expect(edgeSet.has(`${path[step - 1]}>${path[step]}`)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
