import { Type, type Static } from '@sinclair/typebox';
import { MAX_QUERY_LENGTH } from '../query/plan';
import { CategoryPrediction, PlanIntent } from '../query/plan';

/**
 * What the orchestrator asks of the ranking service (port 8084), as its consumer: `POST /v1/rank` with the
 * candidates Elasticsearch retrieved (in its order, with its score and the document's own numbers), the
 * ranking service answers their new order. It may add features of its own (the feature store); it must
 * answer only ids it was given. When it is down, the orchestrator keeps Elasticsearch's order.
 */
export const RANK_FEATURE_NAME_PATTERN = '^[a-z][a-z0-9_]{0,63}$';
const Features = Type.Record(Type.String({ pattern: RANK_FEATURE_NAME_PATTERN }), Type.Number());

/** The document's own numbers the orchestrator sends with each candidate. */
export const RANK_DOCUMENT_FEATURES = ['retrieval_rank', 'price', 'rating', 'review_count', 'popularity', 'in_stock', 'age_days'] as const;

/**
 * Query–product match scores Elasticsearch computes for each window candidate as named queries
 * (`include_named_queries_score`; `@search-mesh/search-index` builds them): BM25 of the searched words per
 * field (`text_*`), exact-match flags scored 1 (`exact_*`), the probability of the plan's predicted
 * category the product is in (`category_*_prob`) and how many of the plan's attribute boosts it matches.
 * A candidate that does not match a named query has no entry for it (the ranking service reads 0).
 */
export const RANK_MATCH_FEATURES = [
  'text_title',
  'text_brand',
  'text_model_line',
  'text_category',
  'text_attr',
  'text_search_terms',
  'text_description',
  'exact_title_all',
  'exact_title_phrase',
  'exact_model_number',
  'category_lvl1_prob',
  'category_lvl2_prob',
  'category_leaf_prob',
  'attr_boost_matches',
] as const;
export type RankMatchFeature = (typeof RANK_MATCH_FEATURES)[number];

/** Base64 length of the largest packed request: 1,000 candidates × 64 features × 4 bytes. */
const PACKED_VALUES_MAX_LENGTH = 4 * Math.ceil((1000 * 64 * 4) / 3);

/** The packed form's encoding of a candidates × features matrix (row-major): base64 of little-endian float32. */
export function packValues(matrix: Float32Array): string {
  return Buffer.from(matrix.buffer, matrix.byteOffset, matrix.byteLength).toString('base64');
}

/**
 * The packed form decoded; undefined unless it is base64 of exactly `count` float32 values (base64 decoding
 * skips characters outside its alphabet, which the length check then catches).
 */
export function unpackValues(packed: string, count: number): Float32Array | undefined {
  const bytes = count * 4;
  if (packed.length !== 4 * Math.ceil(bytes / 3)) return undefined;
  const buf = Buffer.from(packed, 'base64');
  if (buf.length !== bytes) return undefined;
  // A Float32Array view needs a 4-byte aligned offset: small buffers come from Node's shared pool.
  return buf.byteOffset % 4 === 0 ? new Float32Array(buf.buffer, buf.byteOffset, count) : new Float32Array(Uint8Array.from(buf).buffer);
}

export const RankCandidate = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    /** Elasticsearch's score (0 for a sort other than relevance). */
    retrievalScore: Type.Number(),
    /**
     * The request features by name: the document's numbers (price, rating, review_count, popularity,
     * in_stock 0/1, age_days, retrieval_rank) and Elasticsearch's match scores. Or, the compact form, the
     * same numbers as `values` in the order of the request's `featureNames` (what the orchestrator sends:
     * a third of the bytes, parsed and checked several times faster). Or, the packed form, every
     * candidate's numbers in the request's `packedValues`. One form per request.
     */
    features: Type.Optional(Features),
    values: Type.Optional(Type.Array(Type.Number(), { maxItems: 64 })),
  },
  { additionalProperties: false },
);
export type RankCandidate = Static<typeof RankCandidate>;

export const RankRequest = Type.Object(
  {
    /** The words searched (after query understanding). */
    query: Type.String({ maxLength: 4 * MAX_QUERY_LENGTH }),
    intent: Type.Optional(PlanIntent),
    categories: Type.Array(CategoryPrediction, { maxItems: 40 }),
    candidates: Type.Array(RankCandidate, { maxItems: 1000 }),
    /** Names of every candidate's `values` (the compact form), or of each row of `packedValues`, in order. */
    featureNames: Type.Optional(Type.Array(Type.String({ pattern: RANK_FEATURE_NAME_PATTERN }), { maxItems: 64 })),
    /**
     * The packed form (what the orchestrator sends; like Triton's binary tensor data): the candidates'
     * numbers as one base64 string of little-endian float32, candidate after candidate, each in the order of
     * `featureNames` (candidates then carry only id and retrievalScore). Decoding it costs a few µs where
     * parsing the same numbers as JSON costs a few hundred; the model reads float32 anyway.
     */
    packedValues: Type.Optional(Type.String({ maxLength: PACKED_VALUES_MAX_LENGTH })),
    /** Return the features each score used (for debugging). */
    explain: Type.Boolean(),
    /** Score with this registered model version instead of the live one (404 when unknown). */
    modelVersion: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type RankRequest = Static<typeof RankRequest>;

export const RankedCandidate = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64 }), score: Type.Number(), features: Type.Optional(Features) },
  { additionalProperties: false },
);
export type RankedCandidate = Static<typeof RankedCandidate>;

export const RankResponse = Type.Object(
  {
    model: Type.Object({ name: Type.String(), version: Type.String() }, { additionalProperties: false }),
    /** Best first; ids not listed keep their retrieval order after the listed ones. */
    ranked: Type.Array(RankedCandidate, { maxItems: 1000 }),
  },
  { additionalProperties: false },
);
export type RankResponse = Static<typeof RankResponse>;
