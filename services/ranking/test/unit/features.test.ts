import { packValues, RANK_DOCUMENT_FEATURES, type RankCandidate } from '@search-mesh/contracts';
import { checkRequest, FEATURE_COUNT, FEATURE_NAMES, FeatureError, featureMatrix } from '../../src/domain/features';

const doc = { retrieval_rank: 0, price: 100, rating: 4.5, review_count: 10, popularity: 0.3, in_stock: 1, age_days: 30 };
const candidate = (id: string, score: number, extra: Record<string, number> = {}): RankCandidate => ({ id, retrievalScore: score, features: { ...doc, ...extra } });
const at = (m: Float32Array, row: number, name: string) => m[row * FEATURE_COUNT + FEATURE_NAMES.indexOf(name)]!;

describe('feature matrix', () => {
  it('lays out every candidate in the manifest order, with defaults for what is missing', () => {
    const m = featureMatrix({ query: 'samsung tv', candidates: [candidate('a', 10, { text_title: 3.5, price: 300 }), candidate('b', 5, { retrieval_rank: 1 })] }, () => undefined);
    expect(m).toHaveLength(2 * FEATURE_COUNT);
    expect(at(m, 0, 'text_title')).toBeCloseTo(3.5);
    expect(at(m, 1, 'text_title')).toBe(0);
    expect(at(m, 1, 'retrieval_rank')).toBe(1);
    expect(at(m, 0, 'retrieval_score_ratio')).toBe(1);
    expect(at(m, 1, 'retrieval_score_ratio')).toBe(0.5);
    expect(at(m, 0, 'query_words')).toBe(2);
    // Median price of 300 and 100 is 200.
    expect(at(m, 0, 'price_log_ratio')).toBeCloseTo(Math.log(301 / 201), 5);
    expect(at(m, 0, 'product_ctr')).toBeCloseTo(0.05);
    expect(at(m, 0, 'product_impressions_log')).toBe(0);
  });

  it('reads behaviour counts as smoothed rates', () => {
    const m = featureMatrix({ query: 'tv', candidates: [candidate('a', 1)] }, () => ({ product: { impressions: 980, clicks: 99, carts: 10 }, queryProduct: { impressions: 80, clicks: 40, carts: 0 } }));
    expect(at(m, 0, 'product_ctr')).toBeCloseTo((99 + 1) / 1000, 5);
    expect(at(m, 0, 'query_product_ctr')).toBeCloseTo((40 + 1) / 100, 5);
    expect(at(m, 0, 'product_cart_rate')).toBeCloseTo((10 + 0.2) / 1000, 5);
  });
});

describe('request checks', () => {
  const fieldOf = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      expect(err).toBeInstanceOf(FeatureError);
      return (err as FeatureError).field;
    }
    return undefined;
  };
  it('names the feature the model does not know (feature count mismatch)', () => {
    expect(fieldOf(() => checkRequest({ candidates: [candidate('a', 1), candidate('b', 1, { colour_match: 1 })] }))).toBe('body.candidates.1.features.colour_match');
  });
  it('refuses infinite and NaN values', () => {
    expect(fieldOf(() => checkRequest({ candidates: [candidate('a', 1, { price: Infinity })] }))).toBe('body.candidates.0.features.price');
    expect(fieldOf(() => checkRequest({ candidates: [candidate('a', Number.NaN)] }))).toBe('body.candidates.0.retrievalScore');
  });
  it('requires the document features', () => {
    const { price: _price, ...rest } = doc;
    expect(fieldOf(() => checkRequest({ candidates: [{ id: 'a', retrievalScore: 1, features: rest }] }))).toBe('body.candidates.0.features.price');
  });
  it('accepts a complete request', () => {
    expect(fieldOf(() => checkRequest({ candidates: [candidate('a', 1, { text_title: 2, exact_title_all: 1 })] }))).toBeUndefined();
  });
});

describe('the compact form (featureNames + values)', () => {
  const names = [...RANK_DOCUMENT_FEATURES, 'text_title'];
  const compact = (c: ReturnType<typeof candidate>) => ({ id: c.id, retrievalScore: c.retrievalScore, values: names.map((n) => c.features![n] ?? 0) });
  const fieldOf = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (err) {
      if (err instanceof FeatureError) return err.field;
      throw err;
    }
    return undefined;
  };

  it('gives the same matrix as named features', () => {
    const named = [candidate('a', 10, { text_title: 3.5, price: 300 }), candidate('b', 5, { retrieval_rank: 1 })];
    const byName = featureMatrix({ query: 'samsung tv', candidates: named }, () => undefined);
    const request = { query: 'samsung tv', featureNames: names, candidates: named.map(compact) };
    expect(featureMatrix(request, () => undefined, checkRequest(request))).toEqual(byName);
    expect(featureMatrix(request, () => undefined)).toEqual(byName);
  });

  it('names what is wrong: unknown or repeated names, a missing document feature, rows of the wrong length, both forms, NaN', () => {
    const row = compact(candidate('a', 1));
    expect(fieldOf(() => checkRequest({ featureNames: [...names, 'colour_match'], candidates: [] }))).toBe(`body.featureNames.${names.length}`);
    expect(fieldOf(() => checkRequest({ featureNames: [...names, 'price'], candidates: [] }))).toBe(`body.featureNames.${names.length}`);
    expect(fieldOf(() => checkRequest({ featureNames: names.filter((n) => n !== 'price'), candidates: [] }))).toBe('body.featureNames');
    expect(fieldOf(() => checkRequest({ featureNames: names, candidates: [row, { ...row, values: row.values.slice(1) }] }))).toBe('body.candidates.1.values');
    expect(fieldOf(() => checkRequest({ featureNames: names, candidates: [{ ...row, features: doc }] }))).toBe('body.candidates.0.features');
    expect(fieldOf(() => checkRequest({ candidates: [row] }))).toBe('body.candidates.0.values');
    const nan = { ...row, values: row.values.map((v, k) => (k === 2 ? Number.NaN : v)) };
    expect(fieldOf(() => checkRequest({ featureNames: names, candidates: [nan] }))).toBe('body.candidates.0.values.2');
    expect(fieldOf(() => checkRequest({ featureNames: names, candidates: [row] }))).toBeUndefined();
  });

  const packed = (cs: Array<ReturnType<typeof candidate>>) => ({
    featureNames: names,
    packedValues: packValues(Float32Array.from(cs.flatMap((c) => names.map((n) => c.features![n] ?? 0)))),
    candidates: cs.map((c) => ({ id: c.id, retrievalScore: c.retrievalScore })),
  });

  it('gives the same matrix from packed float32 values as from named features', () => {
    const named = [candidate('a', 10, { text_title: 3.5, price: 300 }), candidate('b', 5, { retrieval_rank: 1, price: 120.25 })];
    const byName = featureMatrix({ query: 'samsung tv', candidates: named }, () => undefined);
    const request = { query: 'samsung tv', ...packed(named) };
    expect(featureMatrix(request, () => undefined, checkRequest(request))).toEqual(byName);
    expect(featureMatrix(request, () => undefined)).toEqual(byName);
  });

  it('names what is wrong with packed values: no featureNames, the wrong length or alphabet, values per candidate too, NaN or Infinity', () => {
    const two = packed([candidate('a', 1), candidate('b', 2)]);
    expect(fieldOf(() => checkRequest(two))).toBeUndefined();
    expect(fieldOf(() => checkRequest({ ...two, featureNames: undefined }))).toBe('body.featureNames');
    expect(fieldOf(() => checkRequest({ ...two, candidates: two.candidates.slice(1) }))).toBe('body.packedValues');
    expect(fieldOf(() => checkRequest({ ...two, packedValues: `${two.packedValues.slice(0, -4)}!!!!` }))).toBe('body.packedValues');
    expect(fieldOf(() => checkRequest({ ...two, candidates: [two.candidates[0]!, { ...two.candidates[1]!, values: [1] }] }))).toBe('body.candidates.1');
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const values = Float32Array.from({ length: 2 * names.length }, (_, at) => (at === names.length + 2 ? bad : 1));
      expect(fieldOf(() => checkRequest({ ...two, packedValues: packValues(values) }))).toBe('body.packedValues');
    }
  });
});
