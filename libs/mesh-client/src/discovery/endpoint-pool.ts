import { type Dispatcher, Pool } from 'undici';
import { type EjectionOptions, OutlierDetector, choose, connectionFailure } from './outlier';

/** What a Peer sends its requests through: one undici Pool, or an EndpointPool over many. */
export interface RequestTarget {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

/** An endpoint's pool, under the origin it was added as (the key the outlier detector knows it by). */
interface Upstream {
  origin: string;
  pool: Pool;
}

export interface EndpointPoolOptions {
  /** Ejection backoff of an endpoint whose connection failed. */
  ejection?: EjectionOptions;
  /** Told each time an endpoint is ejected (metrics, logs). */
  onEject?: (origin: string) => void;
  /** The clock (tests). */
  now?: () => number;
}

/**
 * One keep-alive undici Pool per endpoint of a peer (the ready pods of a discovered Service, or the URLs
 * a static peer lists), and a choice between them per request: of two endpoints picked at random, the one
 * with fewer requests in flight ("power of two choices"), which spreads load evenly without a shared
 * counter and steers away from a slow pod.
 *
 * Passive outlier ejection (`OutlierDetector`): an endpoint whose connection is refused, reset or times
 * out is left out of the choice for a growing backoff, so a killed replica stops getting traffic at its
 * first failure instead of failing a share of requests until discovery notices (a static list never does).
 * A request that could not CONNECT was never sent, so it is sent once more to another endpoint here,
 * whatever its method, within the same abort signal (the caller's deadline); one that failed after it may
 * have been sent is not resent here (only the Peer retries that, and only an idempotent call).
 *
 * `update()` is synchronous: an origin missing from the new set is out of the choice before it returns,
 * so no request issued after the update reaches it; its pool then closes gracefully, letting requests
 * already in flight finish. (undici's BalancedPool would also keep one Pool per upstream; this small
 * balancer is used instead for the load-aware choice, the ejection, a removal that is plain map bookkeeping
 * of our own, and the fallback below, where BalancedPool with no upstream throws.)
 *
 * With no endpoint known (discovery not synced yet, or none ready), requests go to the fallback URL: the
 * peer's Service, so kube-proxy answers as it would without client-side balancing.
 */
export class EndpointPool implements RequestTarget {
  private readonly pools = new Map<string, Pool>();
  private live: Upstream[] = [];
  private fallbackPool: Pool | undefined;
  private closed = false;
  private readonly outliers: OutlierDetector;
  private readonly now: () => number;

  constructor(
    private readonly fallbackOrigin: string,
    private readonly poolOptions: Pool.Options,
    private readonly options: EndpointPoolOptions = {},
  ) {
    this.outliers = new OutlierDetector(options.ejection);
    this.now = options.now ?? Date.now;
  }

  /** Origins currently taking requests. */
  get origins(): string[] {
    return [...this.pools.keys()];
  }

  get size(): number {
    return this.live.length;
  }

  /** Endpoints ejected now (out of the choice until their backoff ends). */
  get ejected(): string[] {
    const now = this.now();
    return this.live.filter((u) => this.outliers.isEjected(u.origin, now)).map((u) => u.origin);
  }

  /** Makes `origins` the set of endpoints: adds pools for new ones, drops (and drains) the others. */
  update(origins: readonly string[]): void {
    if (this.closed) return;
    const wanted = new Set(origins);
    for (const [origin, pool] of this.pools) {
      if (wanted.has(origin)) continue;
      this.pools.delete(origin);
      void pool.close().catch(() => pool.destroy());
    }
    for (const origin of wanted) {
      if (!this.pools.has(origin)) this.pools.set(origin, new Pool(origin, this.poolOptions));
    }
    this.live = [...this.pools].map(([origin, pool]) => ({ origin, pool }));
    this.outliers.retain(wanted);
  }

  async request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    const first = this.pick();
    if (first === undefined) return (this.fallbackPool ??= new Pool(this.fallbackOrigin, this.poolOptions)).request(options);
    try {
      return await this.send(first, options);
    } catch (err) {
      if (connectionFailure(err) !== 'connect' || (options.signal as AbortSignal | undefined)?.aborted === true) throw err;
      const second = this.pick(first);
      if (second === undefined) throw err;
      return this.send(second, options);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.live = [];
    if (this.fallbackPool) pools.push(this.fallbackPool);
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private async send(upstream: Upstream, options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    try {
      const response = await upstream.pool.request(options);
      this.outliers.succeeded(upstream.origin);
      return response;
    } catch (err) {
      if (connectionFailure(err) !== undefined) {
        const now = this.now();
        if (!this.outliers.isEjected(upstream.origin, now)) {
          this.outliers.eject(upstream.origin, now);
          this.options.onEject?.(upstream.origin);
        }
      }
      throw err;
    }
  }

  /** The balancing choice (`choose`) over the endpoints, but `not` (the one that just refused a connection). */
  private pick(not?: Upstream): Upstream | undefined {
    const all = not === undefined ? this.live : this.live.filter((u) => u !== not);
    if (all.length <= 1) return all[0];
    const now = this.now();
    return choose(all, (u) => !this.outliers.isEjected(u.origin, now), (u) => load(u.pool));
  }
}

function load(pool: Pool): number {
  const stats = pool.stats;
  return stats.running + stats.pending;
}
