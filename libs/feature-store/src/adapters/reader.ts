import type { Client } from 'cassandra-driver';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { keyspaceNames } from '@search-mesh/contracts';
import { TtlCache } from '../domain/cache';
import { DEFAULT_PRIORS, defaultFeatures, type Features, featuresFromRows, type Priors, type StoredRow } from '../domain/features';
import { groupByReplica } from './replicas';
import { featuresFromSummaries } from '../domain/summary';
import { READ_COLUMNS, rowToStored, summaryParts, tableOf } from './schema';

export interface ReaderOptions {
  namespace: string;
  /** How long a key's features are served from memory. */
  cacheTtlMs?: number;
  /**
   * How long past `cacheTtlMs` a key's features are still served from memory while they are re-read in the
   * background (stale-while-revalidate: a caller waits on Cassandra only for keys it has never read).
   * Default 0: an expired key is read before the call answers.
   */
  serveStaleMs?: number;
  cacheMaxEntries?: number;
  /** Cassandra reads in flight at once per call. */
  concurrency?: number;
  /**
   * Products per read: n > 1 (default 25) groups products owned by the same replicas into `product_id IN (…)`
   * reads of up to n keys, routed to one of them (fewer requests, every read still local to its replica);
   * 1 reads each product's partition alone.
   */
  keysPerRead?: number;
  /**
   * Products are read from their one summary row (default), falling back to the per-partition rows for the
   * few a summary cannot answer; false reads the rows only (as before the summaries; benchmarks compare).
   */
  summaries?: boolean;
  /** Default time a call may take; keys not read by then get defaults. */
  deadlineMs?: number;
  priors?: Priors;
  registry?: Registry;
  now?: () => number;
}

/** Cache keys: a product's, and a (normalised query, product) pair's. */
const productKey = (key: readonly string[]) => `product\u0000${key.join('\u0000')}`;
const queryProductKey = (normalisedQuery: string, id: string) => `queryProduct\u0000${normalisedQuery}\u0000${id}`;

/** A background re-read waits on nobody: it gets longer than a caller's deadline to finish. */
const REVALIDATE_DEADLINE_MS = 1000;
/** How long a change announcement keeps older reads from caching its key: longer than any read may take. */
const CHANGE_HORIZON_MS = 60_000;

export type DefaultReason = 'missing' | 'error' | 'deadline';

export class FeatureStoreMetrics {
  readonly keys: Counter<'kind' | 'result'>;
  readonly defaults: Counter<'kind' | 'reason'>;
  readonly duration: Histogram<'kind' | 'source'>;
  readonly freshness: Gauge;
  readonly summaryFallbacks: Counter;
  readonly changes: Counter<'kind' | 'cached'>;

  constructor(registry: Registry) {
    this.keys = new Counter({
      name: 'feature_store_keys_total',
      help: 'Keys asked for, by cache result (hit, stale: served and re-read in the background, miss)',
      labelNames: ['kind', 'result'],
      registers: [registry],
    });
    this.defaults = new Counter({
      name: 'feature_store_defaults_total',
      help: 'Keys answered with default features, by reason (missing, error, deadline)',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    });
    this.duration = new Histogram({
      name: 'feature_store_read_duration_seconds',
      help: 'Time of one multi-key read, by source (cache: every key cached; cassandra: at least one read)',
      labelNames: ['kind', 'source'],
      buckets: [0.0001, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 1],
      registers: [registry],
    });
    this.freshness = new Gauge({
      name: 'feature_store_freshness_seconds',
      help: 'Age of the newest event counted in the features last read from Cassandra (now minus its Kafka timestamp)',
      registers: [registry],
    });
    this.changes = new Counter({
      name: 'feature_store_changes_total',
      help: 'Keys the feature pipeline announced as changed, by whether the cache held them (marked stale: served once more while re-read)',
      labelNames: ['kind', 'cached'],
      registers: [registry],
    });
    this.summaryFallbacks = new Counter({
      name: 'feature_store_summary_fallbacks_total',
      help: 'Products whose summary could not answer for now (busy for longer than it lists, or events from the future), read from their rows',
      registers: [registry],
    });
  }
}

/**
 * The read path of the online feature store. A product is one small summary row (its rows only where the
 * summary cannot answer), read with prepared statements grouped by replica set and routed by key (so the
 * driver's default token-aware policy sends each to a replica that owns it), at most `concurrency` in flight
 * per call, an in-process TTL cache, and defaults for keys that are missing, failed, or not read before the
 * deadline: a call never throws because of Cassandra and never takes much longer than its deadline.
 */
export class FeatureStoreReader {
  readonly metrics: FeatureStoreMetrics;
  private readonly cache: TtlCache<Features>;
  private readonly queryProductSelect: string;
  /** Product reads: of the summary row or the per-partition rows, one key or `IN` a group. */
  private readonly selects: Record<'summary' | 'rows', { one: string; in: string }>;
  private readonly keyspace: string;
  private readonly now: () => number;
  private readonly priors: Priors;
  private readonly defaults: Features;
  /** Keys (and query partitions) being re-read in the background: one re-read each at a time. */
  private readonly revalidating = new Set<string>();
  /**
   * When each key was last announced as changed (oldest first): a read that began before is not cached for
   * it, since it may have read the state from before the change.
   */
  private readonly changedAt = new Map<string, number>();

  constructor(
    private readonly client: Client,
    private readonly opts: ReaderOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.priors = opts.priors ?? DEFAULT_PRIORS;
    this.defaults = defaultFeatures(this.priors);
    this.cache = new TtlCache(opts.cacheMaxEntries ?? 200_000, opts.cacheTtlMs ?? 5000, this.now, opts.serveStaleMs ?? 0);
    this.metrics = new FeatureStoreMetrics(opts.registry ?? new Registry());
    this.keyspace = keyspaceNames(opts.namespace).features;
    const select = (columns: string, table: string) => ({
      one: `SELECT product_id, ${columns} FROM ${table} WHERE product_id = ?`,
      in: `SELECT product_id, ${columns} FROM ${table} WHERE product_id IN ?`,
    });
    this.selects = { summary: select('parts', tableOf(opts.namespace, 'productSummary')), rows: select(READ_COLUMNS, tableOf(opts.namespace, 'product')) };
    this.queryProductSelect = `SELECT product_id, ${READ_COLUMNS} FROM ${tableOf(opts.namespace, 'queryProduct')} WHERE query = ?`;
  }

  /** Features of each product id (defaults where unknown). */
  productFeatures(productIds: readonly string[], options: { deadlineMs?: number; cache?: boolean } = {}): Promise<Map<string, Features>> {
    return this.read('product', productIds.map((id) => [id]), productIds, options);
  }

  /**
   * Features of each (normalised query, product id) pair: the query's rows are one partition, read once
   * (cached per pair like the products).
   */
  async queryProductFeatures(
    normalisedQuery: string,
    productIds: readonly string[],
    options: { deadlineMs?: number; cache?: boolean } = {},
  ): Promise<Map<string, Features>> {
    const started = process.hrtime.bigint();
    const useCache = options.cache ?? true;
    const kind = 'queryProduct';
    const out = new Map<string, Features>();
    const todo: string[] = [];
    let stale = 0;
    for (const id of productIds) {
      const cached = useCache ? this.cache.lookup(queryProductKey(normalisedQuery, id)) : undefined;
      if (cached) {
        out.set(id, cached.value);
        if (cached.stale) stale++;
      } else todo.push(id);
    }
    this.metrics.keys.inc({ kind, result: 'hit' }, productIds.length - todo.length - stale);
    const deadlineMs = options.deadlineMs ?? this.opts.deadlineMs ?? 50;
    if (todo.length > 0) {
      this.metrics.keys.inc({ kind, result: 'miss' }, todo.length);
      if (stale > 0) this.metrics.keys.inc({ kind, result: 'stale' }, stale);
      // The query's partition is one read: the stale keys are refreshed by the read the misses need anyway.
      const refreshed = await this.readQueryPartition(normalisedQuery, useCache ? productIds : todo, deadlineMs, useCache);
      for (const id of todo) out.set(id, refreshed.get(id)!);
    } else if (stale > 0) {
      this.metrics.keys.inc({ kind, result: 'stale' }, stale);
      const partition = queryProductKey(normalisedQuery, ''); // the whole partition: no product id
      if (!this.revalidating.has(partition)) this.revalidate([partition], () => this.readQueryPartition(normalisedQuery, productIds, REVALIDATE_DEADLINE_MS, true));
    }
    this.metrics.duration.observe({ kind, source: todo.length > 0 ? 'cassandra' : 'cache' }, Number(process.hrtime.bigint() - started) / 1e9);
    return out;
  }

  /** Reads one query's (query, product) rows: features (defaults where absent or unread) of each id, cached when read. */
  private async readQueryPartition(normalisedQuery: string, ids: readonly string[], deadlineMs: number, useCache: boolean): Promise<Map<string, Features>> {
    const kind = 'queryProduct';
    const readAt = this.now();
    const out = new Map<string, Features>();
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'deadline'>((resolve) => (timer = setTimeout(() => resolve('deadline'), deadlineMs)));
    const read = this.client
      .execute(this.queryProductSelect, [normalisedQuery], { prepare: true, readTimeout: deadlineMs, isIdempotent: true, fetchSize: 100_000 })
      .then((rs) => rs.rows, () => 'error' as const);
    const rows = await Promise.race([read, expired]);
    clearTimeout(timer);
    if (typeof rows === 'string') {
      this.metrics.defaults.inc({ kind, reason: rows }, ids.length);
      for (const id of ids) out.set(id, this.defaults);
      return out;
    }
    const byProduct = new Map<string, StoredRow[]>();
    for (const row of rows) {
      const id = String(row.get('product_id'));
      const list = byProduct.get(id);
      if (list) list.push(rowToStored(row));
      else byProduct.set(id, [rowToStored(row)]);
    }
    const now = this.now();
    let newest = 0;
    for (const id of ids) {
      const states = byProduct.get(id);
      const features = states ? featuresFromRows(states, now, this.priors) : this.defaults;
      if (!states) this.metrics.defaults.inc({ kind, reason: 'missing' });
      newest = Math.max(newest, features.lastEventAt);
      out.set(id, features);
      if (useCache) this.store(queryProductKey(normalisedQuery, id), features, readAt);
    }
    if (newest > 0) this.metrics.freshness.set(Math.max(0, (now - newest) / 1000));
    return out;
  }

  /** Runs a background re-read of keys no other re-read holds; its failure leaves the stale values. */
  private revalidate(keys: readonly string[], read: () => Promise<unknown>): void {
    for (const key of keys) this.revalidating.add(key);
    void read()
      .catch(() => undefined)
      .finally(() => {
        for (const key of keys) this.revalidating.delete(key);
      });
  }

  clearCache(): void {
    this.cache.clear();
  }

  /**
   * The feature pipeline changed these keys in Cassandra (`FeatureChangesEvent`): each cached one becomes
   * stale, so its next lookup serves it once more and re-reads it (stale-while-revalidate), and reads begun
   * before now do not cache it. With the announcements, the TTL only bounds how stale a lost one leaves a key.
   */
  markChanged(products: readonly string[], queryProducts: ReadonlyArray<{ query: string; productId: string }>): void {
    const now = this.now();
    const mark = (kind: 'product' | 'queryProduct', key: string) => {
      this.changedAt.delete(key);
      this.changedAt.set(key, now);
      this.metrics.changes.inc({ kind, cached: String(this.cache.expire(key)) });
    };
    for (const id of products) mark('product', productKey([id]));
    for (const { query, productId } of queryProducts) mark('queryProduct', queryProductKey(query, productId));
    // A read outlives neither its deadline nor REVALIDATE_DEADLINE_MS: older announcements can no longer matter.
    for (const [key, at] of this.changedAt) {
      if (at > now - CHANGE_HORIZON_MS) break;
      this.changedAt.delete(key);
    }
  }

  /** Caches a key's features read by a read that began at `readAt`, unless the key changed since. */
  private store(key: string, features: Features, readAt: number): void {
    const changed = this.changedAt.get(key);
    if (changed === undefined || changed < readAt) this.cache.set(key, features);
  }

  private async read(
    kind: 'product',
    keys: readonly string[][],
    ids: readonly string[],
    options: { deadlineMs?: number; cache?: boolean },
  ): Promise<Map<string, Features>> {
    const started = process.hrtime.bigint();
    const useCache = options.cache ?? true;
    const out = new Map<string, Features>();
    const todo: number[] = [];
    const stale: number[] = [];
    for (let i = 0; i < keys.length; i++) {
      const cached = useCache ? this.cache.lookup(productKey(keys[i]!)) : undefined;
      if (cached) {
        out.set(ids[i]!, cached.value);
        if (cached.stale) stale.push(i);
      } else todo.push(i);
    }
    this.metrics.keys.inc({ kind, result: 'hit' }, keys.length - todo.length - stale.length);
    const deadlineMs = options.deadlineMs ?? this.opts.deadlineMs ?? 50;
    if (stale.length > 0) {
      this.metrics.keys.inc({ kind, result: 'stale' }, stale.length);
      // Served as they are; re-read in the background into the cache (a throwaway map gets the answer).
      const due = stale.filter((i) => !this.revalidating.has(productKey(keys[i]!)));
      if (due.length > 0) this.revalidate(due.map((i) => productKey(keys[i]!)), () => this.fetch(kind, keys, ids, due, new Map(), REVALIDATE_DEADLINE_MS, true));
    }
    if (todo.length > 0) {
      this.metrics.keys.inc({ kind, result: 'miss' }, todo.length);
      await this.fetch(kind, keys, ids, todo, out, deadlineMs, useCache);
    }
    this.metrics.duration.observe({ kind, source: todo.length > 0 ? 'cassandra' : 'cache' }, Number(process.hrtime.bigint() - started) / 1e9);
    return out;
  }

  private async fetch(
    kind: 'product',
    keys: readonly string[][],
    ids: readonly string[],
    todo: readonly number[],
    out: Map<string, Features>,
    deadlineMs: number,
    useCache: boolean,
  ): Promise<void> {
    const readAt = this.now();
    let expired = false;
    let newest = 0;
    const settle = (i: number, features: Features | undefined) => {
      if (!features) this.metrics.defaults.inc({ kind, reason: 'missing' });
      const f = features ?? this.defaults;
      newest = Math.max(newest, f.lastEventAt);
      out.set(ids[i]!, f);
      if (useCache) this.store(productKey(keys[i]!), f, readAt);
    };
    /** Reads `items` from one source with at most `concurrency` requests in flight; `stale` gets what the summaries cannot answer. */
    const pass = async (items: readonly number[], source: 'summary' | 'rows', stale: number[]) => {
      const groups = groupByReplica(this.client, this.keyspace, items, (i) => ids[i]!, this.opts.keysPerRead ?? 25);
      let next = 0;
      const worker = async () => {
        while (!expired && next < groups.length) {
          const group = groups[next++]!;
          const groupIds = group.map((i) => ids[i]!);
          try {
            const rs = await this.client.execute(this.selects[source][group.length === 1 ? 'one' : 'in'], [group.length === 1 ? groupIds[0] : groupIds], {
              prepare: true,
              readTimeout: deadlineMs,
              isIdempotent: true,
              fetchSize: 100_000,
              // Every key of the group has the same replicas: route the read to one of them.
              routingKey: Buffer.from(groupIds[0]!, 'utf8'),
            });
            if (expired) return;
            const now = this.now();
            if (source === 'summary') {
              const byId = new Map<string, Buffer[]>();
              for (const row of rs.rows) byId.set(row.get('product_id') as string, summaryParts(row.get('parts')));
              for (const i of group) {
                const parts = byId.get(ids[i]!);
                if (!parts || parts.length === 0) settle(i, undefined);
                else {
                  const features = featuresFromSummaries(parts, now, this.priors);
                  if (features) settle(i, features);
                  else stale.push(i);
                }
              }
            } else {
              const byId = new Map<string, StoredRow[]>();
              for (const row of rs.rows) {
                const id = row.get('product_id') as string;
                const list = byId.get(id);
                if (list) list.push(rowToStored(row));
                else byId.set(id, [rowToStored(row)]);
              }
              for (const i of group) {
                const rows = byId.get(ids[i]!);
                settle(i, rows ? featuresFromRows(rows, now, this.priors) : undefined);
              }
            }
          } catch {
            if (expired) return;
            for (const i of group) {
              this.metrics.defaults.inc({ kind, reason: 'error' });
              out.set(ids[i]!, this.defaults);
            }
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(this.opts.concurrency ?? 64, groups.length) }, worker));
    };
    const work = async () => {
      if (!(this.opts.summaries ?? true)) return pass(todo, 'rows', []);
      const stale: number[] = [];
      await pass(todo, 'summary', stale);
      if (stale.length > 0 && !expired) {
        this.metrics.summaryFallbacks.inc(stale.length);
        await pass(stale, 'rows', []);
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        expired = true;
        resolve();
      }, deadlineMs);
    });
    await Promise.race([work(), deadline]);
    clearTimeout(timer);
    expired = true;
    for (const i of todo) {
      if (!out.has(ids[i]!)) {
        this.metrics.defaults.inc({ kind, reason: 'deadline' });
        out.set(ids[i]!, this.defaults);
      }
    }
    if (newest > 0) this.metrics.freshness.set(Math.max(0, (this.now() - newest) / 1000));
  }
}
