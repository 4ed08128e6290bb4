import { applyEvent, decodeBuckets, emptyState, encodeBuckets, FINE_BUCKET_MS, FINE_BUCKETS_KEPT, HOUR_MS, HOURLY_BUCKETS_KEPT, type KeyState, TREND_HALF_LIFE_MS } from '../../src/domain/state';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);

function totals(s: KeyState) {
  const t = [0, 0, 0, 0];
  for (const c of s.hourly.values()) c.forEach((v, i) => (t[i]! += v));
  return t;
}

describe('applyEvent', () => {
  it('counts an event once: the same or an older offset changes nothing', () => {
    const s = emptyState();
    expect(applyEvent(s, 5, T0, [{ at: T0, kind: 1 }])).toBe(true);
    const before = JSON.stringify([...s.hourly], null, 0) + s.trend;
    expect(applyEvent(s, 5, T0, [{ at: T0, kind: 1 }])).toBe(false);
    expect(applyEvent(s, 3, T0, [{ at: T0, kind: 1 }])).toBe(false);
    expect(JSON.stringify([...s.hourly], null, 0) + s.trend).toBe(before);
    expect(applyEvent(s, 6, T0 + 1, [{ at: T0 + 1, kind: 0 }, { at: T0 + 1, kind: 0 }])).toBe(true);
    expect(totals(s)).toEqual([2, 1, 0, 0]);
    expect(s.offset).toBe(6);
    expect(s.lastEventAt).toBe(T0 + 1);
  });

  it('buckets by event time into 5-minute and hourly buckets', () => {
    const s = emptyState();
    applyEvent(s, 0, T0, [{ at: T0 + 1000, kind: 0 }]);
    applyEvent(s, 1, T0, [{ at: T0 + FINE_BUCKET_MS, kind: 0 }]);
    applyEvent(s, 2, T0, [{ at: T0 + HOUR_MS, kind: 3 }]);
    expect(s.fine.size).toBe(3);
    expect(s.hourly.get(Math.floor(T0 / HOUR_MS))).toEqual([2, 0, 0, 0]);
    expect(s.hourly.get(Math.floor(T0 / HOUR_MS) + 1)).toEqual([0, 0, 0, 1]);
  });

  it('drops buckets older than 7 days relative to the newest event, and ignores events that old', () => {
    const s = emptyState();
    applyEvent(s, 0, T0, [{ at: T0, kind: 1 }]);
    applyEvent(s, 1, T0, [{ at: T0 + 8 * 24 * HOUR_MS, kind: 1 }]);
    expect([...s.hourly.keys()]).toEqual([Math.floor((T0 + 8 * 24 * HOUR_MS) / HOUR_MS)]);
    applyEvent(s, 2, T0, [{ at: T0, kind: 1 }]);
    expect(s.hourly.size).toBe(1);
    expect(s.hourly.size).toBeLessThanOrEqual(HOURLY_BUCKETS_KEPT);
    expect(s.offset).toBe(2);
  });

  it('keeps its newest buckets equal to the maps\' newest keys, and every bucket within the kept range', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const s = emptyState();
    for (let i = 0; i < 2000; i++) {
      applyEvent(s, i, T0, [{ at: T0 + Math.floor((rnd() - 0.3) * 10 * 24 * HOUR_MS), kind: 0 }, { at: T0 + Math.floor(rnd() * 2 * HOUR_MS), kind: 1 }]);
      const newest = (m: Map<number, unknown>) => Math.max(...m.keys());
      expect(s.newestHour).toBe(newest(s.hourly));
      expect(s.newestFine).toBe(newest(s.fine));
      expect(Math.min(...s.hourly.keys())).toBeGreaterThan(s.newestHour - HOURLY_BUCKETS_KEPT);
      expect(Math.min(...s.fine.keys())).toBeGreaterThan(s.newestFine - FINE_BUCKETS_KEPT);
    }
  });

  it('decays the trending score with its half-life, whatever the order events arrive in', () => {
    const a = emptyState();
    applyEvent(a, 0, 0, [{ at: T0, kind: 1 }]);
    applyEvent(a, 1, 0, [{ at: T0 + TREND_HALF_LIFE_MS, kind: 3 }]);
    const b = emptyState();
    applyEvent(b, 0, 0, [{ at: T0 + TREND_HALF_LIFE_MS, kind: 3 }]);
    applyEvent(b, 1, 0, [{ at: T0, kind: 1 }]);
    expect(a.trend).toBeCloseTo(0.5 + 5, 10);
    expect(b.trend).toBeCloseTo(a.trend, 10);
    expect(b.trendAt).toBe(a.trendAt);
  });
});

describe('bucket blobs', () => {
  it('round-trip, and refuse a truncated blob', () => {
    const m = new Map([[493_000, [1, 2, 3, 4] as [number, number, number, number]], [493_001, [0, 0, 0, 9] as [number, number, number, number]]]);
    const buf = encodeBuckets(m);
    expect(buf.length).toBe(40);
    expect(decodeBuckets(buf)).toEqual(m);
    expect(decodeBuckets(null).size).toBe(0);
    expect(() => decodeBuckets(buf.subarray(0, 30))).toThrow(/multiple of 20/);
  });
});
