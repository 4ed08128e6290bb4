import { Type } from '@sinclair/typebox';
import { SERVICES } from '@search-mesh/contracts';
import { backendSettings } from '@search-mesh/backends';
import { type ConfigOf, kitSettings, setting } from '@search-mesh/service-kit';

export const settings = {
  ...kitSettings(SERVICES.indexer.port),
  ...backendSettings,
  consumerGroup: setting('CONSUMER_GROUP', Type.String({ pattern: '^[A-Za-z0-9._-]{1,200}$' }), {
    default: 'indexer',
    doc: 'Kafka consumer group, prefixed with the namespace',
  }),
  batchMaxEvents: setting('BATCH_MAX_EVENTS', Type.Integer({ minimum: 1, maximum: 50_000 }), { default: 2000 }),
  batchMaxBytes: setting('BATCH_MAX_BYTES', Type.Integer({ minimum: 1024, maximum: 100_000_000 }), { default: 5_000_000 }),
  fetchMaxBytes: setting('FETCH_MAX_BYTES', Type.Integer({ minimum: 1_048_576, maximum: 1_000_000_000 }), {
    default: 40_000_000,
    doc: 'largest fetch from Kafka (half of it per partition); larger fetches mean fewer round trips',
  }),
  batchMaxWaitMs: setting('BATCH_MAX_WAIT_MS', Type.Integer({ minimum: 1, maximum: 10_000 }), {
    default: 100,
    doc: 'longest a fetch waits for events before a smaller batch is written',
  }),
  catalogPartitions: setting('CATALOG_PARTITIONS', Type.Integer({ minimum: 1, maximum: 256 }), { default: 4 }),
  concurrentPartitions: setting('CONCURRENT_PARTITIONS', Type.Integer({ minimum: 1, maximum: 64 }), {
    default: 4,
    doc: 'partitions processed at once, i.e. bulk requests in flight',
  }),
  buildingAliasTtlMs: setting('BUILDING_ALIAS_TTL_MS', Type.Integer({ minimum: 10, maximum: 60_000 }), {
    default: 1000,
    doc: 'how often the indexer looks for an index a reindex is building',
  }),
  indexReplicas: setting('INDEX_REPLICAS', Type.Integer({ minimum: 0, maximum: 10 }), { default: 0 }),
  indexShards: setting('INDEX_SHARDS', Type.Integer({ minimum: 1, maximum: 64 }), { default: 1 }),
};
export type Config = ConfigOf<typeof settings>;
