/**
 * Builds the ranking datasets from the demo catalog indexed in Elasticsearch and the real queries, through
 * the code serving uses: query understanding's plan, the orchestrator's retrieval request (with the match
 * features as named queries) and its rank request, and this service's feature module. Then simulates
 * shoppers (src/domain/click-model.ts): a first period of traffic on every query fills the behaviour counts
 * (what the feature store would hold), a second period on the TRAIN queries gives the click logs the
 * training labels come from (inverse-propensity corrected); the held-out TEST queries keep their true
 * graded relevance for evaluation. Cached under the work directory by its options.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type BackendConfig, backendSettings, createSearchClient } from '@search-mesh/backends';
import { generateCatalog, loadTaxonomy, normaliseQuery, Prng, productTokens, type Product, type QueryRecord, resolveDataDir, splitQueries, loadQueries } from '@search-mesh/catalog';
import { indexNames, type RankRequest } from '@search-mesh/contracts';
import { createEngine } from '@search-mesh/query-understanding';
import { loadConfig } from '@search-mesh/service-kit';
// The orchestrator's own retrieval and rank request, so training rows are built exactly like serving rows.
import { ProductSearch } from '../../orchestrator/src/adapters/product-search';
import { rankRequest } from '../../orchestrator/src/domain/ranking';
import { buildRetrieval } from '../../orchestrator/src/domain/retrieval';
import { indexCatalog } from '../../orchestrator/test/support/catalog-index';
import { type BehaviourCounts, type CandidateBehaviour, FEATURE_COUNT, FEATURE_NAMES, featureMatrix } from '../src/domain/features';
import { categoryMedians, clickLabel, estimatePropensities, grade, type Impression, queryContext, relevance, simulateSession } from '../src/domain/click-model';

export interface DatasetOptions {
  catalogSize: number;
  seed: number;
  namespace: string;
  rerankWindow: number;
  /** Sessions per query in the behaviour period and in the click-log period. */
  behaviourSessions: number;
  trainingSessions: number;
}

export const DEFAULT_DATASET: DatasetOptions = { catalogSize: 20_000, seed: 42 /* the catalog's default seed */, namespace: 'ranking_training', rerankWindow: 100, behaviourSessions: 10, trainingSessions: 60 };

/** Release dates are compared with this instant, not the clock: the same rows on every run. */
export const TRAINING_NOW = Date.UTC(2026, 10, 1);

export interface QueryRows {
  query: string;
  /** Row-major (candidates × FEATURE_COUNT), float32 values. */
  features: number[];
  /** Training: click labels (−1: too few examinations); test: true grades. */
  labels: number[];
  /** True grades, in retrieval order. */
  grades: number[];
}

export interface Dataset {
  options: DatasetOptions;
  featureNames: string[];
  train: QueryRows[];
  test: QueryRows[];
  propensities: number[];
}

interface Retrieved {
  record: QueryRecord;
  request: RankRequest;
  grades: number[];
}

const counts = (): BehaviourCounts => ({ impressions: 0, clicks: 0, carts: 0 });

function addImpressions(into: Map<string, BehaviourCounts>, key: (id: string) => string, ids: readonly string[], impressions: readonly Impression[]): void {
  for (const imp of impressions) {
    const k = key(ids[imp.candidate]!);
    let c = into.get(k);
    if (c === undefined) into.set(k, (c = counts()));
    c.impressions++;
    if (imp.clicked) c.clicks++;
    if (imp.carted) c.carts++;
  }
}

async function retrieveAll(options: DatasetOptions, log: (line: string) => void): Promise<Retrieved[]> {
  const dir = resolveDataDir();
  const queries = loadQueries(dir);
  const config = loadConfig('ranking-training', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: options.namespace });
  const products: Product[] = [...generateCatalog({ size: options.catalogSize, seed: options.seed, taxonomy: loadTaxonomy(dir), queries })];
  const indexed = await indexCatalogOnce(options, config, log);
  const search = new ProductSearch(indexed.es, indexNames(options.namespace).productsAlias);
  const engine = await createEngine();
  const byId = new Map(products.map((p) => [p.id, p]));
  const medians = categoryMedians(products);
  const tokens = new Map<string, Set<string>>();
  const out: Retrieved[] = [];
  const seen = new Set<string>();
  for (const record of queries) {
    const normalised = normaliseQuery(record.query);
    if (normalised === '' || seen.has(normalised)) continue;
    seen.add(normalised);
    const plan = await engine.understand(record.query);
    if (plan.intent.type === 'redirect' || plan.terms.length === 0) continue;
    const retrieval = buildRetrieval({
      terms: plan.terms,
      planFilters: plan.filters,
      planBoosts: plan.boosts,
      category: undefined,
      shopperFilters: [],
      sort: 'relevance',
      page: 1,
      size: 10,
      rerankWindow: options.rerankWindow,
      aggregations: [],
      rankingFeatures: { categories: plan.categories, leafCategories: plan.leafCategories },
    });
    const answer = await search.search(retrieval.body, [], 30_000);
    if (answer.candidates.length < 2) continue;
    const request = rankRequest(plan.terms.map((t) => t.text).join(' '), plan.intent, plan.categories, answer.candidates, false, TRAINING_NOW);
    const context = queryContext(record);
    const grades = answer.candidates.map((c) => {
      const product = byId.get(c.id)!;
      let t = tokens.get(c.id);
      if (t === undefined) tokens.set(c.id, (t = productTokens(product)));
      return grade(relevance(context, product, medians.get(product.category.id) ?? product.price, t));
    });
    out.push({ record, request, grades });
    if (out.length % 200 === 0) log(`  ${out.length} queries retrieved`);
  }
  await engine.close();
  await indexed.es.close();
  return out;
}

/** The catalog in the training namespace's index; indexed only when the index lacks it. */
async function indexCatalogOnce(options: DatasetOptions, config: BackendConfig, log: (line: string) => void) {
  const esUrl = config.esUrl;
  const alias = indexNames(options.namespace).productsAlias;
  const res = await fetch(`${esUrl}/${alias}/_count`).catch(() => undefined);
  const count = res?.ok ? ((await res.json()) as { count: number }).count : -1;
  if (count !== options.catalogSize) {
    log(`indexing ${options.catalogSize} products into ${alias}`);
    if (count >= 0) await fetch(`${esUrl}/${indexNames(options.namespace).productsIndexPrefix}*`, { method: 'DELETE' });
    // The catalog of the default seed, as every service generates it.
    return indexCatalog(options.catalogSize, options.namespace);
  }
  return { es: createSearchClient(config) };
}

export async function buildDataset(options: DatasetOptions, log: (line: string) => void = console.log): Promise<Dataset> {
  const retrieved = await retrieveAll(options, log);
  const rng = new Prng(`ranking-clicks|${options.seed}`);
  // Period 1: every query's traffic, ranked by Elasticsearch, fills the behaviour counts.
  const product = new Map<string, BehaviourCounts>();
  const queryProduct = new Map<string, BehaviourCounts>();
  for (const r of retrieved) {
    const ids = r.request.candidates.map((c) => c.id);
    const normalised = normaliseQuery(r.request.query);
    for (let s = 0; s < options.behaviourSessions; s++) {
      const impressions = simulateSession(r.grades, rng, { exploreShare: 0 });
      addImpressions(product, (id) => id, ids, impressions);
      addImpressions(queryProduct, (id) => `${normalised}\u0000${id}`, ids, impressions);
    }
  }
  // Keyed like serving reads the store: by the searched words (the rank request's query), normalised.
  const behaviourOf = (query: string) => {
    const normalised = normaliseQuery(query);
    return (id: string): CandidateBehaviour => ({ product: product.get(id), queryProduct: queryProduct.get(`${normalised}\u0000${id}`) });
  };
  // Period 2: click logs of the TRAIN queries (30% exploration sessions), labels by inverse propensity.
  const { train, test } = splitQueries(retrieved.map((r) => ({ ...r, query: r.record.query })));
  const logs = train.map((r) => {
    const impressions: Impression[] = [];
    for (let s = 0; s < options.trainingSessions; s++) impressions.push(...simulateSession(r.grades, rng));
    return impressions;
  });
  const propensities = estimatePropensities(logs.flat(), 20);
  const trainRows = train.map((r, q) => {
    const examinations = new Array<number>(r.grades.length).fill(0);
    const clicks = new Array<number>(r.grades.length).fill(0);
    for (const imp of logs[q]!) {
      examinations[imp.candidate]! += propensities[imp.position]!;
      if (imp.clicked) clicks[imp.candidate]!++;
    }
    const labels = r.grades.map((_, i) => clickLabel(clicks[i]!, examinations[i]!) ?? -1);
    return { query: r.record.query, features: [...featureMatrix(r.request, behaviourOf(r.request.query))], labels, grades: r.grades };
  });
  const testRows = test.map((r) => ({ query: r.record.query, features: [...featureMatrix(r.request, behaviourOf(r.request.query))], labels: r.grades, grades: r.grades }));
  return { options, featureNames: [...FEATURE_NAMES], train: trainRows, test: testRows, propensities };
}

/** The dataset for these options, from the cache when it was built with the same options and features. */
export async function loadDataset(workDir: string, options: DatasetOptions = DEFAULT_DATASET, log: (line: string) => void = console.log): Promise<Dataset> {
  const key = createHash('sha256').update(JSON.stringify({ options, FEATURE_NAMES, version: 2 })).digest('hex').slice(0, 12);
  const file = join(workDir, `dataset-${key}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Dataset;
  const dataset = await buildDataset(options, log);
  mkdirSync(workDir, { recursive: true });
  writeFileSync(file, JSON.stringify(dataset));
  log(`dataset: ${dataset.train.length} train and ${dataset.test.length} test queries, ${FEATURE_COUNT} features → ${file}`);
  return dataset;
}
