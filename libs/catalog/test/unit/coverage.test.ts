import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCoverageIndex, matchAll, measureCoverage, productTokens } from '../../src/coverage';
import { loadQueries, loadTaxonomy, QUERIES_FILE, SHARED_DATA_DIR, TAXONOMY_FILE } from '../../src/data';
import { generateRange } from '../../src/generator/catalog';
import { createCatalogContext } from '../../src/generator/context';
import { splitQueries } from '../../src/queries';
import { contentTokens } from '../../src/text';

function coverageOf(dir: string | null, size: number) {
  const queries = loadQueries(dir);
  const ctx = createCatalogContext({ seed: 42, taxonomy: loadTaxonomy(dir), queries });
  const index = buildCoverageIndex(generateRange(0, size, ctx));
  const { test } = splitQueries(queries.filter((q) => q.hits > 0));
  const result = measureCoverage(index, test, ctx.resolveCategory);
  return { found: result.found / result.queries, sensible: result.sensible / result.queries, queries: result.queries };
}

describe('coverage measurement', () => {
  const ctx = createCatalogContext({ seed: 1, taxonomy: loadTaxonomy(null), queries: loadQueries(null) });
  const products = [...generateRange(0, 300, ctx)];
  const index = buildCoverageIndex(products);

  it('indexes title, brand, line, category names and attribute values with units', () => {
    const tokens = productTokens(products[0]!);
    for (const t of contentTokens(products[0]!.brand)) expect(tokens.has(t)).toBe(true);
    for (const t of contentTokens(products[0]!.category.path.join(' '))) expect(tokens.has(t)).toBe(true);
    const withUnit = products.flatMap((p) => p.attributes).find((a) => a.unit === 'in');
    if (withUnit !== undefined) expect(productTokens({ ...products[0]!, attributes: [withUnit] }).has('inch')).toBe(true);
  });

  it('finds only products carrying every token', () => {
    const brand = contentTokens(products[0]!.brand);
    const found = matchAll(index, brand);
    expect(found).toContain(0);
    expect(matchAll(index, [...brand, 'zzznotaword'])).toEqual([]);
    expect(matchAll(index, [])).toEqual([]);
  });
});

describe('catalog coverage of the query log (test split, hits > 0)', () => {
  it('covers the built-in queries', () => {
    const { found, sensible } = coverageOf(null, 5000);
    expect(found).toBeGreaterThanOrEqual(0.9);
    expect(sensible).toBeGreaterThanOrEqual(0.85);
  });

  const shared = existsSync(join(SHARED_DATA_DIR, TAXONOMY_FILE)) && existsSync(join(SHARED_DATA_DIR, QUERIES_FILE));
  (shared ? it : it.skip)('covers the real queries (../shared/data)', () => {
    const { found, sensible, queries } = coverageOf(SHARED_DATA_DIR, 20_000);
    expect(queries).toBeGreaterThan(200);
    expect(found).toBeGreaterThanOrEqual(0.9);
    expect(sensible).toBeGreaterThanOrEqual(0.8);
  });
});
