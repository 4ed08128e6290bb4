import { generateCatalog, loadQueries, loadTaxonomy, resolveDataDir } from '@search-mesh/catalog';
import type { SimProduct, SimQuery } from '../domain/simulator';

/** The simulator's products and queries: the demo catalog for `seed` and the real queries (or the built-in ones). */
export function loadSimulatorInputs(options: { size?: number; seed?: number } = {}): { products: SimProduct[]; queries: SimQuery[] } {
  const dir = resolveDataDir();
  const taxonomy = loadTaxonomy(dir);
  const records = loadQueries(dir);
  const products: SimProduct[] = [];
  for (const p of generateCatalog({ taxonomy, queries: records, size: options.size ?? 50_000, seed: options.seed ?? 42 })) {
    products.push({ id: p.id, categoryPath: p.category.path, popularity: p.popularity, price: p.price });
  }
  const queries: SimQuery[] = records.map((q) => ({
    query: q.query,
    popularity: q.popularity,
    categories: [...q.lvl1].sort((a, b) => b.count - a.count).map((c) => c.value),
  }));
  return { products, queries };
}
