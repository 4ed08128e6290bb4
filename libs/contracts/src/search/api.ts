import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { MAX_QUERY_LENGTH, PlanIntent, PlanRewrite } from '../query/plan';
import { KEYWORD_VALUE_PATTERN } from '../query/text';
import { Facet, PREVIEW_ID_PATTERN } from '../facets/facets';

/**
 * The storefront's search API: `GET /v1/search` on the orchestrator. Query-string syntax:
 *
 *   q=samsung tv                       the shopper's words (optional: without it, a category listing)
 *   category=TV & Home Theater > TVs   a category path, names from the root joined by " > "
 *   filter=brand:Samsung|LG            keyword field: any of the values ("|" between values, "\|" for a literal bar)
 *   filter=price:100..500              number field: inclusive range; either end may be left open ("..500", "4..")
 *   filter=in_stock:true
 *   sort=relevance|price_asc|price_desc|rating|newest
 *   page=1&size=24                     page × size must not pass SEARCH_LIMITS.maxResultWindow
 *   spellcheck=false                   search the words as typed ("search instead for …")
 *   debug=true                         per-stage timings, the Elasticsearch query, the ranking features
 *
 * `filter` repeats; filters on different fields must all hold, values within one filter are alternatives.
 */
export const SEARCH_LIMITS = {
  defaultPageSize: 24,
  maxPageSize: 100,
  /** Deepest result a search pages to (page × size). */
  maxResultWindow: 1000,
  maxFilters: 20,
  maxFilterLength: 500,
  maxQueryLength: MAX_QUERY_LENGTH,
} as const;

export const SORTS = ['relevance', 'price_asc', 'price_desc', 'rating', 'newest'] as const;
export type SortOrder = (typeof SORTS)[number];

/** A string enum as JSON Schema `enum` (one clear validation message), typed as the union of its values. */
export function StringEnum<T extends readonly string[]>(values: T, options: { default?: T[number]; description?: string } = {}) {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });
}

/** No control characters (tab, CR and LF count as spaces). */
const NO_CONTROL_PATTERN = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f]*$';

export const SearchQuerystring = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: SEARCH_LIMITS.maxQueryLength, pattern: NO_CONTROL_PATTERN, description: 'the shopper\'s words' })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: KEYWORD_VALUE_PATTERN, description: 'category path, e.g. "Appliances > Refrigerators"' })),
    filter: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: SEARCH_LIMITS.maxFilterLength }), {
        maxItems: SEARCH_LIMITS.maxFilters,
        description: '`field:value|value` or `field:min..max`; repeatable',
      }),
    ),
    sort: Type.Optional(StringEnum(SORTS, { default: 'relevance' })),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.maxResultWindow, default: 1 })),
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.maxPageSize, default: SEARCH_LIMITS.defaultPageSize })),
    spellcheck: Type.Optional(Type.Boolean({ default: true, description: 'false: search the words as typed' })),
    debug: Type.Optional(Type.Boolean({ default: false })),
    preview: Type.Optional(Type.String({ pattern: PREVIEW_ID_PATTERN, description: "a merchandiser's unsaved draft to search with (the console's preview)" })),
  },
  { additionalProperties: false },
);
export type SearchQuerystring = Static<typeof SearchQuerystring>;

export const SearchResult = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    brand: Type.String(),
    price: Type.Number(),
    rating: Type.Number(),
    reviewCount: Type.Integer(),
    inStock: Type.Boolean(),
    image: Type.String(),
    /** Category names from the root to the leaf. */
    categoryPath: Type.Array(Type.String()),
    /** The title with the matched words in `<mark>…</mark>`, HTML-escaped; absent when nothing matched it. */
    highlight: Type.Optional(Type.Object({ title: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type SearchResult = Static<typeof SearchResult>;

/** A stage that could not do its job and what the orchestrator did instead. */
export const DegradedStage = Type.Object(
  {
    /** `understand`, `facet_selection`, `rank`, `facets` (search) or `suggest`. */
    stage: Type.String(),
    /** The peer that failed. */
    peer: Type.String(),
    /** mesh-client's reason: BREAKER_OPEN, DEADLINE_EXCEEDED, CONNECTION, UPSTREAM_5XX, UPSTREAM_4XX, BAD_RESPONSE. */
    reason: Type.String(),
    /** What was used instead, e.g. "raw query", "Elasticsearch order". */
    fallback: Type.String(),
  },
  { additionalProperties: false },
);
export type DegradedStage = Static<typeof DegradedStage>;

export const SpellingOutcome = Type.Object(
  {
    /** `showing_results_for`: the results are for `corrected`, link "search instead for `original`"
     * (`spellcheck=false`); `did_you_mean`: the results are for what was typed, suggest `corrected`. */
    action: StringEnum(['none', 'showing_results_for', 'did_you_mean'] as const),
    corrected: Type.Optional(Type.String()),
    original: Type.Optional(Type.String()),
    /** True when the correction was applied only because the words as typed found nothing. */
    recovery: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type SpellingOutcome = Static<typeof SpellingOutcome>;

export const QueryOutcome = Type.Object(
  {
    /** What the shopper typed. */
    original: Type.String(),
    /** The words the results match (after corrections, rules and relaxation). */
    searched: Type.String(),
    spelling: SpellingOutcome,
    /** Words dropped because no product matched them all (zero-result recovery). */
    relaxed: Type.Optional(Type.Object({ dropped: Type.Array(Type.String()) }, { additionalProperties: false })),
    /** Every rewrite query understanding applied, in order. */
    rewrites: Type.Array(PlanRewrite),
    intent: Type.Optional(PlanIntent),
    /** One line for the storefront, e.g. `Showing results for "samsung tv". Search instead for "samsnug tv".` */
    messages: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);
export type QueryOutcome = Static<typeof QueryOutcome>;

const Json: TSchema = Type.Unknown();

export const SearchDebug = Type.Object(
  {
    budgetMs: Type.Number(),
    /** The request's W3C trace id (32 hex digits): find its spans in the tracing backend, its lines in the logs. */
    traceId: Type.Optional(Type.String({ pattern: '^[0-9a-f]{32}$' })),
    /** Milliseconds each stage took (absent: the stage did not run). */
    timings: Type.Record(Type.String(), Type.Number()),
    plan: Type.Optional(Json),
    /** The request bodies sent to Elasticsearch, in order (a recovery adds more). */
    elasticsearch: Type.Array(Type.Object({ purpose: Type.String(), request: Json, tookMs: Type.Optional(Type.Number()) })),
    ranking: Type.Optional(
      Type.Object({
        model: Type.Optional(Type.Object({ name: Type.String(), version: Type.String() })),
        features: Type.Array(Type.Object({ id: Type.String(), score: Type.Number(), features: Type.Record(Type.String(), Type.Number()) })),
      }),
    ),
  },
  { additionalProperties: false },
);
export type SearchDebug = Static<typeof SearchDebug>;

export const SearchResponse = Type.Object(
  {
    query: QueryOutcome,
    /** Set when a merchandiser rule sends this query to a page: go there instead of showing results. */
    redirect: Type.Optional(Type.Object({ url: Type.String(), ruleId: Type.String() }, { additionalProperties: false })),
    results: Type.Array(SearchResult),
    total: Type.Integer(),
    /** `gte`: at least `total` products match (counting stops at 10,000). */
    totalRelation: StringEnum(['eq', 'gte'] as const),
    page: Type.Integer(),
    size: Type.Integer(),
    sort: StringEnum(SORTS),
    facets: Type.Array(Facet),
    /** Every stage that fell back; empty when the whole mesh answered. */
    degraded: Type.Array(DegradedStage),
    debug: Type.Optional(SearchDebug),
  },
  { additionalProperties: false },
);
export type SearchResponse = Static<typeof SearchResponse>;
