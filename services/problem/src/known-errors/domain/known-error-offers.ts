/**
 * Which known errors an incident is offered, and in which order: one that shares a CI
 * with the incident beats any that does not, one of the incident's category beats one
 * that only reads alike, and among equals the closer text match comes first.
 */

/** Why a known error is offered for an incident. */
export type MatchKind = 'ci' | 'category' | 'text';

/**
 * What a match is worth. The text match adds its normalised rank, in [0, 1), so it orders
 * known errors within a kind of match but never lifts one above a stronger kind:
 * a shared CI (2) > the category and any text (< 2) > the category (1) > text alone (< 1).
 */
export const OFFER_WEIGHTS = { ci: 2, category: 1 } as const;

/** How many offers an incident gets unless the caller asks for another number. */
export const DEFAULT_OFFER_LIMIT = 10;
export const MAX_OFFER_LIMIT = 50;

/** What was found to match between one incident and one known error. */
export interface MatchEvidence {
  /** How many CIs the two share. */
  sharedCis: number;
  sameCategory: boolean;
  /** The full-text rank of the known error for the incident's words, normalised to [0, 1). */
  textRank: number;
}

export function matchedBy(evidence: MatchEvidence): MatchKind[] {
  const kinds: MatchKind[] = [];
  if (evidence.sharedCis > 0) kinds.push('ci');
  if (evidence.sameCategory) kinds.push('category');
  if (evidence.textRank > 0) kinds.push('text');
  return kinds;
}

/** The score offers are ordered by, best first (see {@link OFFER_WEIGHTS}). */
export function offerScore(evidence: MatchEvidence): number {
  return (
    (evidence.sharedCis > 0 ? OFFER_WEIGHTS.ci : 0) +
    (evidence.sameCategory ? OFFER_WEIGHTS.category : 0) +
    Math.min(Math.max(evidence.textRank, 0), 0.999999)
  );
}

/** The most words of an incident a text match looks for: the title's first, then the description's. */
export const MAX_TEXT_TERMS = 64;
/** Words shorter than this say too little to match on. */
const MIN_TERM_LENGTH = 2;
/** Words `websearch_to_tsquery` reads as operators rather than as words. */
const OPERATOR_WORDS = new Set(['or']);

/**
 * The distinct words of an incident's title and description, lower case, in order of
 * appearance: letters and digits only, so that none can be read as query syntax.
 */
export function textQueryTerms(...texts: readonly string[]): string[] {
  const terms = new Set<string>();
  for (const text of texts) {
    for (const word of text.toLowerCase().split(/[^\p{L}\p{N}]+/u)) {
      if (word.length < MIN_TERM_LENGTH || OPERATOR_WORDS.has(word)) continue;
      terms.add(word);
      if (terms.size === MAX_TEXT_TERMS) return [...terms];
    }
  }
  return [...terms];
}

/**
 * The words as one `websearch_to_tsquery` query that any of them satisfies (`a or b or c`):
 * a known error is a text match when it shares a single (stemmed, non-stop) word with the
 * incident, and ranks higher the more it shares. Null when there are no words.
 */
export function anyWordQuery(terms: readonly string[]): string | null {
  return terms.length > 0 ? terms.join(' or ') : null;
}
