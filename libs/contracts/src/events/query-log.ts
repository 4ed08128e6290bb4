import { Type, type Static } from '@sinclair/typebox';

/**
 * The live query log (`topicNames(ns).queryLog`, keyed by the normalised query): searches shoppers
 * submitted, possibly pre-aggregated (`count` searches of the same normalised query). Produced by the
 * feature pipeline; the autocomplete service folds the counts into its suggestion popularity.
 */
export const QUERY_LOG_SCHEMA = 'query-log.v1';

export const QueryLogEvent = Type.Object(
  {
    schema: Type.Literal(QUERY_LOG_SCHEMA),
    type: Type.Literal('query.submitted'),
    /** Lowercased, accents and punctuation folded (`normaliseQuery` of `@search-mesh/catalog`). */
    normalised: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f\\u007f]+$' }),
    /** How many searches this event stands for (1 for a single search). */
    count: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    /** When the (last) search happened, ISO 8601. */
    occurredAt: Type.String({ format: 'date-time' }),
    /** Products the search found, when known (0: a zero-result search). */
    resultCount: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);
export type QueryLogEvent = Static<typeof QueryLogEvent>;
