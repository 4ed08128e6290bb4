/**
 * Vocabulary coverage and generation throughput of the demo catalog.
 *
 *   npx tsx libs/catalog/bench/coverage.ts                 # shared data when present, 50k products
 *   npx tsx libs/catalog/bench/coverage.ts --builtin       # the built-in taxonomy and queries
 *   npx tsx libs/catalog/bench/coverage.ts --size 1000000  # also times a 1M-product stream
 *   ... --missed                                           # lists test queries that found nothing
 *   ... --train-only                                       # ablation: the generator sees train queries only
 *   ... --without-search-terms                             # ablation: matching ignores products' searchTerms
 *
 * Coverage is measured on the 50k catalog; figures for the test split are the ones to report. The
 * generator uses every query's vocabulary by design (it is the storefront's vocabulary), so the
 * --train-only ablation shows how much of the test coverage comes from the test queries themselves.
 */
import { parseArgs } from 'node:util';
import {
  buildCoverageIndex,
  createCatalogContext,
  generateRange,
  loadQueries,
  loadTaxonomy,
  measureCoverage,
  resolveDataDir,
  splitQueries,
  type CatalogContext,
  type CoverageResult,
  type Product,
} from '../src';

const COVERAGE_SIZE = 50_000;

function main(): void {
  const { values } = parseArgs({
    options: {
      builtin: { type: 'boolean', default: false },
      size: { type: 'string' },
      seed: { type: 'string', default: '42' },
      missed: { type: 'boolean', default: false },
      'train-only': { type: 'boolean', default: false },
      'without-search-terms': { type: 'boolean', default: false },
    },
  });
  const dataDir = values.builtin ? null : resolveDataDir();
  const seed = /^\d+$/.test(values.seed) ? Number(values.seed) : values.seed;
  const queries = loadQueries(dataDir);
  const withHits = queries.filter((q) => q.hits > 0);
  const { train, test } = splitQueries(withHits);
  const seen = values['train-only'] ? train : queries;
  const contextStarted = performance.now();
  const ctx = createCatalogContext({ seed, taxonomy: loadTaxonomy(dataDir), queries: seen });
  const contextMs = performance.now() - contextStarted;

  console.log(
    `data: ${dataDir ?? 'built-in'}; seed ${seed}; generator saw ${values['train-only'] ? 'train queries only' : 'all queries'}; ` +
      `${ctx.leaves.length} sold leaf categories; context built in ${contextMs.toFixed(0)} ms`,
  );

  const products: Product[] = [];
  const generation = time(() => {
    for (const p of generateRange(0, COVERAGE_SIZE, ctx)) products.push(p);
  });
  console.log(`generate ${COVERAGE_SIZE}: ${generation.toFixed(0)} ms (${rate(COVERAGE_SIZE, generation)} products/s)`);

  const indexed = values['without-search-terms'] ? products.map(({ searchTerms: _ignored, ...p }) => p) : products;
  const index = buildCoverageIndex(indexed);
  report('test split, hits > 0', measureCoverage(index, test, ctx.resolveCategory), values.missed);
  report('all queries, hits > 0', measureCoverage(index, withHits, ctx.resolveCategory), false);

  const size = values.size === undefined ? undefined : Number(values.size);
  if (size !== undefined && size > COVERAGE_SIZE) stream(ctx, size);
}

function report(label: string, result: CoverageResult, listMissed: boolean): void {
  const pct = (n: number) => `${((100 * n) / Math.max(1, result.queries)).toFixed(1)}%`;
  console.log(`${label}: ${result.queries} queries; found ${result.found} (${pct(result.found)}); category-sensible ${result.sensible} (${pct(result.sensible)})`);
  if (listMissed) for (const q of result.missed) console.log(`  missed: ${q}`);
}

/** Times a streamed catalog without keeping it: product i needs nothing but the context and i. */
function stream(ctx: CatalogContext, size: number): void {
  let count = 0;
  let peakHeap = 0;
  const heapBefore = process.memoryUsage().heapUsed;
  const ms = time(() => {
    for (const p of generateRange(0, size, ctx)) {
      if (p.price >= 0) count++;
      if (count % 100_000 === 0) peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    }
  });
  const growthMb = (peakHeap - heapBefore) / 1e6;
  console.log(`generate ${count} (streamed): ${(ms / 1000).toFixed(1)} s (${rate(count, ms)} products/s), heap growth while streaming ${growthMb.toFixed(0)} MB`);
}

function time(work: () => void): number {
  const started = performance.now();
  work();
  return performance.now() - started;
}

function rate(count: number, ms: number): string {
  return Math.round((count / ms) * 1000).toLocaleString('en-US');
}

main();
