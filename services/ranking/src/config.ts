import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { type ConfigOf, kitSettings, setting } from '@search-mesh/service-kit';
import { backendSettings } from '@search-mesh/backends';
import { SERVICES } from '@search-mesh/contracts';

/** The model committed with the code (`npm run ranking:train` writes it): what a fresh registry starts from. */
export const BUILTIN_MODEL_DIR = join(__dirname, '..', 'model');

export const settings = {
  ...kitSettings(SERVICES['ranking'].port),
  ...backendSettings,
  modelDir: setting('MODEL_DIR', Type.String({ minLength: 1 }), { default: BUILTIN_MODEL_DIR, doc: 'model.onnx and manifest.json registered and activated when the registry has no state' }),
  registryDir: setting('REGISTRY_DIR', Type.String(), {
    default: '',
    doc: 'the model registry every instance shares (a ReadWriteMany volume in a cluster); empty: $TMPDIR/search-mesh-ranking-registry-<namespace>',
  }),
  registryPollMs: setting('REGISTRY_POLL_MS', Type.Integer({ minimum: 100 }), { default: 5000, doc: 'how often an instance follows the shared serving state' }),
  executionProvider: setting('EXECUTION_PROVIDER', Type.Union([Type.Literal('cpu'), Type.Literal('cuda')]), { default: 'cpu', doc: 'cuda falls back to cpu with a warning where CUDA is absent' }),
  intraOpThreads: setting('INTRA_OP_THREADS', Type.Integer({ minimum: 0, maximum: 256 }), { default: 0, doc: '0: the container CPU limit (cgroup cpu.max)' }),
  maxBatchRows: setting('MAX_BATCH_ROWS', Type.Integer({ minimum: 1, maximum: 100_000 }), { default: 2048, doc: 'candidates per model run (micro-batch)' }),
  maxBatchWaitMs: setting('MAX_BATCH_WAIT_MS', Type.Number({ minimum: 0, maximum: 100 }), { default: 0, doc: 'longest a request waits for others to batch with; 0: only requests that arrived together' }),
  adminToken: setting('ADMIN_TOKEN', Type.String(), { default: '', doc: 'bearer token of /v1/admin/*; empty disables them' }),
  featureStore: setting('FEATURE_STORE', Type.Boolean(), { default: true, doc: 'read behaviour features from Cassandra (defaults when off or missing)' }),
  featureStoreDeadlineMs: setting('FEATURE_STORE_DEADLINE_MS', Type.Integer({ minimum: 1 }), { default: 20 }),
  featureStoreCacheTtlMs: setting('FEATURE_STORE_CACHE_TTL_MS', Type.Integer({ minimum: 0 }), {
    default: 300_000,
    doc: 'how long read behaviour features are served from memory; with FEATURE_CHANGES a changed key is re-read when the pipeline announces it, so this only bounds how stale a lost announcement leaves it (re-reading every key every 30 s cost 3-7 ms of Cassandra CPU per search)',
  }),
  featureChanges: setting('FEATURE_CHANGES', Type.Boolean(), {
    default: true,
    doc: "follow the feature pipeline's change announcements (Kafka) and re-read exactly the keys it changed",
  }),
  featureStoreServeStaleMs: setting('FEATURE_STORE_SERVE_STALE_MS', Type.Integer({ minimum: 0 }), {
    default: 600_000,
    doc: 'how long past their TTL features are still served while re-read in the background (0: wait for the read); 7-day counts a few minutes old rank the same, and no request waits on Cassandra for a key read in the last 10 minutes',
  }),
  featureLog: setting('FEATURE_LOG', Type.Boolean(), { default: true, doc: 'log scored feature vectors to Kafka' }),
  featureLogFlushMs: setting('FEATURE_LOG_FLUSH_MS', Type.Integer({ minimum: 1 }), { default: 100 }),
  driftWindowRows: setting('DRIFT_WINDOW_ROWS', Type.Integer({ minimum: 100 }), { default: 50_000, doc: 'counted rows per PSI window' }),
  metricsSampleEvery: setting('METRICS_SAMPLE_EVERY', Type.Integer({ minimum: 1, maximum: 1000 }), {
    default: 4,
    doc: 'every k-th candidate of a request goes into the drift counts and the score histogram (1: all; counting is per-candidate work on the request path)',
  }),
};
export type Config = ConfigOf<typeof settings>;

/** The registry directory: the configured one, else one per namespace under the temporary directory. */
export const registryDirOf = (config: Pick<Config, 'registryDir' | 'namespace'>): string => config.registryDir || join(tmpdir(), `search-mesh-ranking-registry-${config.namespace}`);
