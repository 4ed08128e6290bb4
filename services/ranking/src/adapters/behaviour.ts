import type { FeatureStoreReader, Features } from '@search-mesh/feature-store';
import type { BehaviourCounts, CandidateBehaviour } from '../domain/features';

const counts = (f: Features | undefined): BehaviourCounts | undefined => (f?.found ? { impressions: f.windows['7d'].impressions, clicks: f.windows['7d'].clicks, carts: f.windows['7d'].carts } : undefined);

/**
 * The behaviour of a request's candidates from the online feature store: per product and per (query,
 * product), 7-day counts. The reader answers defaults (never throws) for what it lacks or cannot read
 * within `deadlineMs`.
 */
export async function readBehaviour(reader: FeatureStoreReader, normalisedQuery: string, ids: readonly string[], deadlineMs: number): Promise<Map<string, CandidateBehaviour>> {
  const [products, pairs] = await Promise.all([reader.productFeatures(ids, { deadlineMs }), normalisedQuery === '' ? new Map<string, Features>() : reader.queryProductFeatures(normalisedQuery, ids, { deadlineMs })]);
  const out = new Map<string, CandidateBehaviour>();
  for (const id of ids) out.set(id, { product: counts(products.get(id)), queryProduct: counts(pairs.get(id)) });
  return out;
}
