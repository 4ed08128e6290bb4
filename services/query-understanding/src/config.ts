import { Type } from '@sinclair/typebox';
import { type ConfigOf, kitSettings, setting } from '@search-mesh/service-kit';
import { backendSettings } from '@search-mesh/backends';
import { SERVICES } from '@search-mesh/contracts';
import { DEFAULT_MODEL_DIR } from './adapters/artifacts';
import { DEFAULT_POLICY } from './domain/understand';

const Probability = Type.Number({ minimum: 0, maximum: 1.01 });

export const settings = {
  ...kitSettings(SERVICES['query-understanding'].port),
  namespace: backendSettings.namespace,
  kafkaBrokers: backendSettings.kafkaBrokers,
  modelDir: setting('MODEL_DIR', Type.String({ minLength: 1 }), { default: DEFAULT_MODEL_DIR, doc: 'category.onnx, manifest.json, lexicon.json.gz' }),
  adminToken: setting('ADMIN_TOKEN', Type.String(), {
    default: '',
    doc: 'bearer token of POST /v1/rules; empty disables the admin endpoint',
  }),
  rulesFromKafka: setting('RULES_FROM_KAFKA', Type.Boolean(), {
    default: false,
    doc: 'consume query_rules.changed events from the config-changes topic',
  }),
  classifierRuntime: setting('CLASSIFIER_RUNTIME', Type.Union([Type.Literal('typescript'), Type.Literal('onnxruntime')]), {
    default: 'typescript',
    doc: 'typescript: the category model in TypeScript from the same weights, synchronous; onnxruntime: onnxruntime-node (the reference)',
  }),
  leafBoostMin: setting('LEAF_BOOST_MIN', Probability, {
    default: DEFAULT_POLICY.leafBoostMin,
    doc: 'a leaf category below lvl2 at least this probable becomes a boost; above 1 never',
  }),
  categoryBoostMin: setting('CATEGORY_BOOST_MIN', Probability, { default: DEFAULT_POLICY.categoryBoostMin }),
  categoryFilterMin: setting('CATEGORY_FILTER_MIN', Probability, {
    default: DEFAULT_POLICY.categoryFilterMin,
    doc: 'above 1 never filters by predicted category',
  }),
  planCacheEntries: setting('PLAN_CACHE_ENTRIES', Type.Integer({ minimum: 0, maximum: 10_000_000 }), {
    default: 20_000,
    doc: 'serialized plans kept by (query, topCategories), emptied whenever a rule set is swapped in; 0: none',
  }),
};
export type Config = ConfigOf<typeof settings>;
