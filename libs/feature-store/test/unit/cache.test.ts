import { TtlCache } from '../../src/domain/cache';

it('expires entries after their TTL and evicts the least recently used beyond the bound', () => {
  let now = 1000;
  const cache = new TtlCache<number>(2, 100, () => now);
  cache.set('a', 1);
  cache.set('b', 2);
  expect(cache.get('a')).toBe(1); // a is now the most recent
  cache.set('c', 3); // evicts b
  expect(cache.get('b')).toBeUndefined();
  expect(cache.get('a')).toBe(1);
  now += 100;
  expect(cache.get('a')).toBeUndefined();
  expect(cache.get('c')).toBeUndefined();
  expect(cache.size).toBe(0);
  expect(() => new TtlCache(0, 1)).toThrow();
});

it('keeps an entry staleMs past its TTL for lookup, marked stale, and drops it after', () => {
  let now = 1000;
  const cache = new TtlCache<number>(10, 100, () => now, 50);
  cache.set('a', 1);
  expect(cache.lookup('a')).toEqual({ value: 1, stale: false });
  now += 100;
  expect(cache.lookup('a')).toEqual({ value: 1, stale: true });
  expect(cache.get('a')).toBeUndefined();
  now += 49;
  expect(cache.lookup('a')).toEqual({ value: 1, stale: true });
  cache.set('a', 2);
  expect(cache.lookup('a')).toEqual({ value: 2, stale: false });
  now += 150;
  expect(cache.lookup('a')).toBeUndefined();
  expect(cache.size).toBe(0);
});

it('expire makes an entry stale at once (still served by lookup within staleMs) and leaves absent keys absent', () => {
  let now = 1000;
  const cache = new TtlCache<number>(10, 100_000, () => now, 50);
  cache.set('a', 1);
  expect(cache.expire('a')).toBe(true);
  expect(cache.lookup('a')).toEqual({ value: 1, stale: true });
  expect(cache.get('a')).toBeUndefined();
  now += 50;
  expect(cache.lookup('a')).toBeUndefined();
  expect(cache.expire('b')).toBe(false);
  expect(cache.lookup('b')).toBeUndefined();
});
