import { type Dispatcher, Pool } from 'undici';

/** What a Peer sends its requests through: one undici Pool, or an EndpointPool over many. */
export interface RequestTarget {
  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData>;
  close(): Promise<void>;
}

/**
 * One keep-alive undici Pool per ready endpoint of a peer, and a choice between them per request: of two
 * endpoints picked at random, the one with fewer requests in flight ("power of two choices"), which
 * spreads load evenly without a shared counter and steers away from a slow pod.
 *
 * `update()` is synchronous: an origin missing from the new set is out of the choice before it returns,
 * so no request issued after the update reaches it; its pool then closes gracefully, letting requests
 * already in flight finish. (undici's BalancedPool would also keep one Pool per upstream; this small
 * balancer is used instead for the load-aware choice, a removal that is plain map bookkeeping of our own,
 * and the fallback below, where BalancedPool with no upstream throws.)
 *
 * With no ready endpoint known (discovery not synced yet, or none ready), requests go to the fallback
 * URL: the peer's Service, so kube-proxy answers as it would without client-side balancing.
 */
export class EndpointPool implements RequestTarget {
  private readonly pools = new Map<string, Pool>();
  private live: Pool[] = [];
  private fallbackPool: Pool | undefined;
  private closed = false;

  constructor(
    private readonly fallbackOrigin: string,
    private readonly poolOptions: Pool.Options,
  ) {}

  /** Origins currently taking requests. */
  get origins(): string[] {
    return [...this.pools.keys()];
  }

  get size(): number {
    return this.live.length;
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
    this.live = [...this.pools.values()];
  }

  request(options: Dispatcher.RequestOptions): Promise<Dispatcher.ResponseData> {
    return this.pick().request(options);
  }

  async close(): Promise<void> {
    this.closed = true;
    const pools = [...this.pools.values()];
    this.pools.clear();
    this.live = [];
    if (this.fallbackPool) pools.push(this.fallbackPool);
    await Promise.all(pools.map((pool) => pool.close()));
  }

  private pick(): Pool {
    const live = this.live;
    const n = live.length;
    if (n === 1) return live[0]!;
    if (n === 0) return (this.fallbackPool ??= new Pool(this.fallbackOrigin, this.poolOptions));
    const i = Math.floor(Math.random() * n);
    let j = Math.floor(Math.random() * (n - 1));
    if (j >= i) j++;
    const a = live[i]!;
    const b = live[j]!;
    return load(b) < load(a) ? b : a;
  }
}

function load(pool: Pool): number {
  const stats = pool.stats;
  return stats.running + stats.pending;
}
