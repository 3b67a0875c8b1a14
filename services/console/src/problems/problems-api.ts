import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, apiGet, queryString } from '../api/client';
import type { HistoryEntry, JournalEntry, OpenTransitions, Page } from '../api/types';
import {
  OPEN_PROBLEM_STATES,
  type KnownError,
  type KnownErrorOffer,
  type LinkedIncident,
  type ProblemRecord,
  type SelfHelpWorkaround,
} from './types';

/** How many known errors a matching card shows. */
export const MATCHES_SHOWN = 5;

export function useProblem(id: string, enabled = true) {
  return useQuery({
    queryKey: ['problem', id],
    queryFn: () => apiGet<ProblemRecord>(`/problems/${id}`),
    enabled: enabled && id !== '',
  });
}

/** The steps open to the user (`GET /problems/{id}/transitions`), read again with each version. */
export function useProblemTransitions(id: string, version: number | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['problem', id, 'transitions', version],
    queryFn: () => apiGet<OpenTransitions>(`/problems/${id}/transitions`),
    enabled: enabled && version !== undefined,
  });
}

/** Open problems whose number or text matches, for picking the original of a duplicate. */
export function useOpenProblems(q: string) {
  return useQuery({
    queryKey: ['problems', 'pick', q],
    queryFn: () =>
      apiGet<Page<ProblemRecord>>(
        `/problems${queryString({ state: OPEN_PROBLEM_STATES.join(','), q: q || undefined, limit: '20' })}`,
      ),
  });
}

export function useProblemJournal(id: string) {
  return useQuery({
    queryKey: ['problem', id, 'journal'],
    queryFn: () => apiGet<Page<JournalEntry>>(`/problems/${id}/journal?limit=200`),
  });
}

export function useProblemHistory(id: string, version: number) {
  return useQuery({
    queryKey: ['problem', id, 'history', version],
    queryFn: () => apiGet<Page<HistoryEntry>>(`/problems/${id}/history?limit=200`),
  });
}

export function useLinkedIncidents(id: string, version: number) {
  return useQuery({
    queryKey: ['problem', id, 'incidents', version],
    queryFn: () => apiGet<Page<LinkedIncident>>(`/problems/${id}/incidents?limit=100`),
  });
}

/** The known errors recorded from a problem (expired ones too: it is the problem's record). */
export function useProblemKnownErrors(problemId: string) {
  return useQuery({
    queryKey: ['known-errors', { problemId }],
    queryFn: () =>
      apiGet<Page<KnownError>>(
        `/known-errors${queryString({ problemId, includeExpired: 'true', limit: '50' })}`,
      ),
  });
}

export function useKnownError(id: string) {
  return useQuery({
    queryKey: ['known-error', id],
    queryFn: () => apiGet<KnownError>(`/known-errors/${id}`),
  });
}

export function useKnownErrorHistory(id: string, revision: number | undefined) {
  return useQuery({
    queryKey: ['known-error', id, 'history', revision],
    queryFn: () => apiGet<Page<HistoryEntry>>(`/known-errors/${id}/history?limit=200`),
    enabled: revision !== undefined,
  });
}

const isNotFound = (error: unknown) => error instanceof ApiError && error.status === 404;

/**
 * The known errors offered on an incident (`GET /incidents/{id}/known-errors`). The problem
 * service learns of an incident from its events: for one opened a moment ago it answers
 * 404 until then, so a 404 is asked again a few times.
 */
export function useOffers(incidentId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['incident', incidentId, 'known-errors'],
    queryFn: () =>
      apiGet<{ items: KnownErrorOffer[] }>(
        `/incidents/${incidentId}/known-errors?limit=${MATCHES_SHOWN}`,
      ),
    enabled,
    retry: (failures, error) => isNotFound(error) && failures < 10,
    retryDelay: 1500,
  });
}

/**
 * The workarounds of known errors that read like what is typed (`q`), best first: the
 * self-help route anyone who may raise an incident may call (docs/problems.md).
 */
export function useSelfHelpWorkarounds(q: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['known-errors', 'workarounds', q],
    queryFn: () =>
      apiGet<{ items: SelfHelpWorkaround[] }>(
        `/known-errors/workarounds${queryString({ q, limit: String(MATCHES_SHOWN) })}`,
      ),
    enabled: enabled && q !== undefined,
    staleTime: 30_000,
  });
}

/** Reads the problem (with everything keyed under it) and the problem lists again after a write. */
export function useProblemRefresh(id: string) {
  const queryClient = useQueryClient();
  return async () => {
    await queryClient.invalidateQueries({ queryKey: ['problem', id] });
    await queryClient.invalidateQueries({ queryKey: ['problems'] });
  };
}
