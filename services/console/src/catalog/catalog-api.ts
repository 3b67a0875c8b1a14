import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { ApiError, apiGet, queryString } from '../api/client';
import type { Page } from '../api/types';
import type { CatalogItem } from './catalog';

/** `GET /api/v1/catalog-items` with its filters, page after page ("Load more"). */
export function useCatalog(filters: { q?: string; active?: 'true' | 'false' }) {
  const query = { q: filters.q?.trim() || undefined, active: filters.active, limit: '100' };
  return useInfiniteQuery({
    queryKey: ['catalog-items', query],
    queryFn: ({ pageParam }) =>
      apiGet<Page<CatalogItem>>(`/catalog-items${queryString({ ...query, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (page) => page.nextCursor ?? undefined,
  });
}

/** One item by key; null when the catalogue has no such key (the request names free text). */
export function useCatalogItem(key: string) {
  return useQuery({
    queryKey: ['catalog-items', 'one', key],
    enabled: key.trim() !== '',
    queryFn: async () => {
      try {
        return await apiGet<CatalogItem>(`/catalog-items/${encodeURIComponent(key.trim())}`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}
