import { useQuery } from '@tanstack/react-query';
import { apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import type { ConfigurationItem, Relationship } from './types';

/** `GET /api/v1/cis?ids=` takes at most 100 ids. */
const IDS_PER_READ = 100;
/** The most relationships read per CI: a CI with more is a hub the graph cannot show anyway. */
const RELATIONSHIPS_PER_CI = 500;

/** The CIs of these ids (those the caller may see), read in batches of 100. */
export async function readCis(ids: readonly string[]): Promise<Map<string, ConfigurationItem>> {
  const unique = [...new Set(ids)];
  const batches: string[][] = [];
  for (let start = 0; start < unique.length; start += IDS_PER_READ)
    batches.push(unique.slice(start, start + IDS_PER_READ));
  const pages = await Promise.all(
    batches.map((batch) =>
      apiGet<Page<ConfigurationItem>>(
        `/cis${queryString({ ids: batch.join(','), limit: String(IDS_PER_READ) })}`,
      ),
    ),
  );
  return new Map(pages.flatMap((page) => page.items).map((ci) => [ci.id, ci]));
}

/** A CI's relationships, now or (with `asOf`) as they stood then. */
export async function readRelationships(ciId: string, asOf?: string): Promise<Relationship[]> {
  const page = await apiGet<Page<Relationship>>(
    `/relationships${queryString({ ciId, asOf, limit: String(RELATIONSHIPS_PER_CI) })}`,
  );
  return page.items;
}

export function useRelationships(ciId: string, asOf: string | undefined) {
  return useQuery({
    queryKey: ['relationships', ciId, asOf],
    queryFn: () => readRelationships(ciId, asOf),
  });
}

/** Names and classes for the CIs a list refers to by id. */
export function useCis(ids: readonly string[]) {
  const sorted = [...new Set(ids)].sort();
  return useQuery({
    queryKey: ['cis', 'by-id', sorted],
    queryFn: () => readCis(sorted),
    enabled: sorted.length > 0,
  });
}
