import { Type, type Static } from '@sinclair/typebox';

/**
 * The feature log (`topicNames(ns).featureLog`, keyed by request id): the exact feature vectors the
 * ranking service scored for one request, in the model manifest's order, with the scores it returned,
 * so future training rows are the serving rows (no training/serving skew). Shadow scores are not here.
 */
export const FEATURE_LOG_SCHEMA = 'feature-log.v1';

export const FeatureLogEvent = Type.Object(
  {
    schema: Type.Literal(FEATURE_LOG_SCHEMA),
    type: Type.Literal('ranking.scored'),
    requestId: Type.String({ minLength: 1, maxLength: 128 }),
    query: Type.String({ maxLength: 2048 }),
    modelVersion: Type.String({ minLength: 1, maxLength: 64 }),
    /** The manifest's feature names, in the order of every `values` row. */
    featureNames: Type.Array(Type.String(), { maxItems: 256 }),
    candidates: Type.Array(
      Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), values: Type.Array(Type.Number()), score: Type.Number() }, { additionalProperties: false }),
      { maxItems: 1000 },
    ),
    scoredAt: Type.String({ format: 'date-time' }),
  },
  { additionalProperties: false },
);
export type FeatureLogEvent = Static<typeof FeatureLogEvent>;
