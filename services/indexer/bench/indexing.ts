/**
 * End-to-end indexing throughput (events produced → searchable) for the demo catalog, and freshness of
 * single updates (produced → visible to search), against the real Kafka and Elasticsearch. The indexer
 * runs as its own process, as in production. Uses a throw-away namespace and removes it afterwards.
 *
 *   npx tsx services/indexer/bench/indexing.ts [--size 50000] [--updates 200]
 *
 * Targets on the 2-core dev machine: ≥ 5,000 docs/s; freshness p99 ≤ 2 s.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { backendSettings, createKafka, createSearchClient } from '@search-mesh/backends';
import { generateCatalog, loadQueries, loadTaxonomy, resolveDataDir } from '@search-mesh/catalog';
import { type CatalogEvent, indexNames, topicNames } from '@search-mesh/contracts';
import { loadConfig } from '@search-mesh/service-kit';
import { freePort, quantile, runTs, waitForHttp } from '@search-mesh/testing';
import { CatalogPublisher } from '../src/adapters/catalog-publisher';
import { productId } from '../src/domain/changes';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { size: { type: 'string', default: '50000' }, updates: { type: 'string', default: '200' } } });
  const size = Number(values.size);
  const updates = Number(values.updates);
  const namespace = `bench_${randomUUID().replace(/-/g, '').slice(0, 8)}`;
  const config = loadConfig('bench', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
  const es = createSearchClient(config);
  const kafka = createKafka(config, 'bench');
  const alias = indexNames(namespace).productsAlias;

  const dataDir = resolveDataDir();
  const catalog = [...generateCatalog({ seed: 42, size, taxonomy: loadTaxonomy(dataDir), queries: loadQueries(dataDir) })];
  const occurredAt = new Date().toISOString();
  const upserts: CatalogEvent[] = catalog.map((product) => ({ schema: 'catalog.v1', type: 'product.upserted', productId: product.id, version: 1, occurredAt, product }));

  const port = await freePort();
  const indexer = runTs('services/indexer/src/server.ts', { SEARCH_MESH_NAMESPACE: namespace, SEARCH_MESH_INDEXER_PORT: String(port), SEARCH_MESH_INDEXER_LOG_LEVEL: 'warn' });
  const publisher = new CatalogPublisher(kafka, namespace);
  try {
    await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 60_000 });
    await publisher.connect();

    // Throughput: from the first event produced to the whole catalog searchable.
    const start = performance.now();
    await publisher.publish(upserts, 2000);
    const produced = performance.now();
    let count = 0;
    while (count < size) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      count = (await es.count({ index: alias })).count; // count sees refreshed segments only: "searchable"
    }
    const searchable = performance.now();
    const seconds = (searchable - start) / 1000;

    // Freshness: one price change at a time, polled by search until visible.
    const lags: number[] = [];
    for (let i = 0; i < updates; i++) {
      const id = productId(Math.floor(Math.random() * size));
      const price = Math.round((1 + Math.random() * 999) * 100) / 100;
      const t0 = performance.now();
      await publisher.publish([{ schema: 'catalog.v1', type: 'product.price_changed', productId: id, version: 2 + i, occurredAt: new Date().toISOString(), price }]);
      for (;;) {
        const res = await es.search({ index: alias, size: 0, query: { bool: { filter: [{ term: { id } }, { term: { price } }] } } });
        const hits = typeof res.hits.total === 'number' ? res.hits.total : res.hits.total!.value;
        if (hits > 0) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      lags.push(performance.now() - t0);
    }

    console.log(`catalog: ${size} products (data: ${dataDir ?? 'built-in'})`);
    console.log(`produce: ${((produced - start) / 1000).toFixed(1)} s (${Math.round(size / ((produced - start) / 1000))} events/s)`);
    console.log(`produced → searchable: ${seconds.toFixed(1)} s → ${Math.round(size / seconds)} docs/s (target ≥ 5000)`);
    const sortedLags = [...lags].sort((a, b) => a - b);
    console.log(
      `freshness of ${updates} single updates (produced → visible to search): median ${Math.round(quantile(sortedLags, 0.5))} ms, p99 ${Math.round(quantile(sortedLags, 0.99))} ms, max ${Math.round(Math.max(...lags))} ms (target p99 ≤ 2000)`,
    );
  } finally {
    await publisher.disconnect().catch(() => undefined);
    await indexer.stop('SIGTERM');
    await es.indices.delete({ index: `${indexNames(namespace).productsIndexPrefix}*`, ignore_unavailable: true, allow_no_indices: true });
    await es.indices.deleteIndexTemplate({ name: indexNames(namespace).productsTemplate }).catch(() => undefined);
    const admin = kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: Object.values(topicNames(namespace)).filter((t) => t.includes('catalog')) }).catch(() => undefined);
    await admin.disconnect();
    await es.close();
  }
}

void main();
