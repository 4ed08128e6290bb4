/**
 * `npm run ranking:evaluate`: NDCG@10 on the held-out TEST queries (never trained on) of the committed
 * model, served by onnxruntime-node exactly as in production, against the plain Elasticsearch order,
 * graded by the click simulator's true relevance. Builds (or reuses) the dataset of `npm run ranking:train`,
 * so Elasticsearch must be up the first time (eval "$(bash infra/local/env.sh)").
 *   npx tsx services/ranking/bench/evaluate.ts [--model-dir DIR]
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OnnxModel } from '../src/adapters/onnx-model';
import { ndcgAt } from '../src/domain/click-model';
import { FEATURE_COUNT } from '../src/domain/features';
import type { ModelManifest } from '../src/domain/manifest';
import { orderByScore } from '../src/domain/order';
import { BUILTIN_MODEL_DIR } from '../src/config';
import { DEFAULT_DATASET, loadDataset, type QueryRows } from '../training/dataset';

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main() {
  const { values } = parseArgs({ options: { 'model-dir': { type: 'string', default: BUILTIN_MODEL_DIR } } });
  const dir = values['model-dir']!;
  const cache = process.env.SEARCH_MESH_CACHE_DIR ?? join(homedir(), '.cache', 'search-mesh');
  const dataset = await loadDataset(join(cache, 'ranking-training'), DEFAULT_DATASET);
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  const model = await OnnxModel.load(new Uint8Array(readFileSync(join(dir, manifest.model))), manifest, {
    executionProvider: 'cpu',
    intraOpThreads: 1,
    maxBatchRows: 100_000,
    maxWaitMs: 0,
    warn: (m) => console.warn(m),
  });
  const evaluate = async (queries: QueryRows[]) => {
    const model10: number[] = [];
    const es10: number[] = [];
    let wins = 0;
    let losses = 0;
    for (const q of queries) {
      const es = ndcgAt(10, q.grades);
      if (Number.isNaN(es)) continue; // nothing relevant retrieved: no order can do better
      const rows = q.grades.length;
      const scores = await model.score(Float32Array.from(q.features), rows);
      const ranked = ndcgAt(10, orderByScore(scores).map((i) => q.grades[i]!));
      model10.push(ranked);
      es10.push(es);
      if (ranked > es + 1e-9) wins++;
      else if (ranked < es - 1e-9) losses++;
    }
    return { queries: model10.length, model: mean(model10), es: mean(es10), wins, losses };
  };
  const test = await evaluate(dataset.test);
  console.log(`model ${manifest.version} (${FEATURE_COUNT} features), held-out TEST queries: ${test.queries} with a relevant candidate`);
  console.log(`NDCG@10  model ${test.model.toFixed(4)}   Elasticsearch order ${test.es.toFixed(4)}   (+${(test.model - test.es).toFixed(4)}, ${(((test.model - test.es) / test.es) * 100).toFixed(1)}%)`);
  console.log(`queries better / worse than Elasticsearch order: ${test.wins} / ${test.losses}`);
  await model.retire();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
