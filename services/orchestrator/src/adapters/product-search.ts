import type { estypes } from '@elastic/elasticsearch';
import { errors } from '@elastic/elasticsearch';
import type { AggregationResult, FacetAggregation } from '@search-mesh/contracts';
import type { SearchClient } from '@search-mesh/backends';
import { matchFeatures, readAggregations } from '@search-mesh/search-index';
import { BURIED } from '../domain/merchandising';
import type { Candidate, CandidateSource } from '../domain/ranking';

/** Elasticsearch could not answer in time: the one failure a search cannot fall back from. */
export class SearchUnavailable extends Error {
  constructor(
    readonly reason: 'timeout' | 'connection' | 'error',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SearchUnavailable';
  }
}

export interface SearchAnswer {
  candidates: Candidate[];
  total: number;
  totalRelation: 'eq' | 'gte';
  aggregations: AggregationResult[];
  tookMs: number;
  /** Hits a merchandising rule buries (matched the named query `BURIED`). */
  buried: Set<string>;
}

function unavailable(err: unknown, timeoutMs: number): SearchUnavailable {
  if (err instanceof SearchUnavailable) return err;
  if (err instanceof errors.TimeoutError || (err instanceof Error && err.name === 'AbortError')) {
    return new SearchUnavailable('timeout', `Elasticsearch did not answer within ${Math.round(timeoutMs)} ms`, { cause: err });
  }
  if (err instanceof errors.ConnectionError || err instanceof errors.NoLivingConnectionsError) {
    return new SearchUnavailable('connection', 'Elasticsearch cannot be reached', { cause: err });
  }
  return new SearchUnavailable('error', 'Elasticsearch failed the search', { cause: err });
}

/**
 * The names of the named queries a hit matched: a list, or with `include_named_queries_score` (the reranked
 * window, for the ranking features) an object of name → score.
 */
export function matchedNames(matched: string[] | Record<string, number> | undefined): string[] {
  if (matched === undefined) return [];
  return Array.isArray(matched) ? matched : Object.keys(matched);
}

/**
 * What a search reads of Elasticsearch's answer: without each hit's index name and sort values, a window of
 * 100 hits is a smaller answer to parse. (With no hits Elasticsearch leaves `hits.hits` out altogether.)
 */
export const SEARCH_FILTER_PATH = ['took', 'hits.total', 'hits.hits._id', 'hits.hits._score', 'hits.hits._source', 'hits.hits.matched_queries', 'aggregations'];

/** The products alias, searched with a hard time limit per call. Thin: builds nothing, decides nothing. */
export class ProductSearch {
  constructor(
    private readonly es: SearchClient,
    readonly index: string,
  ) {}

  private options(timeoutMs: number) {
    if (timeoutMs < 1) throw new SearchUnavailable('timeout', 'no time left in the request budget for Elasticsearch');
    return { requestTimeout: Math.floor(timeoutMs), maxRetries: 0 };
  }

  async search(body: estypes.SearchRequest, aggregations: readonly FacetAggregation[], timeoutMs: number): Promise<SearchAnswer> {
    try {
      const res = await this.es.search<CandidateSource>({ index: this.index, ...body, filter_path: SEARCH_FILTER_PATH }, this.options(timeoutMs));
      const total = res.hits.total;
      const hits = res.hits.hits ?? [];
      const candidates: Candidate[] = hits.map((hit) => ({
        id: hit._id!,
        score: hit._score ?? 0,
        source: hit._source!,
        ...(hit.matched_queries !== undefined ? { matched: matchFeatures(hit.matched_queries) } : {}),
      }));
      return {
        candidates,
        total: typeof total === 'number' ? total : (total?.value ?? candidates.length),
        totalRelation: typeof total === 'object' && total.relation === 'gte' ? 'gte' : 'eq',
        aggregations: readAggregations(aggregations, res.aggregations as Record<string, unknown> | undefined),
        tookMs: res.took,
        buried: new Set(hits.filter((hit) => matchedNames(hit.matched_queries).includes(BURIED)).map((hit) => hit._id!)),
      };
    } catch (err) {
      throw unavailable(err, timeoutMs);
    }
  }

  /** Runs "does anything match?" requests in one round trip: how many matched each (0 for one that failed). */
  async matchCounts(bodies: readonly estypes.SearchRequest[], timeoutMs: number): Promise<number[]> {
    if (bodies.length === 0) return [];
    try {
      const searches: estypes.MsearchRequestItem[] = bodies.flatMap((body) => [{ index: this.index }, body as estypes.MsearchMultisearchBody]);
      const res = await this.es.msearch({ searches }, this.options(timeoutMs));
      return res.responses.map((r) => {
        if ('error' in r) return 0;
        const total = r.hits.total;
        return typeof total === 'number' ? total : (total?.value ?? 0);
      });
    } catch (err) {
      throw unavailable(err, timeoutMs);
    }
  }
}
