/**
 * Step 1 of `npm run qu:train` (training/train.sh runs it, then train.py):
 *   - the lexicon, from the store's catalog (seed 42, 50k products, as `npm start` indexes it) and the
 *     TRAIN queries → model/lexicon.json.gz (committed: the service loads it at start);
 *   - the classifier's examples, featurised by the serving code itself → <work dir>/examples.jsonl and
 *     labels.json, which train.py reads.
 * Usage: tsx build-artifacts.ts --work-dir DIR [--model-dir DIR] [--size 50000] [--seed 42] [--query-weight 4]
 *        [--validation]: hold out `validationQueries(train)` too, to tune hyperparameters without the test split
 *        [--lexicon-only]: rebuild only the lexicon (it does not change the classifier's examples)
 */
import { createHash } from 'node:crypto';
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateCatalog, loadQueries, loadTaxonomy, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { DEFAULT_FEATURE_SPEC, featurise } from '../src/domain/features';
import { buildLexicon } from '../src/domain/lexicon';
import { normaliseText } from '../src/domain/normalise';
import { QUERY_EXAMPLE_WEIGHT, trainingExamples, validationQueries } from './examples';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

export const MODEL_DIR = resolve(__dirname, '..', 'model');

async function main(): Promise<void> {
  const cache = process.env.SEARCH_MESH_CACHE_DIR ?? join(homedir(), '.cache', 'search-mesh');
  const workDir = resolve(arg('work-dir', join(cache, 'qu-training')));
  const modelDir = resolve(arg('model-dir', MODEL_DIR));
  const size = Number(arg('size', '50000'));
  const seed = Number(arg('seed', '42'));
  mkdirSync(workDir, { recursive: true });
  mkdirSync(modelDir, { recursive: true });
  const dir = resolveDataDir();
  const taxonomy = loadTaxonomy(dir);
  const queries = loadQueries(dir);
  const { train: allTrain } = splitQueries(queries);
  const validation = new Set(validationQueries(allTrain));
  const train = process.argv.includes('--validation') ? allTrain.filter((q) => !validation.has(q)) : allTrain;
  const queryWeight = Number(arg('query-weight', String(QUERY_EXAMPLE_WEIGHT)));

  const started = Date.now();
  const lexicon = buildLexicon(generateCatalog({ seed, size, taxonomy, queries }), allTrain, 'pending');
  const body = JSON.stringify({ ...lexicon, version: '' });
  lexicon.version = `lexicon-${createHash('sha256').update(body).digest('hex').slice(0, 12)}`;
  writeFileSync(join(modelDir, 'lexicon.json.gz'), gzipSync(JSON.stringify(lexicon), { level: 9 }));
  console.log(`lexicon ${lexicon.version}: ${lexicon.words.length} words, ${lexicon.bigrams?.length ?? 0} bigrams, ${lexicon.brands.length} brands, ${lexicon.modelNumbers.length} model numbers (${Date.now() - started} ms)`);
  if (process.argv.includes('--lexicon-only')) return;

  // The classifier never sees a test query, not even through the catalog's query intents.
  const catalog = generateCatalog({ seed, size, taxonomy, queries: train });
  const lvl1 = new Set<string>();
  const lvl2 = new Set<string>();
  const out = createWriteStream(join(workDir, 'examples.jsonl'));
  let count = 0;
  for (const example of trainingExamples(catalog, train, queryWeight)) {
    for (const [label] of example.lvl1) lvl1.add(label);
    for (const [label] of example.lvl2) lvl2.add(label);
    const { ids, weights } = featurise(normaliseText(example.text).tokens);
    if (ids.length === 0) continue;
    const line = JSON.stringify({ ids, weights: weights.map((w) => Math.round(w * 1e6) / 1e6), lvl1: example.lvl1, lvl2: example.lvl2, weight: example.weight, source: example.source });
    if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r));
    count++;
  }
  await new Promise<void>((r) => out.end(r));
  // Fixed inputs for the serving parity check: train.py stores their probabilities in the manifest.
  const checks = ['65 inch samsung tv', 'french door refrigerator', 'iphone case', 'gaming laptop under 1000', 'xyzzy'].map((text) => ({ text, ...featurise(normaliseText(text).tokens) }));
  writeFileSync(
    join(workDir, 'labels.json'),
    JSON.stringify({ lvl1: [...lvl1].sort(), lvl2: [...lvl2].sort(), featureSpec: DEFAULT_FEATURE_SPEC, lexicon: lexicon.version, checks }),
  );
  console.log(`examples: ${count}, labels: ${lvl1.size} lvl1, ${lvl2.size} lvl2 → ${workDir} (${Date.now() - started} ms)`);
}

void main().catch((err) => {
  console.error(err);
  process.exit(1);
});
