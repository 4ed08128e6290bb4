import { Type } from '@sinclair/typebox';
import { type ConfigOf, kitSettings, setting } from '@search-mesh/service-kit';
import { backendSettings } from '@search-mesh/backends';
import { SERVICES } from '@search-mesh/contracts';

export const settings = {
  ...kitSettings(SERVICES['autocomplete'].port),
  namespace: backendSettings.namespace,
  kafkaBrokers: backendSettings.kafkaBrokers,
  catalogSeed: setting('CATALOG_SEED', Type.Integer(), { default: 42, doc: 'seed of the demo catalog the indexer serves' }),
  catalogSize: setting('CATALOG_SIZE', Type.Integer({ minimum: 1, maximum: 2_000_000 }), { default: 50_000, doc: 'size of that catalog' }),
  adminToken: setting('ADMIN_TOKEN', Type.String(), {
    default: '',
    doc: 'bearer token of GET /v1/blocklist (what this replica blocks); empty disables it',
  }),
  blocklist: setting('BLOCKLIST', Type.String({ maxLength: 100_000 }), {
    default: '',
    doc: 'phrases separated by "|" blocked always, on top of the merchandisers\' blocklist (which cannot unblock them)',
  }),
  blocklistFromKafka: setting('BLOCKLIST_FROM_KAFKA', Type.Boolean(), {
    default: true,
    doc: 'follow the merchandisers\' suggestion blocklist on the config-changes topic (the facet service publishes it)',
  }),
  queryLogFromKafka: setting('QUERY_LOG_FROM_KAFKA', Type.Boolean(), { default: true, doc: 'follow the live query-log topic' }),
  rebuildIntervalMs: setting('REBUILD_INTERVAL_MS', Type.Integer({ minimum: 10, maximum: 3_600_000 }), {
    default: 10_000,
    doc: 'how often a new index is built when the query log brought changes',
  }),
  rebuildSliceMs: setting('REBUILD_SLICE_MS', Type.Number({ minimum: 0.5, maximum: 1000 }), {
    default: 4,
    doc: 'a rebuild gives the event loop back to requests after holding it this long (a whole build takes ~0.1-0.2 s)',
  }),
  answerCacheEntries: setting('ANSWER_CACHE_ENTRIES', Type.Integer({ minimum: 0, maximum: 10_000_000 }), {
    default: 20_000,
    doc: 'serialized answers kept by (q, limit, category), dropped whenever a new index or blocklist is swapped in; 0: none',
  }),
  liveWeight: setting('LIVE_WEIGHT', Type.Number({ minimum: 0 }), { default: 1, doc: 'popularity of one live search against one seed count' }),
};
export type Config = ConfigOf<typeof settings>;
