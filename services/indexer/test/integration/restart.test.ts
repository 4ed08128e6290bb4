import { freePort, runTs, waitForHttp } from '@search-mesh/testing';
import { indexNames } from '@search-mesh/contracts';
import type { SearchDocument } from '@search-mesh/search-index';
import { backends, cleanUp, documentCount, events, products, publisher, testNamespace, waitFor } from './harness';

const namespace = testNamespace();
const { es, kafka } = backends(namespace);

afterAll(async () => {
  await cleanUp(es, kafka, namespace);
});

async function startIndexer() {
  const port = await freePort();
  const proc = runTs('services/indexer/src/server.ts', {
    SEARCH_MESH_NAMESPACE: namespace,
    SEARCH_MESH_INDEXER_PORT: String(port),
    SEARCH_MESH_INDEXER_LOG_LEVEL: 'warn',
    // Small chunks, so a kill lands between "written to Elasticsearch" and "offset committed".
    SEARCH_MESH_INDEXER_BATCH_MAX_EVENTS: '200',
  });
  await waitForHttp(`http://127.0.0.1:${port}/readyz`, { timeoutMs: 60_000 });
  return proc;
}

it('loses no acknowledged event when the indexer is killed mid-batch and restarted', async () => {
  let indexer = await startIndexer();
  const pub = await publisher(kafka, namespace);
  const catalog = products(20_000, 'k');
  const acknowledged = await pub.publish(catalog.map((p) => events.upsert(p, 1)), 2000);
  // A second wave of changes, so the restart also has to apply newer versions over older ones.
  await pub.publish(catalog.slice(0, 5000).map((p, i) => events.price(p.id, 2, 7 + (i % 100))), 2000);
  await pub.disconnect();
  expect(acknowledged).toBe(20_000);

  // Kill it hard while it is busy: some documents in, not all.
  const partial = await waitFor('indexing to be under way', async () => {
    const n = await documentCount(es, namespace).catch(() => 0);
    return n > 1000 ? n : undefined;
  }, 60_000);
  expect(await indexer.stop('SIGKILL')).toBe('SIGKILL');
  expect(partial).toBeLessThan(20_000);

  indexer = await startIndexer();
  try {
    await waitFor('all 20,000 documents', async () => ((await documentCount(es, namespace)) === 20_000 ? true : undefined), 120_000);
    await waitFor('every price change', async () => {
      const res = await es.count({ index: indexNames(namespace).productsAlias, query: { term: { version: 2 } } });
      return res.count === 5000 ? true : undefined;
    }, 60_000);
    const sample = await es.get<SearchDocument>({ index: indexNames(namespace).productsAlias, id: 'k0000042' });
    expect(sample._source).toMatchObject({ price: 7 + 42, version: 2 });
  } finally {
    expect(await indexer.stop('SIGTERM')).toBe(0);
  }
});
