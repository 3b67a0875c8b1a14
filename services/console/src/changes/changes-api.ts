import { useQuery } from '@tanstack/react-query';
import { apiGet } from '../api/client';
import type { OpenTransitions } from '../api/types';
import type { Change, ChangeApprovals, ChangeConflicts } from './types';

/** One change (`GET /api/v1/changes/{id}`). */
export function useChange(id: string) {
  return useQuery({ queryKey: ['change', id], queryFn: () => apiGet<Change>(`/changes/${id}`) });
}

/** The steps open to it as it stands (`GET …/transitions`), read again with each version. */
export function useChangeTransitions(id: string, version: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['change', id, 'transitions', version],
    queryFn: () => apiGet<OpenTransitions>(`/changes/${id}/transitions`),
    enabled: enabled && version !== undefined,
  });
}

/** Its approval rounds (`GET …/approvals`). */
export function useChangeApprovals(id: string, version?: number) {
  return useQuery({
    queryKey: ['change', id, 'approvals', version],
    queryFn: () => apiGet<ChangeApprovals>(`/changes/${id}/approvals`),
  });
}

/** Its conflicts, checked now (`GET …/conflicts`). */
export const conflictsQuery = (id: string) => ({
  queryKey: ['change', id, 'conflicts'],
  queryFn: () => apiGet<ChangeConflicts>(`/changes/${id}/conflicts`),
  staleTime: 30_000,
});

export function useChangeConflicts(id: string, enabled = true) {
  return useQuery({ ...conflictsQuery(id), enabled });
}
