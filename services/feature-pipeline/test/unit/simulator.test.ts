import type { BehaviourEvent } from '@search-mesh/contracts';
import { decodeBehaviourEvent } from '../../src/domain/decode';
import { type SimProduct, type SimQuery, TrafficSimulator } from '../../src/domain/simulator';

const products: SimProduct[] = Array.from({ length: 400 }, (_, i) => ({
  id: `p${i}`,
  categoryPath: i < 200 ? ['TV & Home Theater', 'TVs', 'x'] : ['Computers & Tablets', 'Laptops', 'y'],
  popularity: ((i * 37) % 100) / 100,
  price: 100 + i,
}));
const queries: SimQuery[] = [
  { query: 'tv', popularity: 900, categories: ['TV & Home Theater > TVs'] },
  { query: 'laptop', popularity: 90, categories: ['Computers & Tablets > Laptops'] },
  { query: 'nothing here', popularity: 10, categories: ['Nowhere > Else'] },
];

describe('TrafficSimulator', () => {
  const events = new TrafficSimulator({ products, queries, seed: 3 }).batch(30_000);

  it('is deterministic by seed and produces only valid events in time order', () => {
    expect(new TrafficSimulator({ products, queries, seed: 3 }).batch(500)).toEqual(events.slice(0, new TrafficSimulator({ products, queries, seed: 3 }).batch(500).length));
    for (const e of events.slice(0, 2000)) expect(decodeBehaviourEvent(e.sessionId, Buffer.from(JSON.stringify(e))).ok).toBe(true);
    for (let i = 1; i < events.length; i++) expect(events[i]!.occurredAt).toBeGreaterThan(events[i - 1]!.occurredAt);
  });

  it('has popularity skew, category-relevant results and position bias', () => {
    const byType = (t: BehaviourEvent['type']) => events.filter((e) => e.type === t);
    const impressions = byType('search.impression') as Extract<BehaviourEvent, { type: 'search.impression' }>[];
    const tv = impressions.filter((e) => e.query === 'tv').length;
    const laptop = impressions.filter((e) => e.query === 'laptop').length;
    expect(tv).toBeGreaterThan(3 * laptop);
    expect(impressions.filter((e) => e.query === 'tv').every((e) => e.products.every((p) => Number(p.productId.slice(1)) < 200))).toBe(true);
    const clicks = byType('product.clicked') as Extract<BehaviourEvent, { type: 'product.clicked' }>[];
    const at = (p: number) => clicks.filter((c) => c.position === p).length;
    expect(at(1)).toBeGreaterThan(2 * at(10));
    const carts = byType('cart.added').length;
    const purchases = byType('order.purchased').length;
    expect(clicks.length).toBeGreaterThan(carts);
    expect(carts).toBeGreaterThan(purchases);
    expect(purchases).toBeGreaterThan(0);
  });
});

describe('bursts', () => {
  const even: SimQuery[] = Array.from({ length: 10 }, (_, i) => ({ query: `q${i}`, popularity: 1, categories: ['TV & Home Theater > TVs'] }));
  const longestRun = (burstChance: number) => {
    const queries = new TrafficSimulator({ products, queries: even, seed: 5, burstChance })
      .batch(20_000)
      .filter((e) => e.type === 'query.submitted')
      .map((e) => (e.type === 'query.submitted' ? e.query : ''));
    let best = 0;
    for (let i = 0, run = 0; i < queries.length; i++) best = Math.max(best, (run = queries[i] === queries[i - 1] ? run + 1 : 1));
    return best;
  };

  it('sends one query many sessions in a row during a burst, and not otherwise', () => {
    expect(longestRun(0)).toBeLessThan(15);
    expect(longestRun(0.01)).toBeGreaterThanOrEqual(50);
  });
});
