import { QUERY_PLAN_SCHEMA, type PlanTerm, type QueryPlan } from '@search-mesh/contracts';

/** Words kept from a raw query, like query understanding's own normalisation. */
export const MAX_FALLBACK_WORDS = 32;
export const MAX_FALLBACK_WORD_LENGTH = 48;

/**
 * Lowercase, Unicode-compatibility folded, accents removed; anything that is not a letter, a digit or a
 * dot between digits becomes a space. The result is plain words: whatever the shopper typed, nothing of
 * it reaches Elasticsearch as query syntax (and the query builder only uses structured queries anyway).
 */
export function plainWords(raw: string): string[] {
  const folded = raw.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
  const spaced = folded.replace(/(?<=\d)\.(?=\d)/g, '\u0000').replace(/[^\p{L}\p{N}\u0000]+/gu, ' ').replace(/\u0000/g, '.');
  return spaced
    .split(' ')
    .filter((w) => w.length > 0 && w.length <= MAX_FALLBACK_WORD_LENGTH)
    .slice(0, MAX_FALLBACK_WORDS);
}

/**
 * The plan used when query understanding cannot answer: the raw words, each a plain word term; no
 * corrections, rules, filters, boosts or category predictions.
 */
export function rawQueryPlan(raw: string): QueryPlan {
  const words = plainWords(raw);
  const terms: PlanTerm[] = words.map((text) => ({ text, alternatives: [], role: 'word' }));
  const normalised = words.join(' ');
  return {
    schema: QUERY_PLAN_SCHEMA,
    original: raw,
    normalised,
    query: normalised,
    terms,
    filters: [],
    boosts: [],
    spelling: { action: 'none', confidence: 1, corrections: [] },
    categories: [],
    intent: { type: terms.length === 0 ? 'empty' : 'product' },
    rewrites: [],
    versions: { model: 'none', rules: 'none', lexicon: 'none' },
  };
}
