import { computeFeatures, DEFAULT_PRIORS, defaultFeatures, featuresFromRows, smoothedRate } from '../../src/domain/features';
import { applyEvent, emptyState, encodeBuckets, HOUR_MS, TREND_HALF_LIFE_MS } from '../../src/domain/state';

const NOW = Date.UTC(2026, 0, 10, 12, 30, 0);

describe('computeFeatures', () => {
  it('sums windows ending now over every source partition', () => {
    const p0 = emptyState();
    const p1 = emptyState();
    applyEvent(p0, 0, 0, [{ at: NOW - 10 * 60_000, kind: 0 }, { at: NOW - 10 * 60_000, kind: 1 }]); // 10 min ago
    applyEvent(p0, 1, 0, [{ at: NOW - 3 * HOUR_MS, kind: 0 }]); // 3 h ago
    applyEvent(p1, 0, 0, [{ at: NOW - 2 * 24 * HOUR_MS, kind: 3 }]); // 2 days ago
    applyEvent(p1, 1, 0, [{ at: NOW - 8 * 24 * HOUR_MS, kind: 0 }]); // older than 7 d: never counted
    const f = computeFeatures([p0, p1], NOW);
    expect(f.found).toBe(true);
    expect(f.windows['1h']).toMatchObject({ impressions: 1, clicks: 1, purchases: 0 });
    expect(f.windows['24h']).toMatchObject({ impressions: 2, clicks: 1, purchases: 0 });
    expect(f.windows['7d']).toMatchObject({ impressions: 2, clicks: 1, purchases: 1 });
  });

  it('excludes buckets that start after now', () => {
    const s = emptyState();
    applyEvent(s, 0, 0, [{ at: NOW + 2 * HOUR_MS, kind: 1 }]);
    const f = computeFeatures([s], NOW);
    expect(f.windows['7d'].clicks).toBe(0);
    expect(computeFeatures([s], NOW + 2 * HOUR_MS).windows['1h'].clicks).toBe(1);
  });

  it('smooths rates towards the prior and decays the trend to now', () => {
    expect(smoothedRate(0, 0, 0.05, 20)).toBeCloseTo(0.05);
    expect(smoothedRate(50, 100, 0.05, 20)).toBeCloseTo((50 + 1) / 120);
    const s = emptyState();
    applyEvent(s, 0, 0, [{ at: NOW - TREND_HALF_LIFE_MS, kind: 2 }]);
    expect(computeFeatures([s], NOW).trending).toBeCloseTo(1.5);
  });

  it('answers the prior means for nothing known', () => {
    const d = defaultFeatures();
    expect(d.found).toBe(false);
    expect(d.windows['24h'].ctr).toBeCloseTo(DEFAULT_PRIORS.ctr);
    expect(d.windows['7d'].conversion).toBeCloseTo(DEFAULT_PRIORS.conversion);
    expect(computeFeatures([], NOW)).toEqual(d);
  });
});

describe('featuresFromRows', () => {
  it('equals computeFeatures on the decoded states, for any mix of buckets, partitions and times', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let trial = 0; trial < 50; trial++) {
      const states = Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
        const s = emptyState();
        for (let i = 0; i < 60; i++) applyEvent(s, i, NOW, [{ at: NOW - Math.floor(rnd() * 9 * 24 * HOUR_MS) + HOUR_MS, kind: Math.floor(rnd() * 4) as 0 | 1 | 2 | 3 }]);
        return s;
      });
      const rows = states.map((s) => ({ fine: encodeBuckets(s.fine), hourly: encodeBuckets(s.hourly), trend: s.trend, trendAt: s.trendAt, lastEventAt: s.lastEventAt }));
      expect(featuresFromRows(rows, NOW)).toEqual(computeFeatures(states, NOW));
    }
    expect(featuresFromRows([], NOW)).toEqual(defaultFeatures());
  });

  it('reads blobs at any byte offset (the driver hands out slices of its frames)', () => {
    const s = emptyState();
    applyEvent(s, 0, NOW, [{ at: NOW - 1000, kind: 1 }]);
    applyEvent(s, 1, NOW, [{ at: NOW - 2 * HOUR_MS, kind: 0 }]);
    for (const shift of [0, 1, 2, 3]) {
      const shifted = (b: Buffer) => Buffer.concat([Buffer.alloc(shift + 8), b]).subarray(shift + 8);
      const row = { fine: shifted(encodeBuckets(s.fine)), hourly: shifted(encodeBuckets(s.hourly)), trend: s.trend, trendAt: s.trendAt, lastEventAt: s.lastEventAt };
      expect(featuresFromRows([row], NOW)).toEqual(computeFeatures([s], NOW));
    }
  });
});
