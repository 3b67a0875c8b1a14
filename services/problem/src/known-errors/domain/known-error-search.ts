/**
 * The known-error search: filters that combine (AND), and an optional ranked full-text
 * query. Ranked answers page by (rank, created, id), the others by (created, id), both
 * newest first within what ties.
 */
export interface KnownErrorSearch {
  /** Web search syntax (words, "phrases", -not, or) over the weighted search document. */
  text?: string;
  ciId?: string;
  ciClass?: string;
  /** Exact, ignoring case. */
  errorCode?: string;
  category?: string;
  problemId?: string;
  /** Known errors past their `validUntil` are left out unless this is true. */
  includeExpired: boolean;
}

/** The last item of the previous page, as its cursor holds it. */
export type SearchPosition =
  | { ranked: false; createdAt: string; id: string }
  | { ranked: true; rank: number; createdAt: string; id: string };

/** The query text that actually searches, or undefined: a query of white space alone filters nothing. */
export function searchText(q: string | undefined): string | undefined {
  const trimmed = q?.trim();
  return trimmed ? trimmed : undefined;
}

/** A rank as a cursor holds it: a finite, non-negative number written as text; undefined when it is not one. */
export function parseRank(value: string): number | undefined {
  if (!/^\d+(\.\d+)?(e-?\d+)?$/i.test(value)) return undefined;
  const rank = Number(value);
  return Number.isFinite(rank) ? rank : undefined;
}
