import { randomUUID } from 'node:crypto';
import { Registry } from 'prom-client';
import { backendSettings, createCassandraClient } from '@search-mesh/backends';
import { loadConfig } from '@search-mesh/service-kit';
import { waitFor } from '@search-mesh/testing';
import { applyEvent, dropFeatureSchema, emptyState, encodeBuckets, encodeSummary, ensureFeatureSchema, FeatureStoreReader, HOUR_MS, type KeyState, summaryUpdate, tableOf } from '../../src';

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
/** Busy in every hour of a week that ended 20 hours ago: more hours than a summary lists. */
function busyUntil(end: number): KeyState {
  const s = emptyState();
  for (let h = 0; h < 7 * 24; h++) applyEvent(s, h, end, [{ at: end - h * HOUR_MS, kind: (h % 3 === 0 ? 1 : 0) as 0 | 1 }]);
  return s;
}
const values = (s: KeyState) => [s.offset, encodeBuckets(s.fine), encodeBuckets(s.hourly), s.trend, s.trendAt, s.lastEventAt];
const cols = 'src_partition, applied_offset, fine, hourly, trend, trend_at, last_event_at';

/** A product's row and summary for one source partition, written together as the aggregator does. */
async function writeProduct(id: string, partition: number, s: KeyState): Promise<void> {
  await cassandra.batch(
    [
      { query: `INSERT INTO ${tableOf(namespace, 'product')} (product_id, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, params: [id, partition, ...values(s)] },
      { query: summaryUpdate(namespace), params: [s.offset + 1, partition, encodeSummary(s), id] },
    ],
    { prepare: true, logged: false },
  );
}

beforeAll(async () => {
  await ensureFeatureSchema(cassandra, namespace);
  // p1 has rows from two source partitions; the query "tv" has p1 and p2.
  for (const [partition, s] of [[0, state(10, 2, 5)], [1, state(20, 1, 3)]] as const) await writeProduct('p1', partition, s);
  // busy: one partition's summary is current, the other's ran out of listed hours.
  await writeProduct('busy', 0, busyUntil(now - 20 * HOUR_MS));
  await writeProduct('busy', 1, busyUntil(now - 5 * 60_000));
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
  const single = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, now: clock, keysPerRead: 1 });
  const grouped = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, keysPerRead: 2, now: clock });
  const ids = ['p1', 'nope', 'p1x', 'p1'];
  expect(await grouped.productFeatures(ids, { cache: false })).toEqual(await single.productFeatures(ids, { cache: false }));
  expect((await grouped.productFeatures(['p1'], { cache: false })).get('p1')!.windows['1h'].clicks).toBe(3);
});

it('reads summaries, falls back to the rows where a summary cannot answer, and equals reading the rows', async () => {
  const clock = () => now;
  const registry = new Registry();
  const summaries = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, now: clock, registry });
  const rows = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, now: clock, summaries: false });
  const ids = ['busy', 'p1', 'nope'];
  const read = await summaries.productFeatures(ids, { cache: false });
  expect(read).toEqual(await rows.productFeatures(ids, { cache: false }));
  expect(read.get('busy')!.windows['7d'].impressions).toBeGreaterThan(200);
  expect(await registry.metrics()).toMatch(/feature_store_summary_fallbacks_total 1\b/);
  for (const keysPerRead of [2, 50]) {
    const grouped = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, now: clock, keysPerRead });
    expect(await grouped.productFeatures(ids, { cache: false })).toEqual(read);
  }
});

it('reads a query and its products in one partition', async () => {
  const reader = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000 });
  const f = await reader.queryProductFeatures('tv', ['p2', 'p1', 'p3']);
  expect(f.get('p1')!.windows['7d']).toMatchObject({ impressions: 4, clicks: 1 });
  expect(f.get('p2')!.windows['7d']).toMatchObject({ impressions: 6, clicks: 0 });
  expect(f.get('p3')!.found).toBe(false);
});

it('serves features past their TTL at once while re-reading them in the background (serveStaleMs), then reads what expired beyond it', async () => {
  let clock = now;
  const registry = new Registry();
  const reader = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, now: () => clock, registry, cacheTtlMs: 100, serveStaleMs: 1000 });
  await writeProduct('swr', 0, state(5, 1, 4));
  await cassandra.execute(`INSERT INTO ${tableOf(namespace, 'queryProduct')} (query, product_id, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ['swr query', 'swr', 0, ...values(state(5, 1, 4))], {
    prepare: true,
  });
  const impressions = async () => [(await reader.productFeatures(['swr'])).get('swr')!.windows['7d'].impressions, (await reader.queryProductFeatures('swr query', ['swr'])).get('swr')!.windows['7d'].impressions];
  expect(await impressions()).toEqual([4, 4]);
  // Events land after the read; past the TTL the old features answer at once, and the re-read brings the new ones.
  await writeProduct('swr', 0, state(20, 3, 9));
  await cassandra.execute(`INSERT INTO ${tableOf(namespace, 'queryProduct')} (query, product_id, ${cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, ['swr query', 'swr', 0, ...values(state(20, 3, 9))], {
    prepare: true,
  });
  clock += 150;
  expect(await impressions()).toEqual([4, 4]);
  const text = await registry.metrics();
  expect(text).toMatch(/feature_store_keys_total\{kind="product",result="stale"\} 1/);
  expect(text).toMatch(/feature_store_keys_total\{kind="queryProduct",result="stale"\} 1/);
  const until = Date.now() + 5000;
  let seen = await impressions();
  while (seen.some((n) => n !== 9) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 20));
    seen = await impressions();
  }
  expect(seen).toEqual([9, 9]);
  // Beyond TTL + serveStaleMs nothing is served from memory: the call reads (a miss), and sees the latest write.
  await writeProduct('swr', 0, state(40, 2, 12));
  clock += 2000;
  expect((await reader.productFeatures(['swr'])).get('swr')!.windows['7d'].impressions).toBe(12);
});

it('re-reads exactly the keys announced as changed, long before their TTL, and does not cache a read that began before the announcement', async () => {
  const registry = new Registry();
  const reader = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, registry, cacheTtlMs: 600_000, serveStaleMs: 600_000 });
  await writeProduct('announced', 0, state(5, 1, 4));
  const impressions = async () => (await reader.productFeatures(['announced'])).get('announced')!.windows['7d'].impressions;
  expect(await impressions()).toBe(4);
  await writeProduct('announced', 0, state(20, 3, 9));
  expect(await impressions()).toBe(4); // cached: the TTL is ten minutes
  reader.markChanged(['announced'], [{ query: 'never read', productId: 'announced' }]);
  expect(await impressions()).toBe(4); // stale: served once more while it is re-read
  await waitFor('the re-read', async () => ((await impressions()) === 9 ? true : undefined), 5000, 20);
  const text = await registry.metrics();
  expect(text).toMatch(/feature_store_changes_total\{kind="product",cached="true"\} 1/);
  expect(text).toMatch(/feature_store_changes_total\{kind="queryProduct",cached="false"\} 1/);

  // A read in flight when the announcement arrives may hold the state from before it: it answers, uncached.
  const racing = new FeatureStoreReader(cassandra, { namespace, deadlineMs: 2000, registry: new Registry(), cacheTtlMs: 600_000, now: () => now });
  const inFlight = racing.productFeatures(['announced']);
  racing.markChanged(['announced'], []);
  expect((await inFlight).get('announced')!.windows['7d'].impressions).toBe(9);
  expect(await racing.metrics.keys.get()).toMatchObject({ values: expect.arrayContaining([expect.objectContaining({ labels: { kind: 'product', result: 'miss' }, value: 1 })]) });
  await racing.productFeatures(['announced']);
  expect((await racing.metrics.keys.get()).values.find((v) => v.labels.result === 'miss')!.value).toBe(2);
});
