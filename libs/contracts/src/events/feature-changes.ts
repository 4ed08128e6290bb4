import { Type, type Static } from '@sinclair/typebox';

/**
 * The feature changes (`topicNames(ns).featureChanges`): after the feature pipeline has written a chunk's
 * states to Cassandra, the keys it changed, so that every reader's cache re-reads exactly those instead of
 * re-reading every key on a timer. At least once, like the pipeline's other outputs.
 */
export const FEATURE_CHANGES_SCHEMA = 'feature-changes.v1';
export const FEATURES_CHANGED = 'features.changed';

export const FeatureChangesEvent = Type.Object(
  {
    schema: Type.Literal(FEATURE_CHANGES_SCHEMA),
    type: Type.Literal(FEATURES_CHANGED),
    /** Products whose own features changed. */
    products: Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100_000 }),
    /** (normalised query, product) pairs whose features changed. */
    queryProducts: Type.Array(Type.Object({ query: Type.String({ maxLength: 2048 }), productId: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }), {
      maxItems: 100_000,
    }),
  },
  { additionalProperties: false },
);
export type FeatureChangesEvent = Static<typeof FeatureChangesEvent>;
