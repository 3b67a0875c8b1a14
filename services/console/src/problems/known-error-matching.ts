/** How long typing must pause before the known workarounds are looked up. */
export const MATCH_DEBOUNCE_MS = 400;
/** Fewer characters than this find nothing worth showing. */
export const MIN_MATCH_CHARS = 4;
/** The most words sent: the first ones typed, which usually name the symptom. */
export const MAX_MATCH_WORDS = 12;
/** Words shorter than this carry no meaning for the search. */
const MIN_WORD_LENGTH = 3;
/** The search syntax's own words, which would change the query's meaning. */
const OPERATORS = new Set(['or', 'and', 'not']);

/**
 * What someone typed as a known-error search (`GET /api/v1/known-errors?q=`, web search
 * syntax): any of its words (`a or b or c`), so a description that reads like a symptom
 * finds it, the closest first (the API ranks more and weightier words higher). Quotes,
 * minus signs and other punctuation are dropped so that nothing typed becomes an operator.
 * Undefined when there is too little to search by.
 */
export function matchQuery(typed: string): string | undefined {
  if (typed.trim().length < MIN_MATCH_CHARS) return undefined;
  const seen = new Set<string>();
  const words: string[] = [];
  for (const word of typed.split(/[^\p{L}\p{N}]+/u)) {
    const key = word.toLowerCase();
    if (key.length < MIN_WORD_LENGTH || OPERATORS.has(key) || seen.has(key)) continue;
    seen.add(key);
    words.push(word);
    if (words.length === MAX_MATCH_WORDS) break;
  }
  return words.length > 0 ? words.join(' or ') : undefined;
}
