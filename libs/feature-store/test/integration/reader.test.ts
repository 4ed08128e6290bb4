import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { backendSettings, createCassandraClient } from '@search-mesh/backends';
import { loadConfig } from '@search-mesh/service-kit';
import { applyEvent, dropFeatureSchema, emptyState, encodeBuckets, ensureFeatureSchema, FeatureStoreReader, type KeyState, tableOf } from '../../src';

const namespace = `it_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
const config = loadConfig('test', backendSettings, { ...process.env, SEARCH_MESH_NAMESPACE: namespace });
const cassandra = createCassandraClient(config);
const now = Date.now();

function state(offset: number, clicks: number, impressions: number): KeyState {
  const s = emptyState();
  for (let i = 0; i < impressions; i++) applyEvent(s, offset - impressions - clicks + i, now - 2000, [{ at: now - 60_000, kind: 0 }]);
  for (let i = 0; i < clicks; i++) applyEvent(s, offset - clicks + i + 1, now - 1000, [{ at: now - 30_000, kind: 1 }]);
  return s;
}
const values = (s: KeyState) => [s.offset, encodeBuckets(s.fine), encodeBuckets(s.hourly), s.trend, s.trendAt, s.lastEventAt];

beforeAll(async () => {
  await ensureFeatureSchema(cassandra, namespace);
  const cols = 'src_partition, applied_offset, fine, hourly, trend, trend_at, last_event_at';
  // p1 has rows from two source partitions; the query "tv" has p1 and p2.
  for (const [partition, s] of [[0, state(10, 2, 5)], [1, state(20, 1, 3)]] as const) {
    await cassandra.execute(`INSERT INTO ${tableOf(namespace, 'product')} (product_id, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ['p1', partition, ...values(s)], { prepare: true });
  }
  for (const [id, s] of [['p1', state(10, 1, 4)], ['p2', state(11, 0, 6)]] as const) {
    await cassandra.execute(`INSERT INTO ${tableOf(namespace, 'queryProduct')} (query, product_id, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ['tv', id, 0, ...values(s)], { prepare: true });
  }
});

afterAll(async () => {
  await dropFeatureSchema(cassandra, namespace);
  await cassandra.shutdown();
});

it('reads products across source partitions, defaults the missing, caches, and reports metrics', async () => {
  const registry = new Registry();
  const reader = new FeatureStoreReader(cassandra, { namespace, registry, deadlineMs: 2000 });
  const first = await reader.productFeatures(['p1', 'nope']);
  expect(first.get('p1')!.windows['1h']).toMatchObject({ impressions: 8, clicks: 3 });
  expect(first.get('p1')!.windows['24h'].ctr).toBeCloseTo((3 + 1) / (8 + 20));
  expect(first.get('nope')).toMatchObject({ found: false, trending: 0 });
  await reader.productFeatures(['p1', 'nope']);
  const text = await registry.metrics();
  expect(text).toMatch(/feature_store_keys_total\{kind="product",result="hit"\} 2/);
  expect(text).toMatch(/feature_store_keys_total\{kind="product",result="miss"\} 2/);
  expect(text).toMatch(/feature_store_defaults_total\{kind="product",reason="missing"\} 1/);
  const freshness = Number(/^feature_store_freshness_seconds (\S+)$/m.exec(text)![1]);
  expect(freshness).toBeGreaterThan(0.9);
  expect(freshness).toBeLessThan(60);
});

it('gives the same answers reading products grouped per replica with IN', async () => {
  const clock = () => now; // trending decays with time: the same instant for both
  const single = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, now: clock });
  const grouped = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, keysPerRead: 2, now: clock });
  const ids = ['p1', 'nope', 'p1x', 'p1'];
  expect(await grouped.productFeatures(ids, { cache: false })).toEqual(await single.productFeatures(ids, { cache: false }));
  expect((await grouped.productFeatures(['p1'], { cache: false })).get('p1')!.windows['1h'].clicks).toBe(3);
});

it('reads a query and its products in one partition', async () => {
  const reader = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000 });
  const f = await reader.queryProductFeatures('tv', ['p2', 'p1', 'p3']);
  expect(f.get('p1')!.windows['7d']).toMatchObject({ impressions: 4, clicks: 1 });
  expect(f.get('p2')!.windows['7d']).toMatchObject({ impressions: 6, clicks: 0 });
  expect(f.get('p3')!.found).toBe(false);
});
