import { generateCatalog, loadQueries, loadTaxonomy } from '@search-mesh/catalog';
import { CatalogCoverage, catalogEntities, mergeEntries, popularQueries, queryEntries, scopeOf } from '../../src/domain/entries';

// The built-in store (no ../shared needed): a small deterministic catalog.
const taxonomy = loadTaxonomy(null);
const queries = loadQueries(null);
const products = [...generateCatalog({ seed: 7, size: 400, taxonomy, queries })];
const coverage = new CatalogCoverage(products);

describe('catalog entries', () => {
  it('finds what the catalog has, with categories, and nothing for words it lacks', () => {
    const product = products[0]!;
    const facts = coverage.facts(product.brand);
    expect(facts).not.toBeNull();
    expect(facts!.matches).toBeGreaterThan(0);
    expect(facts!.categories).toContain(product.category.path.join(' > '));
    expect(coverage.facts('zzqx nonexistentword')).toBeNull();
    expect(coverage.facts('the of and')).toBeNull(); // stopwords only
  });

  it('makes brands, product lines and categories at every depth from the products', () => {
    const entities = catalogEntities(products);
    const product = products.find((p) => p.modelLine !== undefined)!;
    expect(entities).toContainEqual(expect.objectContaining({ kind: 'brand', text: product.brand }));
    expect(entities.some((e) => e.kind === 'product' && e.text.includes(product.modelLine!))).toBe(true);
    const leaf = product.category.path.join(' > ');
    expect(entities).toContainEqual(expect.objectContaining({ kind: 'category', text: product.category.path.at(-1), categories: [leaf] }));
    expect(entities.every((e) => e.raw > 0)).toBe(true);
    // a brand selling mostly in one lvl2 category is scoped to it; categories never are
    for (const e of entities.filter((x) => x.scope !== undefined)) {
      expect(e.kind).not.toBe('category');
      expect(e.scope!.split(' > ')).toHaveLength(3);
      expect(e.categories.some((c) => c.startsWith(`${e.scope} > `) || c === e.scope)).toBe(true);
    }
    expect(entities.some((e) => e.kind === 'brand' && e.scope !== undefined)).toBe(true);
  });

  it('keeps only queries that find products, scoped by the log\'s lvl2 when the catalog agrees', () => {
    const product = products[0]!;
    const lvl2 = product.category.path.slice(0, 3).join(' > ');
    const q = { text: product.brand.toLowerCase(), popularity: 5, lvl2: [{ value: lvl2, count: 9 }, { value: 'Elsewhere > X > Y', count: 1 }] };
    const entries = queryEntries([q, { text: 'zzqx nothing', popularity: 1000 }], (t) => coverage.facts(t));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ text: q.text, kind: 'query', score: 6 });
    if (product.category.path.length >= 3) expect(scopeOf(q, coverage.facts(q.text)!)).toBe(lvl2);
    // a logged category the catalog has no matches in falls back to the catalog's own
    const elsewhere = { ...q, lvl2: [{ value: 'Elsewhere > X > Y', count: 10 }] };
    expect(scopeOf(elsewhere, coverage.facts(q.text)!)).toBe(coverage.facts(q.text)!.scope);
  });

  it('folds duplicate log lines and merges near-duplicates across kinds, scores added', () => {
    expect(popularQueries([{ query: 'TV', popularity: 2, lvl2: [] }, { query: 'tv ', popularity: 3, lvl2: [] }])).toEqual([{ text: 'tv', popularity: 5, lvl2: [] }]);
    const merged = mergeEntries(
      [{ text: 'tv', kind: 'query', score: 10, categories: ['A > B'], scope: 'A > B > C' }, { text: 'other', kind: 'query', score: 0, categories: [] }],
      [{ text: 'TVs', kind: 'category', score: 0, raw: 2, categories: ['A > B'] }],
      1,
    );
    expect(merged).toHaveLength(2);
    const tv = merged.find((e) => e.text.toLowerCase().startsWith('tv'))!;
    expect(tv.scope).toBe('A > B > C');
    // the entity scale ignores zero-popularity queries: median positive query (10) / median entity (2)
    expect(tv.score).toBeCloseTo(10 + 2 * (10 / 2));
  });
});
