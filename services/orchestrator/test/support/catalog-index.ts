import { randomUUID } from 'node:crypto';
import { backendSettings, createSearchClient, type SearchClient } from '@search-mesh/backends';
import { generateCatalog, loadQueries, loadTaxonomy, type QueryRecord, resolveDataDir } from '@search-mesh/catalog';
import { indexNames } from '@search-mesh/contracts';
import { ProductsIndex, toSearchDocument } from '@search-mesh/search-index';
import { loadConfig } from '@search-mesh/service-kit';

/** A namespace of its own per test file, so indices never collide between runs. */
export function testNamespace(): string {
  return `it_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
}

export interface IndexedCatalog {
  namespace: string;
  es: SearchClient;
  queries: QueryRecord[];
  size: number;
  drop(): Promise<void>;
}

/**
 * The generated catalog written straight into a fresh products index of a test namespace (the real
 * pipeline, Kafka → indexer, is tested by the indexer; here only the documents matter).
 */
export async function indexCatalog(size: number, namespace = testNamespace()): Promise<IndexedCatalog> {
  const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
  const es = createSearchClient(config);
  const dir = resolveDataDir();
  const queries = loadQueries(dir);
  const index = new ProductsIndex(es, namespace, { refreshInterval: '-1' });
  const target = await index.ensure();
  const now = new Date().toISOString();
  let operations: unknown[] = [];
  const flush = async () => {
    if (operations.length === 0) return;
    const res = await es.bulk({ operations });
    if (res.errors) throw new Error(`bulk indexing failed: ${JSON.stringify(res.items.find((i) => i.index?.error))}`);
    operations = [];
  };
  for (const product of generateCatalog({ size, taxonomy: loadTaxonomy(dir), queries })) {
    operations.push({ index: { _index: target, _id: product.id } }, toSearchDocument(product, 1, now));
    if (operations.length >= 4000) await flush();
  }
  await flush();
  await es.indices.refresh({ index: target });
  return {
    namespace,
    es,
    queries,
    size,
    async drop() {
      await es.indices.delete({ index: `${indexNames(namespace).productsIndexPrefix}*`, ignore_unavailable: true, allow_no_indices: true });
      await es.indices.deleteIndexTemplate({ name: indexNames(namespace).productsTemplate }).catch(() => undefined);
      await es.close();
    },
  };
}
