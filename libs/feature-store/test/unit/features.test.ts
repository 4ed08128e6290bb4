import { computeFeatures, DEFAULT_PRIORS, defaultFeatures, featuresFromRows, smoothedRate } from '../../src/domain/features';
import { applyEvent, emptyState, encodeBuckets, HOUR_MS, TREND_HALF_LIFE_MS } from '../../src/domain/state';
import { encodeSummary, featuresFromSummaries, SUMMARY_LISTED_HOURS } from '../../src/domain/summary';

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

describe('featuresFromSummaries', () => {
  const randomStates = (rnd: () => number, spreadHours: number, perState: number) =>
    Array.from({ length: 1 + Math.floor(rnd() * 4) }, () => {
      const s = emptyState();
      for (let i = 0; i < perState; i++) applyEvent(s, i, NOW, [{ at: NOW - Math.floor(rnd() * spreadHours * HOUR_MS) + HOUR_MS, kind: Math.floor(rnd() * 4) as 0 | 1 | 2 | 3 }]);
      return s;
    });

  it('equals computeFeatures whenever it answers, and answers for sparse keys at any later time', () => {
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    let answered = 0;
    for (let trial = 0; trial < 200; trial++) {
      // Sparse (few buckets: every one listed) and dense (a bucket in most hours of the week) keys.
      const states = randomStates(rnd, 9 * 24, trial % 2 === 0 ? 8 : 600);
      const summaries = states.map(encodeSummary);
      for (const now of [NOW - 2 * HOUR_MS, NOW, NOW + 7 * 60_000, NOW + 3 * HOUR_MS, NOW + 11 * HOUR_MS, NOW + 30 * HOUR_MS, NOW + 6 * 24 * HOUR_MS, NOW + 9 * 24 * HOUR_MS]) {
        const f = featuresFromSummaries(summaries, now, DEFAULT_PRIORS);
        if (f === undefined) continue;
        answered++;
        expect(f).toEqual(computeFeatures(states, now));
      }
    }
    expect(answered).toBeGreaterThan(800);
  });

  it('answers for a busy key until its first unlisted hour would leave a window, then defers to the rows', () => {
    const s = emptyState();
    for (let h = 0; h < 7 * 24; h++) applyEvent(s, h, NOW, [{ at: NOW - h * HOUR_MS, kind: 0 }]);
    const summary = encodeSummary(s);
    for (let h = 0; h < SUMMARY_LISTED_HOURS; h++) expect(featuresFromSummaries([summary], NOW + h * HOUR_MS, DEFAULT_PRIORS)).toEqual(computeFeatures([s], NOW + h * HOUR_MS));
    expect(featuresFromSummaries([summary], NOW + (SUMMARY_LISTED_HOURS + 1) * HOUR_MS, DEFAULT_PRIORS)).toBeUndefined();
    // Events from the future (after now): only the rows can say which buckets have begun.
    expect(featuresFromSummaries([summary], NOW - HOUR_MS, DEFAULT_PRIORS)).toBeUndefined();
    expect(featuresFromSummaries([], NOW, DEFAULT_PRIORS)).toEqual(defaultFeatures());
  });

  it('is a fraction of the bucket blobs of a busy key', () => {
    const s = emptyState();
    for (let h = 0; h < 7 * 24; h++) for (let k = 0; k < 4; k++) applyEvent(s, h * 4 + k, NOW, [{ at: NOW - h * HOUR_MS - k * 15 * 60_000, kind: (k % 2) as 0 | 1 }]);
    const blobs = encodeBuckets(s.fine).length + encodeBuckets(s.hourly).length;
    expect(encodeSummary(s).length).toBeLessThan(blobs / 10);
  });
});
