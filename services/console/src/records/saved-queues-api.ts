import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiGet, apiRequest } from '../api/client';
import type { Page } from '../api/types';
import type { SavedQueue, SavedQueueList } from './saved-queues';

const PATH = '/me/saved-queues';
const KEY = ['saved-queues'];

/** The user's saved queues, in their order (`GET /api/v1/me/saved-queues`). */
export const savedQueuesQuery = queryOptions({
  queryKey: KEY,
  queryFn: async () => (await apiGet<Page<SavedQueue>>(PATH)).items,
  staleTime: 60_000,
});

export function useSavedQueues() {
  return useQuery(savedQueuesQuery);
}

export interface NewSavedQueue {
  name: string;
  list: SavedQueueList;
  parameters: Record<string, string>;
  isDefault: boolean;
}

export type SavedQueueChanges = Partial<
  Pick<SavedQueue, 'name' | 'list' | 'parameters' | 'position' | 'isDefault'>
>;

/** Saves, changes and deletes the user's queues; each reads the list again after. */
export function useSavedQueueActions() {
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: KEY });
  const create = useMutation({
    mutationFn: async (queue: NewSavedQueue) =>
      (await apiRequest<SavedQueue>('POST', PATH, { body: queue })).body,
    onSuccess: refresh,
  });
  const update = useMutation({
    mutationFn: async ({ queue, changes }: { queue: SavedQueue; changes: SavedQueueChanges }) =>
      (
        await apiRequest<SavedQueue>('PATCH', `${PATH}/${queue.id}`, {
          body: changes,
          headers: { 'if-match': `"${queue.version}"` },
        })
      ).body,
    // A 412 (changed in another tab) too: the list read again has the current version.
    onSettled: refresh,
  });
  const remove = useMutation({
    mutationFn: (queue: SavedQueue) => apiRequest<void>('DELETE', `${PATH}/${queue.id}`),
    onSettled: refresh,
  });
  return { create, update, remove };
}
