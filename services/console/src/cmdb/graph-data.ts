import { readCis, readRelationships } from './cmdb-api';
import type { ConfigurationItem, Relationship } from './types';

/** Beyond this many CIs a neighbourhood stops growing: a graph that size is no longer read. */
export const MAX_GRAPH_NODES = 150;

export interface GraphNode {
  id: string;
  /** Undefined only when the CI could not be read (deleted meanwhile). */
  ci: ConfigurationItem | undefined;
  /** Relationship steps from the CI the graph is about. */
  distance: number;
  /** Whether its relationships are all in the graph. */
  expanded: boolean;
}

export interface GraphData {
  nodes: GraphNode[];
  edges: Relationship[];
  /** The node limit stopped the walk: some neighbours are not shown. */
  truncated: boolean;
}

/**
 * The neighbourhood of `focus`: every CI within `hops` relationship steps, plus the
 * neighbours of the CIs the user expanded. One relationship read per expanded CI, level by
 * level, then one batch read for the CIs' names and classes. With `asOf`, the relationships
 * that stood then (the CIs' names are today's).
 */
export async function loadNeighbourhood(
  focus: string,
  hops: number,
  expand: readonly string[],
  asOf: string | undefined,
): Promise<GraphData> {
  const distance = new Map<string, number>([[focus, 0]]);
  const expanded = new Set<string>();
  const edges = new Map<string, Relationship>();
  let truncated = false;

  const expandAll = async (ids: string[]): Promise<string[]> => {
    const found: string[] = [];
    const lists = await Promise.all(ids.map((id) => readRelationships(id, asOf)));
    ids.forEach((id, index) => {
      expanded.add(id);
      const from = distance.get(id) ?? 0;
      for (const relationship of lists[index] ?? []) {
        const other = relationship.sourceId === id ? relationship.targetId : relationship.sourceId;
        if (!distance.has(other)) {
          if (distance.size >= MAX_GRAPH_NODES) {
            truncated = true;
            continue;
          }
          distance.set(other, from + 1);
          found.push(other);
        }
        edges.set(relationship.id, relationship);
      }
    });
    return found;
  };

  let frontier = [focus];
  for (let step = 0; step < hops && frontier.length > 0; step++)
    frontier = await expandAll(frontier);
  const more = expand.filter((id) => distance.has(id) && !expanded.has(id));
  if (more.length > 0) await expandAll(more);

  const cis = await readCis([...distance.keys()]);
  return {
    nodes: [...distance].map(([id, steps]) => ({
      id,
      ci: cis.get(id),
      distance: steps,
      expanded: expanded.has(id),
    })),
    // An edge between two CIs already in the graph whose other end was cut off by the limit.
    edges: [...edges.values()].filter(
      (edge) => distance.has(edge.sourceId) && distance.has(edge.targetId),
    ),
    truncated,
  };
}
