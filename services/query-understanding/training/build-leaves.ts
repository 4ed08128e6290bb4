/**
 * Step 1b of `npm run qu:train`: the leaf-category table → model/leaves.json.gz: every leaf of the
 * taxonomy with products in the served catalog (seed 42, 50k products, as `npm start` indexes it) and how
 * many, the priors `LeafCategories` spreads the lvl2 head's probability with. Only leaves whose path is a
 * valid keyword value of the plan contract are kept.
 * Usage: tsx build-leaves.ts [--model-dir DIR] [--size 50000] [--seed 42]
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { generateCatalog, loadQueries, loadTaxonomy, resolveDataDir } from '@search-mesh/catalog';
import { KEYWORD_VALUE_PATTERN } from '@search-mesh/contracts';
import type { LeafData } from '../src/domain/leaves';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const started = Date.now();
const modelDir = resolve(arg('model-dir', resolve(__dirname, '..', 'model')));
const dir = resolveDataDir();
const counts = new Map<string, number>();
const valid = new RegExp(KEYWORD_VALUE_PATTERN);
for (const product of generateCatalog({ seed: Number(arg('seed', '42')), size: Number(arg('size', '50000')), taxonomy: loadTaxonomy(dir), queries: loadQueries(dir) })) {
  const path = product.category.path.join(' > ');
  counts.set(path, (counts.get(path) ?? 0) + 1);
}
const leaves = [...counts.entries()].filter(([path]) => valid.test(path) && path.length <= 300).sort((a, b) => (a[0] < b[0] ? -1 : 1));
const data: LeafData = { version: '', leaves };
data.version = `leaves-${createHash('sha256').update(JSON.stringify(leaves)).digest('hex').slice(0, 12)}`;
writeFileSync(join(modelDir, 'leaves.json.gz'), gzipSync(JSON.stringify(data), { level: 9 }));
console.log(`${data.version}: ${leaves.length} leaves with products (${counts.size - leaves.length} dropped) in ${Date.now() - started} ms`);
