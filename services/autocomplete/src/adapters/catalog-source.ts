/**
 * Reads what the index is built from at start: the real query log (TRAIN split only) and the demo catalog
 * generated with the same seed and size the indexer serves, so "finds products" means what search finds.
 */
import { generateCatalog, loadQueries, loadTaxonomy, type Product, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { CatalogCoverage, catalogEntities, popularQueries } from '../domain/entries';
import type { SuggesterSources } from '../domain/suggester';

export interface CatalogSourceOptions {
  seed: number;
  size: number;
  dataDir?: string | null;
  liveWeight?: number;
  /** Keeps only the TRAIN queries it accepts as seed (the quality script's validation fold). */
  seedFilter?: (query: string) => boolean;
}

export function loadSources(options: CatalogSourceOptions): SuggesterSources & { products: number; trainQueries: number } {
  const dir = options.dataDir === undefined ? resolveDataDir() : options.dataDir;
  const taxonomy = loadTaxonomy(dir);
  const queries = loadQueries(dir);
  const products: Product[] = [...generateCatalog({ seed: options.seed, size: options.size, taxonomy, queries })];
  const coverage = new CatalogCoverage(products);
  const { train } = splitQueries(queries);
  const facts = new Map<string, ReturnType<CatalogCoverage['facts']>>();
  return {
    seedQueries: popularQueries(options.seedFilter === undefined ? train : train.filter((q) => options.seedFilter?.(q.query))),
    entities: catalogEntities(products),
    // Memoised: the catalog does not change while the service runs, and rebuilds ask again.
    facts: (text) => {
      if (!facts.has(text)) facts.set(text, coverage.facts(text));
      return facts.get(text) ?? null;
    },
    ...(options.liveWeight !== undefined ? { liveWeight: options.liveWeight } : {}),
    products: products.length,
    trainQueries: train.length,
  };
}
