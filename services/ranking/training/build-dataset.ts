/**
 * `npm run ranking:train`, step 1: the dataset (cached) and the path the Python trainer reads it from.
 *   npx tsx services/ranking/training/build-dataset.ts --work-dir DIR [--catalog-size 20000]
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FEATURES } from '../src/domain/features';
import { DEFAULT_DATASET, loadDataset } from './dataset';

async function main() {
  const { values } = parseArgs({ options: { 'work-dir': { type: 'string' }, 'catalog-size': { type: 'string' } } });
  const workDir = values['work-dir'];
  if (workDir === undefined) throw new Error('--work-dir is required');
  const options = { ...DEFAULT_DATASET, ...(values['catalog-size'] ? { catalogSize: Number(values['catalog-size']) } : {}) };
  const started = Date.now();
  const dataset = await loadDataset(workDir, options);
  const file = join(workDir, 'dataset.json');
  // The manifest fixes each feature's default, taken from the feature module.
  writeFileSync(file, JSON.stringify({ ...dataset, featureDefaults: FEATURES.map((f) => f.default) }));
  console.log(`dataset ready in ${((Date.now() - started) / 1000).toFixed(1)} s: ${dataset.train.length} train, ${dataset.test.length} test queries; propensities ${dataset.propensities.slice(0, 6).map((p) => p.toFixed(2)).join(' ')} …`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
