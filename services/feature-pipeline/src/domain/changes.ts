import { FEATURE_CHANGES_SCHEMA, type FeatureChangesEvent, FEATURES_CHANGED } from '@search-mesh/contracts';
import type { FeatureKey } from './aggregate';

/** The feature-changes event of the keys a chunk changed (pure); undefined when it changed none. */
export function changesEvent(changed: Iterable<FeatureKey>): FeatureChangesEvent | undefined {
  const products: string[] = [];
  const queryProducts: FeatureChangesEvent['queryProducts'] = [];
  for (const { kind, key } of changed) {
    if (kind === 'product') products.push(key[0]!);
    else queryProducts.push({ query: key[0]!, productId: key[1]! });
  }
  return products.length + queryProducts.length === 0 ? undefined : { schema: FEATURE_CHANGES_SCHEMA, type: FEATURES_CHANGED, products, queryProducts };
}
