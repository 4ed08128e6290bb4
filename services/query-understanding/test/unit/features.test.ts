import { DEFAULT_FEATURE_SPEC, featurise } from '../../src/domain/features';

describe('featurise (hash-ngrams.v1)', () => {
  it('is a pure function of the tokens: the same buckets in training and serving', () => {
    const a = featurise(['french', 'door', 'refrigerators']);
    expect(featurise(['french', 'door', 'refrigerators'])).toEqual(a);
    expect(a.ids).toEqual([...a.ids].sort((x, y) => x - y));
    expect(new Set(a.ids).size).toBe(a.ids.length);
    expect(a.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 10);
    expect(Math.max(...a.ids)).toBeLessThan(DEFAULT_FEATURE_SPEC.buckets);
  });

  it('computes the documented features: "tv" has w:tv and <tv>, <tv, tv> (3-grams), <tv> (4-gram)', () => {
    // 1 word + 0 bigrams + char n-grams of "<tv>": two 3-grams, one 4-gram = 4 features of weight 1/4.
    const tv = featurise(['tv']);
    expect(tv.ids).toHaveLength(4);
    expect(tv.weights).toEqual([0.25, 0.25, 0.25, 0.25]);
    // Pinned bucket ids: if these change, every trained model is invalid (bump FEATURE_SPEC and retrain).
    expect(tv.ids).toEqual([13433, 23281, 26057, 27341]);
  });

  it('stems words (plural and singular share a word feature) and has no features for no tokens', () => {
    const plural = new Set(featurise(['laptops']).ids);
    const singular = featurise(['laptop']).ids;
    expect(singular.filter((id) => plural.has(id)).length).toBeGreaterThanOrEqual(4);
    expect(featurise([])).toEqual({ ids: [], weights: [] });
  });
});
