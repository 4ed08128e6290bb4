/**
 * A deterministic traffic simulator: shoppers in sessions submit real queries (chosen by their real
 * popularity, with bursts in which one query suddenly gets many sessions), see products from the query's
 * categories ranked roughly by popularity, click with a position bias, and some add to cart and buy.
 * Pure: the same seed and inputs give the same events; time advances by simulated gaps from `startAt`.
 */
import type { BehaviourEvent } from '@search-mesh/contracts';
import { Prng } from '@search-mesh/catalog';

export interface SimProduct {
  id: string;
  /** Category names from the root, e.g. ["TV & Home Theater", "TVs", ...]. */
  categoryPath: readonly string[];
  /** In [0, 1]. */
  popularity: number;
  price: number;
}

export interface SimQuery {
  query: string;
  popularity: number;
  /** Level-1 category paths ("A > B") where its hits live, most likely first. */
  categories: readonly string[];
}

export interface SimulatorOptions {
  products: readonly SimProduct[];
  queries: readonly SimQuery[];
  seed?: number | string;
  /** Simulated time of the first event, epoch ms. */
  startAt?: number;
  /** Mean gap between sessions' events, ms of simulated time. */
  meanGapMs?: number;
  resultsPerPage?: number;
  /** Chance that a session starts a burst of sessions for one query. */
  burstChance?: number;
  /** Click probability at position p is `clickBase × attractiveness / p^positionDecay`. */
  clickBase?: number;
  positionDecay?: number;
  cartRate?: number;
  purchaseRate?: number;
  modelVersion?: string;
}

/** Index of the first cumulative weight above `x`. */
function pick(cumulative: readonly number[], x: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cumulative[mid]! > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function cumulate(weights: readonly number[]): number[] {
  let sum = 0;
  return weights.map((w) => (sum += Math.max(w, 1e-9)));
}

export class TrafficSimulator {
  private readonly rng: Prng;
  private readonly queryCumulative: number[];
  private readonly byCategory = new Map<string, SimProduct[]>();
  private readonly popular: SimProduct[];
  private now: number;
  private sessionCount = 0;
  private eventCount = 0;
  private burst: { query: SimQuery; left: number } | null = null;
  private readonly o: Required<Omit<SimulatorOptions, 'products' | 'queries' | 'seed' | 'startAt'>>;

  constructor(private readonly options: SimulatorOptions) {
    if (options.products.length === 0 || options.queries.length === 0) throw new Error('the simulator needs products and queries');
    this.rng = new Prng(options.seed ?? 1);
    this.now = options.startAt ?? Date.UTC(2026, 0, 1);
    this.o = {
      meanGapMs: options.meanGapMs ?? 50,
      resultsPerPage: options.resultsPerPage ?? 24,
      burstChance: options.burstChance ?? 0.002,
      clickBase: options.clickBase ?? 0.35,
      positionDecay: options.positionDecay ?? 0.8,
      cartRate: options.cartRate ?? 0.25,
      purchaseRate: options.purchaseRate ?? 0.4,
      modelVersion: options.modelVersion ?? 'sim-v1',
    };
    this.queryCumulative = cumulate(options.queries.map((q) => q.popularity));
    for (const p of options.products) {
      const key = p.categoryPath.slice(0, 2).join(' > ');
      let list = this.byCategory.get(key);
      if (!list) this.byCategory.set(key, (list = []));
      list.push(p);
    }
    for (const list of this.byCategory.values()) list.sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id));
    this.popular = [...options.products].sort((a, b) => b.popularity - a.popularity || a.id.localeCompare(b.id)).slice(0, 500);
  }

  /** The simulated clock, epoch ms. */
  get clock(): number {
    return this.now;
  }

  /** One session's events, in order. */
  session(): BehaviourEvent[] {
    const sessionId = `s${++this.sessionCount}`;
    const out: BehaviourEvent[] = [];
    const searches = 1 + Math.floor(-Math.log(1 - this.rng.next()) * 0.8);
    for (let s = 0; s < searches; s++) out.push(...this.search(sessionId, this.chooseQuery()));
    return out;
  }

  /** `count` events or more (whole sessions), in time order. */
  batch(count: number): BehaviourEvent[] {
    const out: BehaviourEvent[] = [];
    while (out.length < count) out.push(...this.session());
    return out;
  }

  private tick(): number {
    this.now += Math.max(1, Math.round(-Math.log(1 - this.rng.next()) * this.o.meanGapMs));
    return this.now;
  }

  private id(prefix: string): string {
    return `${prefix}${++this.eventCount}`;
  }

  private chooseQuery(): SimQuery {
    if (this.burst && this.burst.left > 0) {
      this.burst.left--;
      return this.burst.query;
    }
    const query = this.options.queries[pick(this.queryCumulative, this.rng.next() * this.queryCumulative.at(-1)!)]!;
    if (this.rng.chance(this.o.burstChance)) this.burst = { query, left: this.rng.int(50, 300) };
    return query;
  }

  private candidates(query: SimQuery): SimProduct[] {
    for (const c of query.categories) {
      const list = this.byCategory.get(c);
      if (list && list.length > 0) return list;
    }
    return this.popular;
  }

  private search(sessionId: string, query: SimQuery): BehaviourEvent[] {
    const requestId = this.id('r');
    const out: BehaviourEvent[] = [];
    const base = { schema: 'behaviour.v1' as const, sessionId };
    out.push({ ...base, type: 'query.submitted', eventId: this.id('e'), occurredAt: this.tick(), requestId, query: query.query });
    // Results: the category's products, mostly in popularity order with some shuffling from the ranker.
    const pool = this.candidates(query).slice(0, this.o.resultsPerPage * 4);
    const shown = pool
      .map((p) => ({ p, score: p.popularity + this.rng.next() * 0.3 }))
      .sort((a, b) => b.score - a.score)
      .slice(0, this.o.resultsPerPage)
      .map((x) => x.p);
    out.push({
      ...base,
      type: 'search.impression',
      eventId: this.id('e'),
      occurredAt: this.tick(),
      requestId,
      query: query.query,
      modelVersion: this.o.modelVersion,
      products: shown.map((p, i) => ({ productId: p.id, position: i + 1 })),
    });
    shown.forEach((p, i) => {
      const position = i + 1;
      const attractiveness = 0.3 + 0.7 * p.popularity;
      if (!this.rng.chance((this.o.clickBase * attractiveness) / Math.pow(position, this.o.positionDecay))) return;
      const action = { productId: p.id, query: query.query, requestId, position };
      out.push({ ...base, type: 'product.clicked', eventId: this.id('e'), occurredAt: this.tick(), ...action });
      if (!this.rng.chance(this.o.cartRate)) return;
      out.push({ ...base, type: 'cart.added', eventId: this.id('e'), occurredAt: this.tick(), ...action, quantity: 1 });
      if (!this.rng.chance(this.o.purchaseRate)) return;
      out.push({ ...base, type: 'order.purchased', eventId: this.id('e'), occurredAt: this.tick(), ...action, quantity: 1, price: p.price });
    });
    return out;
  }
}
