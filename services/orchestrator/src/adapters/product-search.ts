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

const first = <T>(fields: Record<string, unknown> | undefined, name: string, fallback: T): T => {
  const values = fields?.[name];
  return Array.isArray(values) && values.length > 0 ? (values[0] as T) : fallback;
};

/**
 * A window candidate read without `_source` (`docvalue_fields`): the numbers ranking needs; the text
 * fields stay empty until the page is fetched.
 */
export function sourceFromDocValues(id: string, fields: Record<string, unknown> | undefined): CandidateSource {
  return {
    id,
    title: '',
    brand: '',
    price: first(fields, 'price', 0),
    rating: first(fields, 'rating', 0),
    review_count: first(fields, 'review_count', 0),
    in_stock: first(fields, 'in_stock', false),
    image: '',
    category: { path: '' },
    popularity: first(fields, 'popularity', 0),
    release_date: first(fields, 'release_date', ''),
  };
}

/**
 * The names of the named queries a hit matched: a list, or with `include_named_queries_score` (the reranked
 * window, for the ranking features) an object of name → score.
 */
export function matchedNames(matched: string[] | Record<string, number> | undefined): string[] {
  if (matched === undefined) return [];
  return Array.isArray(matched) ? matched : Object.keys(matched);
}

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
      const res = await this.es.search<CandidateSource>({ index: this.index, ...body }, this.options(timeoutMs));
      const total = res.hits.total;
      const candidates: Candidate[] = res.hits.hits.map((hit) => ({
        id: hit._id!,
        score: hit._score ?? 0,
        source: hit._source ?? sourceFromDocValues(hit._id!, hit.fields),
        highlightTitle: hit.highlight?.title?.[0],
        ...(hit.matched_queries !== undefined ? { matched: matchFeatures(hit.matched_queries) } : {}),
      }));
      return {
        candidates,
        total: typeof total === 'number' ? total : (total?.value ?? candidates.length),
        totalRelation: typeof total === 'object' && total.relation === 'gte' ? 'gte' : 'eq',
        aggregations: readAggregations(aggregations, res.aggregations as Record<string, unknown> | undefined),
        tookMs: res.took,
        buried: new Set(res.hits.hits.filter((hit) => matchedNames(hit.matched_queries).includes(BURIED)).map((hit) => hit._id!)),
      };
    } catch (err) {
      throw unavailable(err, timeoutMs);
    }
  }

  /** Fetches products by id (a page of a reranked window): source and title highlight per id. */
  async fetch(body: estypes.SearchRequest, timeoutMs: number): Promise<{ found: Map<string, Pick<Candidate, 'source' | 'highlightTitle'>>; tookMs: number }> {
    try {
      const res = await this.es.search<CandidateSource>({ index: this.index, ...body }, this.options(timeoutMs));
      const found = new Map<string, Pick<Candidate, 'source' | 'highlightTitle'>>();
      for (const hit of res.hits.hits) if (hit._source !== undefined) found.set(hit._id!, { source: hit._source, highlightTitle: hit.highlight?.title?.[0] });
      return { found, tookMs: res.took };
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
