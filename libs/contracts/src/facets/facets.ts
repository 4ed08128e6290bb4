import { Type, type Static } from '@sinclair/typebox';
import { MAX_QUERY_LENGTH } from '../query/plan';
import { FilterField, SearchFilter } from '../search/filters';
import { FacetDisplay, MerchandisingActions } from './merchandising';

/**
 * What the orchestrator asks of the facet service (port 8083), as its consumer:
 *
 * 1. `POST /v1/facets/select` (before retrieval, beside query understanding): which aggregations to
 *    compute for this query and category.
 * 2. `POST /v1/facets/render` (after retrieval, beside ranking): the aggregation results in, the facets
 *    to show out (order, labels, which values, which are selected).
 *
 * When the service is down the orchestrator computes a built-in default set and turns the plain
 * aggregations into facets itself.
 */
const Name = Type.String({ pattern: '^[a-z][a-z0-9_.]{0,63}$' });
const Label = Type.String({ minLength: 1, maxLength: 100 });
/** Names a merchandiser's unsaved draft (the facet service's `POST /v1/admin/previews`). */
export const PREVIEW_ID_PATTERN = '^[0-9a-f-]{36}$';
export const PreviewId = Type.String({ pattern: PREVIEW_ID_PATTERN });

export const TermsAggregation = Type.Object(
  { name: Name, kind: Type.Literal('terms'), field: FilterField, size: Type.Integer({ minimum: 1, maximum: 200 }), label: Type.Optional(Label) },
  { additionalProperties: false },
);
export const RangeAggregation = Type.Object(
  {
    name: Name,
    kind: Type.Literal('range'),
    field: FilterField,
    /** `[from, to)`, like Elasticsearch's range aggregation. */
    ranges: Type.Array(Type.Object({ from: Type.Optional(Type.Number()), to: Type.Optional(Type.Number()) }, { additionalProperties: false }), { minItems: 1, maxItems: 20 }),
    label: Type.Optional(Label),
  },
  { additionalProperties: false },
);
export const StatsAggregation = Type.Object(
  { name: Name, kind: Type.Literal('stats'), field: FilterField, label: Type.Optional(Label) },
  { additionalProperties: false },
);
/** One aggregation to compute; counts of a field's buckets ignore the shopper's filter on that field
 * (multi-select facets), and honour every other filter. */
export const FacetAggregation = Type.Union([TermsAggregation, RangeAggregation, StatsAggregation]);
export type FacetAggregation = Static<typeof FacetAggregation>;

export const FacetSelectRequest = Type.Object(
  {
    query: Type.String({ maxLength: MAX_QUERY_LENGTH }),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    filters: Type.Array(SearchFilter, { maxItems: 40 }),
    /** A merchandiser's draft to answer with instead of the live configuration (the console's preview). */
    preview: Type.Optional(PreviewId),
  },
  { additionalProperties: false },
);
export type FacetSelectRequest = Static<typeof FacetSelectRequest>;

export const FacetSelectResponse = Type.Object(
  {
    aggregations: Type.Array(FacetAggregation, { maxItems: 40 }),
    /** Version of the merchandising configuration used. */
    version: Type.Optional(Type.String()),
    /** What the merchandising rules in force for this query and category want done to the results. */
    merchandising: Type.Optional(MerchandisingActions),
  },
  { additionalProperties: false },
);
export type FacetSelectResponse = Static<typeof FacetSelectResponse>;

export const AggregationBucket = Type.Object(
  { key: Type.String(), count: Type.Integer({ minimum: 0 }), from: Type.Optional(Type.Number()), to: Type.Optional(Type.Number()) },
  { additionalProperties: false },
);
export type AggregationBucket = Static<typeof AggregationBucket>;

/** An aggregation's result as plain data. */
export const AggregationResult = Type.Object(
  {
    name: Name,
    kind: Type.Union([Type.Literal('terms'), Type.Literal('range'), Type.Literal('stats')]),
    field: FilterField,
    label: Type.Optional(Label),
    buckets: Type.Array(AggregationBucket),
    stats: Type.Optional(Type.Object({ count: Type.Integer(), min: Type.Union([Type.Number(), Type.Null()]), max: Type.Union([Type.Number(), Type.Null()]) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type AggregationResult = Static<typeof AggregationResult>;

export const FacetValue = Type.Object(
  {
    /** The bucket key: a keyword value, a range "min..max", or a category path. */
    value: Type.String(),
    label: Type.String(),
    count: Type.Integer({ minimum: 0 }),
    selected: Type.Boolean(),
    /** What to send to select it: the value of the `filter` (or, for categories, `category`) parameter. */
    token: Type.String(),
  },
  { additionalProperties: false },
);
export type FacetValue = Static<typeof FacetValue>;

/** A facet to show: `list` (check boxes), `range` (price bands), `category` (drill-down), `slider`. */
export const Facet = Type.Object(
  {
    name: Type.String(),
    label: Type.String(),
    field: Type.String(),
    type: Type.Union([Type.Literal('list'), Type.Literal('range'), Type.Literal('category'), Type.Literal('slider')]),
    /** Which query parameter the value tokens go to. */
    param: Type.Union([Type.Literal('filter'), Type.Literal('category')]),
    values: Type.Array(FacetValue),
    min: Type.Optional(Type.Number()),
    max: Type.Optional(Type.Number()),
    /** How the merchandiser wants it shown (e.g. `swatch` for colours); absent: as `type` says. */
    display: Type.Optional(FacetDisplay),
  },
  { additionalProperties: false },
);
export type Facet = Static<typeof Facet>;

export const FacetRenderRequest = Type.Object(
  {
    query: Type.String({ maxLength: 4 * MAX_QUERY_LENGTH }),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    filters: Type.Array(SearchFilter, { maxItems: 40 }),
    total: Type.Integer({ minimum: 0 }),
    aggregations: Type.Array(AggregationResult, { maxItems: 40 }),
    preview: Type.Optional(PreviewId),
  },
  { additionalProperties: false },
);
export type FacetRenderRequest = Static<typeof FacetRenderRequest>;

export const FacetRenderResponse = Type.Object({ facets: Type.Array(Facet, { maxItems: 40 }) }, { additionalProperties: false });
export type FacetRenderResponse = Static<typeof FacetRenderResponse>;
