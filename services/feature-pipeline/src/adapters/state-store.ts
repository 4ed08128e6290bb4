import type { Client } from 'cassandra-driver';
import { encodeBuckets, encodeSummary, emptyState, groupByReplica, type KeyState, rowToState, STATE_COLUMNS, summaryUpdate, tableOf } from '@search-mesh/feature-store';
import { keyspaceNames } from '@search-mesh/contracts';
import type { FeatureKey } from '../domain/aggregate';

/** Cassandra refuses batches over 50 KiB by default; stay well below. */
const BATCH_MAX_BYTES = 30_000;
/** Products per grouped read or write (keys sharing a replica). */
const PRODUCTS_PER_REQUEST = 50;

/** Runs `fn` over `items` with at most `limit` in flight; rejects on the first failure. */
async function forEachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Loads and writes the aggregator's per (key, source partition) states. A write replaces the whole row with
 * absolute values and uses the applied offset as the write timestamp, so writing the same state twice is a
 * no-op and an older state (a zombie consumer after a rebalance, a retry overtaken by a newer write) never
 * overwrites a newer one: Cassandra keeps the cell with the highest timestamp. A query's products are one
 * partition, so they are read with one query and written with single-partition unlogged batches.
 */
export class StateStore {
  private readonly selectProducts: string;
  private readonly keyspace: string;
  private readonly selectQuery: string;
  private readonly insertProduct: string;
  private readonly insertQuery: string;
  private readonly updateSummary: string;

  constructor(
    private readonly client: Client,
    namespace: string,
    private readonly concurrency = 128,
  ) {
    const product = tableOf(namespace, 'product');
    const query = tableOf(namespace, 'queryProduct');
    this.selectProducts = `SELECT product_id, ${STATE_COLUMNS} FROM ${product} WHERE product_id IN ? AND src_partition = ?`;
    this.keyspace = keyspaceNames(namespace).features;
    this.selectQuery = `SELECT product_id, ${STATE_COLUMNS} FROM ${query} WHERE query = ? AND src_partition = ? AND product_id IN ?`;
    this.insertProduct = `INSERT INTO ${product} (product_id, ${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`;
    this.updateSummary = summaryUpdate(namespace);
    this.insertQuery = `INSERT INTO ${query} (query, product_id, ${STATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) USING TIMESTAMP ?`;
  }

  /** The stored states of `keys` for one source partition (empty states where none is stored). */
  async load(partition: number, keys: ReadonlyMap<string, FeatureKey>): Promise<Map<string, KeyState>> {
    const out = new Map<string, KeyState>();
    const products: [string, FeatureKey][] = [];
    const queries = new Map<string, Map<string, string>>(); // query → product id → state id
    for (const entry of keys) {
      const [id, k] = entry;
      out.set(id, emptyState());
      if (k.kind === 'product') products.push(entry);
      else {
        let m = queries.get(k.key[0]!);
        if (!m) queries.set(k.key[0]!, (m = new Map()));
        m.set(k.key[1]!, id);
      }
    }
    await Promise.all([
      // Products sharing a replica in one IN read routed to it.
      forEachLimited(groupByReplica(this.client, this.keyspace, products, ([, k]) => k.key[0]!, PRODUCTS_PER_REQUEST), this.concurrency, async (group) => {
        const idOf = new Map(group.map(([id, k]) => [k.key[0]!, id]));
        const rs = await this.client.execute(this.selectProducts, [[...idOf.keys()], partition], {
          prepare: true,
          fetchSize: 100_000,
          routingKey: Buffer.from(group[0]![1].key[0]!, 'utf8'),
        });
        for (const row of rs.rows) {
          const id = idOf.get(String(row.get('product_id')));
          if (id !== undefined) out.set(id, rowToState(row).state);
        }
      }),
      // Only the products not in memory, not the query's whole slice (hundreds of rows for a popular query).
      forEachLimited([...queries], this.concurrency, async ([query, ids]) => {
        const rs = await this.client.execute(this.selectQuery, [query, partition, [...ids.keys()]], { prepare: true, fetchSize: 100_000 });
        for (const row of rs.rows) {
          const id = ids.get(String(row.get('product_id')));
          if (id !== undefined) out.set(id, rowToState(row).state);
        }
      }),
    ]);
    return out;
  }

  /** Writes each state in full (idempotent). */
  async write(partition: number, entries: readonly { key: FeatureKey; state: KeyState }[]): Promise<void> {
    const values = (s: KeyState) => {
      const fine = encodeBuckets(s.fine);
      const hourly = encodeBuckets(s.hourly);
      return { params: [partition, s.offset, fine, hourly, s.trend, s.trendAt, s.lastEventAt, s.offset + 1], bytes: fine.length + hourly.length + 120 };
    };
    const products = entries.filter((e) => e.key.kind === 'product');
    const batches: { query: string; params: unknown[] }[][] = [];
    const byQuery = new Map<string, { query: string; params: unknown[]; bytes: number }[]>();
    for (const { key, state } of entries) {
      if (key.kind !== 'queryProduct') continue;
      const v = values(state);
      const list = byQuery.get(key.key[0]!);
      const statement = { query: this.insertQuery, params: [key.key[0], key.key[1], ...v.params], bytes: v.bytes + key.key[0]!.length };
      if (list) list.push(statement);
      else byQuery.set(key.key[0]!, [statement]);
    }
    for (const statements of byQuery.values()) {
      let batch: { query: string; params: unknown[] }[] = [];
      let bytes = 0;
      for (const s of statements) {
        if (batch.length > 0 && bytes + s.bytes > BATCH_MAX_BYTES) {
          batches.push(batch);
          batch = [];
          bytes = 0;
        }
        batch.push({ query: s.query, params: s.params });
        bytes += s.bytes;
      }
      batches.push(batch);
    }
    await Promise.all([
      // Products sharing a replica in one unlogged batch routed to it (one request instead of fifty); each
      // product's row and its summary element side by side (one partition key: one mutation, applied whole).
      forEachLimited(groupByReplica(this.client, this.keyspace, products, (e) => e.key.key[0]!, PRODUCTS_PER_REQUEST), this.concurrency, async (group) => {
        let batch: { query: string; params: unknown[] }[] = [];
        let bytes = 0;
        const send = async () => {
          if (batch.length > 0) await this.client.batch(batch, { prepare: true, logged: false, routingKey: Buffer.from(String(batch[0]!.params[0]), 'utf8') });
          batch = [];
          bytes = 0;
        };
        for (const e of group) {
          const v = values(e.state);
          const summary = encodeSummary(e.state);
          if (batch.length > 0 && bytes + v.bytes + summary.length > BATCH_MAX_BYTES) await send();
          batch.push({ query: this.insertProduct, params: [e.key.key[0], ...v.params] });
          batch.push({ query: this.updateSummary, params: [e.state.offset + 1, partition, summary, e.key.key[0]] });
          bytes += v.bytes + summary.length;
        }
        await send();
      }),
      forEachLimited(batches, this.concurrency, async (batch) => {
        if (batch.length === 1) await this.client.execute(batch[0]!.query, batch[0]!.params, { prepare: true });
        else await this.client.batch(batch, { prepare: true, logged: false });
      }),
    ]);
  }
}
