import { DEFAULT_SHARES, stageBudgetMs, validateShares } from '../../src/domain/budget';

describe('budget split', () => {
  const total = 150;

  it('caps optional stages at their share when time is plentiful', () => {
    expect(stageBudgetMs('understand', 150, total)).toBeCloseTo(30);
    expect(stageBudgetMs('enrich', 100, total)).toBeCloseTo(30);
  });

  it('gives retrieval what later stages are not owed', () => {
    // 140 left: enrichment is owed 30, the margin 15.
    expect(stageBudgetMs('retrieve', 140, total)).toBeCloseTo(95);
  });

  it('keeps retrieval at its share when earlier stages overran, at the cost of later ones', () => {
    // 80 left: leaving enrichment its share would give retrieval 35 < its 67.5 share; it gets 65 (all but the margin).
    expect(stageBudgetMs('retrieve', 80, total)).toBeCloseTo(65);
  });

  it('gives an optional stage nothing when the stages after it need the rest', () => {
    expect(stageBudgetMs('understand', 100, total)).toBeLessThanOrEqual(0);
    expect(stageBudgetMs('enrich', 10, total)).toBeLessThanOrEqual(0);
  });

  it('never hands out more than is left', () => {
    for (const remaining of [150, 120, 90, 60, 30, 5]) {
      for (const stage of ['understand', 'retrieve', 'enrich'] as const) expect(stageBudgetMs(stage, remaining, total)).toBeLessThan(remaining);
    }
  });

  it('validates shares', () => {
    expect(validateShares(DEFAULT_SHARES)).toEqual([]);
    expect(validateShares({ ...DEFAULT_SHARES, understand: 0.5 })).toEqual([expect.stringContaining('more than the whole budget')]);
    expect(validateShares({ ...DEFAULT_SHARES, retrieve: 0 })).toEqual([expect.stringContaining('retrieve')]);
  });
});
