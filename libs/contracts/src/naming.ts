/**
 * Kafka topic and Cassandra keyspace names, all derived from one namespace so that several test runs (or
 * environments) can share a broker and a cluster without colliding. The namespace must be valid in both
 * systems: Cassandra allows [a-zA-Z0-9_] up to 48 characters, Kafka also allows '.' and '-'.
 */
export const NAMESPACE_PATTERN = /^[a-z][a-z0-9_]{0,31}$/;
export const DEFAULT_NAMESPACE = 'search_mesh';

export function assertNamespace(namespace: string): string {
  if (!NAMESPACE_PATTERN.test(namespace)) {
    throw new Error(`namespace "${namespace}" must match ${NAMESPACE_PATTERN} (lowercase letters, digits, underscores)`);
  }
  return namespace;
}

export function topicNames(namespace: string) {
  const ns = assertNamespace(namespace);
  return {
    /** Catalog change events, keyed by product id. */
    catalog: `${ns}.catalog.v1`,
    /** Catalog events the indexer could not apply, with the reason. */
    catalogDeadLetter: `${ns}.catalog.dlq.v1`,
    /** Shopper behaviour: impressions, clicks, carts, purchases, queries. */
    behaviour: `${ns}.behaviour.v1`,
    /** Behaviour events the feature aggregator could not count, with the reason. */
    behaviourDeadLetter: `${ns}.behaviour.dlq.v1`,
    /** Submitted queries, for autocomplete. */
    queryLog: `${ns}.query-log.v1`,
    /** Accepted merchandising and configuration changes. */
    configChanges: `${ns}.config-changes.v1`,
    /** The feature keys the feature pipeline changed in Cassandra, for readers' caches. */
    featureChanges: `${ns}.feature-changes.v1`,
    /** Feature vectors the ranking service scored, for training. */
    featureLog: `${ns}.feature-log.v2`,
  } as const;
}

export function keyspaceNames(namespace: string) {
  const ns = assertNamespace(namespace);
  return {
    features: `${ns}_features`,
    merchandising: `${ns}_merchandising`,
  } as const;
}

/** Tables of the features keyspace (feature pipeline writes, feature-store reads). */
export const FEATURE_TABLES = {
  /** Per product: one row per source partition with its bucketed counts and applied offset. */
  product: 'product_features',
  /** Per (normalised query, product): the same shape. */
  queryProduct: 'query_product_features',
  /** Per product: one row, each source partition's compact summary of its state (what the read path reads). */
  productSummary: 'product_feature_summaries',
} as const;

/** Elasticsearch index and alias names; the alias is what readers use, so reindexing can swap it. */
export function indexNames(namespace: string) {
  const ns = assertNamespace(namespace);
  return {
    /** What searches read and the indexer writes: always points at one complete index. */
    productsAlias: `${ns}_products`,
    /** Points at an index being built by a full reindex; the indexer writes to it too. */
    productsBuildingAlias: `${ns}_products_building`,
    /** Concrete indices are `${productsIndexPrefix}<timestamp>`; the index template matches them. */
    productsIndexPrefix: `${ns}_products_v`,
    productsTemplate: `${ns}_products`,
  } as const;
}
