import type { KafkaMessage } from 'kafkajs';
import { type DeadLetter, indexNames, topicNames } from '@search-mesh/contracts';
import { fullReindex, ProductsIndex, type SearchDocument } from '@search-mesh/search-index';
import { loadConfig, type ServiceApp } from '@search-mesh/service-kit';
import { sampleProduct } from '../../../../libs/search-index/test/fixtures';
import { buildApp } from '../../src/app';
import { settings } from '../../src/config';
import type { CatalogPublisher } from '../../src/adapters/catalog-publisher';
import { backends, cleanUp, documentCount, events, products, publisher, testNamespace, waitFor } from './harness';

const namespace = testNamespace();
const { es, kafka } = backends(namespace);
const alias = indexNames(namespace).productsAlias;
let app: ServiceApp;
let pub: CatalogPublisher;

async function getDoc(id: string): Promise<{ version: number; doc: SearchDocument } | undefined> {
  const res = await es.get<SearchDocument>({ index: alias, id }, { ignore: [404] });
  return res.found ? { version: res._version!, doc: res._source! } : undefined;
}

beforeAll(async () => {
  const config = loadConfig('indexer', settings, {
    ...process.env,
    SEARCH_MESH_NAMESPACE: namespace,
    SEARCH_MESH_INDEXER_LOG_LEVEL: 'warn',
    SEARCH_MESH_INDEXER_BUILDING_ALIAS_TTL_MS: '200',
  });
  app = await buildApp(config);
  await app.ready();
  await waitFor('the indexer to be ready', async () => ((await app.inject({ url: '/readyz' })).statusCode === 200 ? true : undefined));
  pub = await publisher(kafka, namespace);
});

afterAll(async () => {
  await pub.disconnect();
  await app.close();
  await cleanUp(es, kafka, namespace);
});

it('indexes events into searchable documents with the expected fields', async () => {
  await pub.publish([events.upsert(sampleProduct({ id: 'tv1' }), 1), events.upsert(sampleProduct({ id: 'tv2', title: 'LG 55" OLED evo C3 4K Smart TV', brand: 'LG' }), 1)]);
  await waitFor('two documents', async () => ((await documentCount(es, namespace)) >= 2 ? true : undefined));
  const found = await es.search<SearchDocument>({ index: alias, query: { match: { title: 'oled' } } });
  expect(found.hits.hits.map((h) => h._id)).toEqual(['tv2']);
  const doc = (await getDoc('tv1'))!.doc;
  expect(doc).toMatchObject({
    brand: 'Samsung',
    category: { lvl1: 'TV & Home Theater > TVs' },
    num: { screen_size_in: 65, storage_gb: 1024 },
    attr: { display_type: 'QLED' },
    in_stock: true,
    version: 1,
  });
  // Faceting fields work: keyword attributes and numeric ranges.
  const facets = await es.search({
    index: alias,
    size: 0,
    aggs: { types: { terms: { field: 'attr.display_type' } }, big: { range: { field: 'num.screen_size_in', ranges: [{ from: 60 }] } } },
  });
  expect(JSON.stringify(facets.aggregations)).toContain('"key":"QLED"');
});

it('keeps the newest version under duplicates and reordering', async () => {
  const p = sampleProduct({ id: 'dup1' });
  await pub.publish([
    events.upsert({ ...p, price: 100 }, 1),
    events.upsert({ ...p, price: 300 }, 3),
    events.upsert({ ...p, price: 200 }, 2),
    events.upsert({ ...p, price: 300 }, 3),
    events.price('dup1', 5, 500),
    events.price('dup1', 4, 400),
    events.stock('dup1', 6, 0),
    events.upsert(sampleProduct({ id: 'gone' }), 1),
    events.delete('gone', 2),
    events.upsert(sampleProduct({ id: 'gone' }), 1),
  ]);
  // Stragglers in a later batch are stale too.
  await waitFor('version 6', async () => ((await getDoc('dup1'))?.version === 6 ? true : undefined));
  await pub.publish([events.upsert({ ...p, price: 999 }, 2), events.price('dup1', 5, 1)]);
  await pub.publish([events.upsert(sampleProduct({ id: 'marker' }), 1)]);
  await waitFor('the marker', async () => await getDoc('marker'));
  const final = (await getDoc('dup1'))!;
  expect(final.version).toBe(6);
  expect(final.doc).toMatchObject({ price: 500, stock: 0, in_stock: false, version: 6 });
  expect(await getDoc('gone')).toBeUndefined();
});

it('dead-letters malformed events with their reason and goes on indexing', async () => {
  await pub.publishRaw([
    { key: 'bad1', value: '{not json' },
    { key: 'bad2', value: JSON.stringify({ ...events.upsert(sampleProduct({ id: 'bad2' }), 1), product: { ...sampleProduct({ id: 'bad2' }), rating: 11 } }) },
    { key: 'other', value: JSON.stringify(events.upsert(sampleProduct({ id: 'bad3' }), 1)) },
    { key: 'ghost', value: JSON.stringify(events.price('ghost', 2, 10)) },
    { key: 'after', value: JSON.stringify(events.upsert(sampleProduct({ id: 'after' }), 1)) },
  ]);
  await waitFor('the event after the bad ones', async () => await getDoc('after'));

  const consumer = kafka.consumer({ groupId: `${namespace}.dlq-reader` });
  await consumer.connect();
  await consumer.subscribe({ topic: topicNames(namespace).catalogDeadLetter, fromBeginning: true });
  const letters: DeadLetter[] = [];
  await consumer.run({ eachMessage: async ({ message }: { message: KafkaMessage }) => void letters.push(JSON.parse(message.value!.toString())) });
  await waitFor('four dead letters', async () => (letters.length >= 4 ? true : undefined));
  await consumer.disconnect();

  const byKey = Object.fromEntries(letters.map((l) => [l.key, l]));
  expect(byKey.bad1!.reason).toMatch(/^not JSON/);
  expect(byKey.bad1!.value).toBe('{not json');
  expect(byKey.bad2!.reason).toMatch(/\/product\/rating/);
  expect(byKey.other!.reason).toMatch(/does not match productId/);
  expect(byKey.ghost!.reason).toBe('change to a product the index does not have');
  expect(await getDoc('bad2')).toBeUndefined();
});

it('reindexes into a new index while searches and writes go on, with no failed or partial search', async () => {
  const catalog = products(3000, 'r');
  await pub.publish(catalog.map((p) => events.upsert(p, 1)));
  const before = await documentCount(es, namespace);
  await waitFor('the catalog', async () => ((await documentCount(es, namespace)) >= before && (await getDoc('r0002999')) ? true : undefined));
  const total = await documentCount(es, namespace);

  const index = new ProductsIndex(es, namespace);
  const liveBefore = await index.liveIndex();
  let searching = true;
  let searches = 0;
  const failures: string[] = [];
  const searchLoop = (async () => {
    while (searching) {
      try {
        const res = await es.search({ index: alias, size: 0, track_total_hits: true, query: { match_all: {} } });
        const hits = typeof res.hits.total === 'number' ? res.hits.total : res.hits.total!.value;
        if (hits < total) failures.push(`saw ${hits} of ${total} documents`);
        searches++;
      } catch (err) {
        failures.push((err as Error).message);
      }
    }
  })();
  // Changes published during the reindex must reach the new index.
  const updates = (async () => {
    for (let i = 0; i < 20; i++) {
      await pub.publish([events.price(`r${String(i).padStart(7, '0')}`, 2, 1 + i)]);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const result = await fullReindex(es, index, { writerNoticeMs: 500 });
  await updates;
  searching = false;
  await searchLoop;

  expect(failures).toEqual([]);
  expect(searches).toBeGreaterThan(10);
  expect(result.from).toBe(liveBefore);
  expect(await index.liveIndex()).toBe(result.to);
  expect(result.documents).toBeGreaterThanOrEqual(total);
  await waitFor('every update in the new index', async () => {
    for (let i = 0; i < 20; i++) if ((await getDoc(`r${String(i).padStart(7, '0')}`))?.doc.price !== 1 + i) return undefined;
    return true;
  });
});
