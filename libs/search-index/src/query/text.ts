import type { estypes } from '@elastic/elasticsearch';

/** One thing to match in the product text (a query plan's term fits it). */
export interface TextTerm {
  text: string;
  alternatives: readonly string[];
  role: 'word' | 'brand' | 'model_number' | 'colour';
}

/**
 * The analysed fields a term is looked for in, with boosts: the title and brand say most about what a
 * product is, model numbers identify it exactly, category names and attributes say what kind of thing it
 * is, search terms are the catalog's own keywords, the description is long and says the least.
 */
export const TERM_FIELDS: readonly string[] = [
  'title^3',
  'brand.text^3',
  'model_number^6',
  'model_line.text^2',
  'category.path.text^2',
  'search_terms^2',
  'attr_text^1.5',
  'description^0.3',
];
/** As-you-type: the last word of a query may be unfinished ("samsung refrig"). */
export const PREFIX_FIELDS: readonly string[] = ['title.prefix^0.5', 'brand.prefix^0.5', 'model_number.prefix^2'];
/** Alternatives (synonyms) score a little below the word the shopper used. */
export const ALTERNATIVE_WEIGHT = 0.8;
/** Longest word the prefix fields are used for is unbounded; shortest: */
export const MIN_PREFIX_LENGTH = 3;
/** Synonyms per term that are searched (the rest add clauses, not recall). */
export const MAX_ALTERNATIVES = 10;

export interface TextQueryOptions {
  /** Indexes of terms that may be missing (zero-result relaxation): they score when present. */
  optional?: ReadonlySet<number>;
  /** Reward products whose title has the words together (shingles, phrase). Default true. */
  phraseBoost?: boolean;
  /** Treat the last term as possibly unfinished (prefix fields). Default true. */
  prefixLastTerm?: boolean;
}

function termClause(term: TextTerm, prefix: boolean): estypes.QueryDslQueryContainer {
  const fields = prefix && term.text.length >= MIN_PREFIX_LENGTH ? [...TERM_FIELDS, ...PREFIX_FIELDS] : [...TERM_FIELDS];
  const match = (query: string, boost?: number): estypes.QueryDslQueryContainer => ({
    multi_match: { query, fields, type: 'best_fields', operator: 'and', tie_breaker: 0.3, ...(boost !== undefined ? { boost } : {}) },
  });
  const should: estypes.QueryDslQueryContainer[] = [match(term.text)];
  for (const alternative of term.alternatives.slice(0, MAX_ALTERNATIVES)) should.push(match(alternative, ALTERNATIVE_WEIGHT));
  if (term.role === 'model_number') should.push({ term: { model_number: { value: term.text, boost: 10 } } });
  return should.length === 1 ? should[0]! : { bool: { should, minimum_should_match: 1 } };
}

/**
 * Every term must match somewhere (each in its best field, so "samsung tv" finds the brand in `brand`
 * and "tv" in the title), terms listed in `optional` only score; phrases in the title score extra.
 * Structured clauses only (`multi_match`, `match`, `term`): the words are data, never query syntax.
 */
export function productTextQuery(terms: readonly TextTerm[], options: TextQueryOptions = {}): estypes.QueryDslQueryContainer {
  if (terms.length === 0) return { match_all: {} };
  const optional = options.optional ?? new Set<number>();
  const must: estypes.QueryDslQueryContainer[] = [];
  const should: estypes.QueryDslQueryContainer[] = [];
  terms.forEach((term, index) => {
    const prefix = (options.prefixLastTerm ?? true) && index === terms.length - 1;
    (optional.has(index) ? should : must).push(termClause(term, prefix));
  });
  const text = terms.map((t) => t.text).join(' ');
  if ((options.phraseBoost ?? true) && text.includes(' ')) {
    should.push({ match: { 'title.shingles': { query: text, boost: 2 } } });
    should.push({ match_phrase: { title: { query: text, slop: 1, boost: 2 } } });
  }
  const bool: estypes.QueryDslBoolQuery = { must, should };
  // With every term optional, at least one must match.
  if (must.length === 0) bool.minimum_should_match = 1;
  return { bool };
}
