import type { estypes } from '@elastic/elasticsearch';
import type { FacetAggregation, MerchandisingActions, PlanBoost, PlanFilter, SearchFilter, SortOrder } from '@search-mesh/contracts';
import { SEARCH_LIMITS } from '@search-mesh/contracts';
import { boostFunctions, CATEGORY_LEVELS, CATEGORY_SEPARATOR, conditionQuery, facetAggregations, productTextQuery, rankingFeatureClause, type RankingFeatureInput, type TextTerm } from '@search-mesh/search-index';
import { InvalidParameter } from './errors';
import { merchandisingClauses } from './merchandising';

/** Document fields a result, ranking and facets need; the rest of the document stays in Elasticsearch. */
export const SOURCE_FIELDS = ['id', 'title', 'brand', 'price', 'rating', 'review_count', 'in_stock', 'image', 'category.path', 'popularity', 'release_date'];

/** Counting matches stops here (the answer then says "at least"). */
export const TRACK_TOTAL_HITS = 10_000;

export interface RetrievalInput {
  terms: readonly TextTerm[];
  /** Terms that may be missing (zero-result relaxation). */
  optional?: ReadonlySet<number>;
  planFilters: readonly PlanFilter[];
  planBoosts: readonly PlanBoost[];
  /** Category path the shopper is in. */
  category: string | undefined;
  shopperFilters: readonly SearchFilter[];
  sort: SortOrder;
  page: number;
  size: number;
  /** How many of the best candidates the ranking service reorders (relevance order only). */
  rerankWindow: number;
  aggregations: readonly FacetAggregation[];
  /** The merchandising rules' filters, boosts, buries and pins for this search. */
  merchandising?: MerchandisingActions;
  /** The plan's predicted categories: with them a reranked window carries the ranking service's match features. */
  rankingFeatures?: Pick<RankingFeatureInput, 'categories' | 'leafCategories'>;
}

export interface Retrieval {
  /** The body of one `_search` request. */
  body: estypes.SearchRequest;
  /** True: the hits are the top candidates to rerank, and the page is hits[offset, offset + size) of the new order. */
  rerank: boolean;
  /** The words the page's titles are highlighted with ('' for none; see `titleMarker`). */
  highlighted: string;
  /** Where the page starts within the returned hits. */
  offset: number;
  size: number;
}

/** `A > B > C` → the field holding paths of that depth, `category.lvl2`. */
export function categoryFilter(path: string): estypes.QueryDslQueryContainer {
  const names = path.split(CATEGORY_SEPARATOR.trim()).map((n) => n.trim());
  if (names.some((n) => n === '')) throw new InvalidParameter('querystring.category', `category "${path}" must be names joined by "${CATEGORY_SEPARATOR}"`);
  if (names.length > CATEGORY_LEVELS) throw new InvalidParameter('querystring.category', `category "${path}" is deeper than ${CATEGORY_LEVELS} levels`);
  return { term: { [`category.lvl${names.length - 1}`]: names.join(CATEGORY_SEPARATOR) } };
}

export function sortClauses(sort: SortOrder): estypes.SortCombinations[] {
  const tieBreak: estypes.SortCombinations = { id: 'asc' };
  switch (sort) {
    case 'relevance':
      return ['_score', { popularity: 'desc' }, tieBreak];
    case 'price_asc':
      return [{ price: 'asc' }, { popularity: 'desc' }, tieBreak];
    case 'price_desc':
      return [{ price: 'desc' }, { popularity: 'desc' }, tieBreak];
    case 'rating':
      return [{ rating: 'desc' }, { review_count: 'desc' }, tieBreak];
    case 'newest':
      return [{ release_date: 'desc' }, { popularity: 'desc' }, tieBreak];
  }
}

/** The scored, filtered query without paging, shared by the full request and the recovery probes. */
export function scoredQuery(input: Pick<RetrievalInput, 'terms' | 'optional' | 'planFilters' | 'planBoosts' | 'category' | 'merchandising'>): estypes.QueryDslQueryContainer {
  const merch = merchandisingClauses(input.merchandising);
  const filter = [...input.planFilters.map(conditionQuery), ...merch.filters];
  if (input.category !== undefined) filter.push(categoryFilter(input.category));
  const text = productTextQuery(input.terms, input.optional ? { optional: input.optional } : {});
  const functions = [
    ...boostFunctions(input.planBoosts),
    ...merch.functions,
    // Between ×0.69 (never bought) and ×1.1 (the most popular): a tie-breaker, not a ranking model.
    { field_value_factor: { field: 'popularity', modifier: 'ln2p', factor: 1, missing: 0 } } as estypes.QueryDslFunctionScoreContainer,
  ];
  const bool: estypes.QueryDslBoolQuery = { must: [text], filter };
  if (merch.should.length > 0) bool.should = merch.should;
  return { function_score: { query: { bool }, functions, score_mode: 'multiply', boost_mode: 'multiply' } };
}

/** Every word of the terms and their alternatives, once: what the title highlight marks. */
export function highlightWords(terms: readonly TextTerm[]): string {
  const words = new Set<string>();
  for (const term of terms) for (const text of [term.text, ...term.alternatives]) for (const w of text.split(' ')) if (w !== '') words.add(w);
  return [...words].slice(0, 64).join(' ');
}

/** Checks the page lies within the deepest result a search pages to. */
export function checkPaging(page: number, size: number): void {
  if (page * size > SEARCH_LIMITS.maxResultWindow) {
    throw new InvalidParameter('querystring.page', `page ${page} of ${size} results goes past result ${SEARCH_LIMITS.maxResultWindow}, the deepest a search pages to`);
  }
}

/**
 * One Elasticsearch request for a search: the query (text, the plan's filters and boosts, the category),
 * the shopper's filters as `post_filter` (so facet counts ignore a facet's own selection), the
 * aggregations for facets, the sort and the page. In relevance order the top `rerankWindow` candidates
 * are fetched for reranking when the page lies within them (with the ranking match features as named
 * query scores); otherwise exactly the page. Titles are highlighted afterwards, on the page only.
 */
export function buildRetrieval(input: RetrievalInput): Retrieval {
  checkPaging(input.page, input.size);
  const start = (input.page - 1) * input.size;
  const rerank = input.sort === 'relevance' && start + input.size <= input.rerankWindow;
  const highlighted = highlightWords(input.terms);
  const body: estypes.SearchRequest = {
    query: scoredQuery(input),
    sort: sortClauses(input.sort),
    from: rerank ? 0 : start,
    size: rerank ? input.rerankWindow : input.size,
    track_total_hits: TRACK_TOTAL_HITS,
    // The fields a result shows and ranking reads, for every hit: one round trip (measured: loading them
    // for a window of 100 costs Elasticsearch ~0.1 ms; a second request for the page cost ~3 ms).
    _source: SOURCE_FIELDS,
  };
  if (rerank && input.rankingFeatures !== undefined) {
    // Named queries scored on the window's hits only; they change neither the hits nor their order.
    body.query = { bool: { must: [body.query!], filter: [rankingFeatureClause({ ...input.rankingFeatures, terms: input.terms, boosts: input.planBoosts })] } };
    body.include_named_queries_score = true;
  }
  if (input.shopperFilters.length > 0) body.post_filter = { bool: { filter: input.shopperFilters.map(conditionQuery) } };
  if (input.aggregations.length > 0) body.aggs = facetAggregations(input.aggregations, input.shopperFilters);
  return { body, rerank, highlighted, offset: rerank ? start : 0, size: input.size };
}

/** A cheap "does anything match?" request for a recovery variant: no hits, no aggregations, stops at the first match. */
export function probeRequest(input: Pick<RetrievalInput, 'terms' | 'optional' | 'planFilters' | 'planBoosts' | 'category' | 'shopperFilters' | 'merchandising'>): estypes.SearchRequest {
  const query = scoredQuery(input);
  const filters = input.shopperFilters.map(conditionQuery);
  return {
    query: filters.length === 0 ? query : { bool: { must: [query], filter: filters } },
    size: 0,
    terminate_after: 1,
    track_total_hits: true,
  };
}
