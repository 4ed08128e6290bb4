import type { PlanTerm, QueryPlan } from '@search-mesh/contracts';
import { plainWords, rawQueryPlan } from '../../src/domain/fallback-plan';
import { relaxations, termsAsTyped, termsWithSuggestedCorrections } from '../../src/domain/recovery';

const word = (text: string, role: PlanTerm['role'] = 'word'): PlanTerm => ({ text, alternatives: [], role });

describe('raw-query fallback plan', () => {
  it('keeps only plain words: no query syntax survives', () => {
    expect(plainWords('Samsung 65" QLED (TV) AND title:foo* OR bar~2 -baz "x" {y} [z] \\ / ^ !')).toEqual([
      'samsung', '65', 'qled', 'tv', 'and', 'title', 'foo', 'or', 'bar', '2', 'baz', 'x', 'y', 'z',
    ]);
    expect(plainWords('Café 2.5 mm jack.')).toEqual(['cafe', '2.5', 'mm', 'jack']);
  });

  it('caps words and their length', () => {
    expect(plainWords(Array.from({ length: 50 }, (_, i) => `w${i}`).join(' '))).toHaveLength(32);
    expect(plainWords(`${'a'.repeat(49)} ok`)).toEqual(['ok']);
  });

  it('is a valid plan with word terms and nothing inferred', () => {
    const plan = rawQueryPlan('LG fridge');
    expect(plan.terms).toEqual([word('lg'), word('fridge')]);
    expect(plan.filters).toEqual([]);
    expect(plan.boosts).toEqual([]);
    expect(plan.intent.type).toBe('product');
    expect(rawQueryPlan('?!').intent.type).toBe('empty');
  });
});

function planWith(spelling: QueryPlan['spelling'], terms: PlanTerm[]): QueryPlan {
  return { ...rawQueryPlan('x'), spelling, terms };
}

describe('spelling in recovery and "search instead for"', () => {
  const corrections = [{ from: 'samsnug', to: 'samsung', distance: 2, confidence: 0.7 }];

  it('applies suggested corrections word by word', () => {
    const plan = planWith({ action: 'suggest', corrected: 'samsung tv', confidence: 0.7, corrections }, [word('samsnug', 'word'), word('tv')]);
    expect(termsWithSuggestedCorrections(plan)?.map((t) => t.text)).toEqual(['samsung', 'tv']);
  });

  it('has nothing to apply when the plan searched the correction already or has none', () => {
    expect(termsWithSuggestedCorrections(planWith({ action: 'search', corrected: 'samsung tv', confidence: 0.9, corrections }, [word('samsung')]))).toBeUndefined();
    expect(termsWithSuggestedCorrections(planWith({ action: 'none', confidence: 1, corrections: [] }, [word('tv')]))).toBeUndefined();
  });

  it('undoes searched corrections for spellcheck=false, keeping other rewrites', () => {
    const plan = planWith({ action: 'search', corrected: 'samsung tv', confidence: 0.9, corrections }, [word('samsung', 'brand'), { text: 'tv', alternatives: ['television'], role: 'word' }]);
    expect(termsAsTyped(plan)).toEqual([word('samsnug', 'brand'), { text: 'tv', alternatives: ['television'], role: 'word' }]);
  });
});

describe('relaxation order', () => {
  it('drops nothing from a single term', () => {
    expect(relaxations([word('tv')])).toEqual([]);
  });

  it('makes the least important term optional first: colour, then later words, brands and model numbers last', () => {
    const terms = [word('samsung', 'brand'), word('qn65', 'model_number'), word('tv'), word('mount'), word('black', 'colour')];
    const variants = relaxations(terms, 100);
    expect(variants.slice(0, 5).map((v) => v.optional)).toEqual([[4], [3], [2], [0], [1]]);
    expect(variants[5]!.optional).toEqual([3, 4]);
    expect(variants.at(-1)!.optional).toEqual([0, 1, 2, 3, 4]);
  });

  it('is capped, and always ends with "any word may match"', () => {
    const terms = ['a', 'b', 'c', 'd', 'e', 'f'].map((t) => word(t));
    const variants = relaxations(terms, 4);
    expect(variants).toHaveLength(4);
    expect(variants.at(-1)!.optional).toEqual([0, 1, 2, 3, 4, 5]);
    expect(variants[0]!.optional).toEqual([5]);
  });
});
