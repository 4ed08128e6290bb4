import { Prng } from '@search-mesh/catalog';
import { clickLabel, estimatePropensities, grade, type Impression, ndcgAt, simulateSession } from '../../src/domain/click-model';

describe('click model', () => {
  it('grades relevance 0–4', () => {
    expect([0, 0.1, 0.3, 0.5, 0.7, 1].map(grade)).toEqual([0, 0, 1, 3, 4, 4]);
  });

  it('shows the top results with a position bias, and more clicks for better grades', () => {
    const rng = new Prng('t');
    const grades = Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? 4 : 0));
    const clicks = new Array<number>(50).fill(0);
    const byPosition = new Array<number>(20).fill(0);
    for (let s = 0; s < 4000; s++) {
      for (const imp of simulateSession(grades, rng, { exploreShare: 0 })) {
        if (imp.clicked) {
          clicks[imp.candidate]!++;
          byPosition[imp.position]!++;
        }
      }
    }
    expect(clicks.slice(20).every((c) => c === 0)).toBe(true);
    expect(clicks[0]!).toBeGreaterThan(clicks[2]! * 1.5);
    expect(clicks[0]!).toBeGreaterThan(clicks[1]! * 5);
  });

  it('recovers the examination curve from exploration sessions', () => {
    const rng = new Prng('p');
    const grades = Array.from({ length: 100 }, (_, i) => i % 5);
    const impressions: Impression[] = [];
    for (let s = 0; s < 6000; s++) impressions.push(...simulateSession(grades, rng, { exploreShare: 1 }));
    const p = estimatePropensities(impressions, 10);
    expect(p[0]).toBe(1);
    for (const k of [1, 3, 9]) expect(p[k]!).toBeCloseTo(1 / (1 + k), 1);
  });

  it('labels by clicks per expected examination, and none when barely examined', () => {
    expect(clickLabel(0, 0.2)).toBeUndefined();
    expect(clickLabel(0, 10)).toBe(0);
    expect(clickLabel(8, 10)).toBe(4);
    expect(clickLabel(2, 10)).toBeGreaterThan(0);
  });

  it('computes NDCG@k', () => {
    expect(ndcgAt(10, [3, 2, 1, 0])).toBe(1);
    expect(ndcgAt(10, [0, 0])).toBeNaN();
    expect(ndcgAt(10, [0, 3])).toBeCloseTo(7 / Math.log2(3) / 7, 6);
  });
});
