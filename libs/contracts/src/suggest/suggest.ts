import { Type, type Static } from '@sinclair/typebox';
import { DegradedStage } from '../search/api';
import { VISIBLE_TEXT_PATTERN } from '../query/text';

/**
 * As-you-type suggestions. The storefront calls `GET /v1/suggest` on the orchestrator, which passes the
 * same query string to the autocomplete service (port 8082, `GET /v1/suggest`) and answers its
 * suggestions, or an empty list with `degraded` when autocomplete cannot answer in time.
 */

export const SUGGEST_LIMITS = { maxPrefixLength: 100, defaultSize: 8, maxSize: 20 } as const;

export const SuggestQuerystring = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: SUGGEST_LIMITS.maxPrefixLength, pattern: VISIBLE_TEXT_PATTERN, description: 'what the shopper typed so far' }),
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: SUGGEST_LIMITS.maxSize, default: SUGGEST_LIMITS.defaultSize })),
    category: Type.Optional(Type.String({ minLength: 1, maxLength: 300, pattern: '^[^\\u0000-\\u001f\\u007f]+$' })),
  },
  { additionalProperties: false },
);
export type SuggestQuerystring = Static<typeof SuggestQuerystring>;

export const Suggestion = Type.Object(
  {
    /** What to put in the search box. */
    text: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.Union([Type.Literal('query'), Type.Literal('brand'), Type.Literal('category'), Type.Literal('product')]),
    /** `text` with the typed prefix in `<mark>…</mark>`, HTML-escaped. */
    highlight: Type.Optional(Type.String({ maxLength: 1000 })),
    /** Category path to search within (kind `category`, or a query scoped to a category). */
    category: Type.Optional(Type.String({ maxLength: 300 })),
    productId: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);
export type Suggestion = Static<typeof Suggestion>;

/** The autocomplete service's answer. */
export const AutocompleteResponse = Type.Object(
  { suggestions: Type.Array(Suggestion, { maxItems: SUGGEST_LIMITS.maxSize }) },
  { additionalProperties: false },
);
export type AutocompleteResponse = Static<typeof AutocompleteResponse>;

/** The orchestrator's answer to the storefront. */
export const SuggestResponse = Type.Object(
  {
    query: Type.String(),
    suggestions: Type.Array(Suggestion),
    degraded: Type.Array(DegradedStage),
  },
  { additionalProperties: false },
);
export type SuggestResponse = Static<typeof SuggestResponse>;
