import { Type } from '@sinclair/typebox';
import { SERVICES } from '@search-mesh/contracts';
import { backendSettings } from '@search-mesh/backends';
import { type ConfigOf, kitSettings, setting } from '@search-mesh/service-kit';

export const settings = {
  ...kitSettings(SERVICES['feature-pipeline'].port),
  ...backendSettings,
  consumerGroup: setting('CONSUMER_GROUP', Type.String({ pattern: '^[A-Za-z0-9._-]{1,200}$' }), {
    default: 'feature-pipeline',
    doc: 'Kafka consumer group, prefixed with the namespace',
  }),
  chunkMaxEvents: setting('CHUNK_MAX_EVENTS', Type.Integer({ minimum: 1, maximum: 100_000 }), {
    default: 50_000,
    doc: 'most events folded and written per Cassandra round (bigger: fewer writes per event when behind; a caught-up consumer writes what each fetch brings)',
  }),
  fetchMaxBytes: setting('FETCH_MAX_BYTES', Type.Integer({ minimum: 1_048_576, maximum: 1_000_000_000 }), {
    default: 20_000_000,
    doc: 'per fetch, half of it per partition (~21,000 behaviour events: one chunk); the broker caps a fetch at its fetch.max.bytes (55 MB), and a bigger one leaves partitions out of a round',
  }),
  maxWaitMs: setting('MAX_WAIT_MS', Type.Integer({ minimum: 1, maximum: 10_000 }), {
    default: 50,
    doc: 'longest a fetch waits for events (bounds freshness)',
  }),
  behaviourPartitions: setting('BEHAVIOUR_PARTITIONS', Type.Integer({ minimum: 1, maximum: 256 }), { default: 4 }),
  concurrentPartitions: setting('CONCURRENT_PARTITIONS', Type.Integer({ minimum: 1, maximum: 64 }), { default: 4 }),
  writeConcurrency: setting('WRITE_CONCURRENCY', Type.Integer({ minimum: 1, maximum: 2048 }), {
    default: 128,
    doc: 'Cassandra reads and writes in flight per partition being applied',
  }),
  cachedStates: setting('CACHED_STATES', Type.Integer({ minimum: 0, maximum: 10_000_000 }), {
    default: 200_000,
    doc: 'feature states kept in memory per source partition',
  }),
  replicationFactor: setting('REPLICATION_FACTOR', Type.Integer({ minimum: 1, maximum: 9 }), {
    default: 1,
    doc: 'of the features keyspace, when the pipeline creates it',
  }),
};
export type Config = ConfigOf<typeof settings>;
