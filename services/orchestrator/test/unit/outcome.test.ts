import type { PlanTerm, QueryPlan } from '@search-mesh/contracts';
import { rawQueryPlan } from '../../src/domain/fallback-plan';
import { queryOutcome } from '../../src/domain/outcome';

const terms = (...texts: string[]): PlanTerm[] => texts.map((text) => ({ text, alternatives: [], role: 'word' }));
const corrections = [{ from: 'samsnug', to: 'samsung', distance: 2, confidence: 0.8 }];
function plan(action: QueryPlan['spelling']['action']): QueryPlan {
  return { ...rawQueryPlan('samsnug tv'), spelling: { action, corrected: 'samsung tv', confidence: 0.8, corrections } };
}
const base = { optional: new Set<number>(), spellcheck: true, correctedForRecovery: false, understood: true };

describe('query outcome', () => {
  it('"showing results for" when the plan searched a correction, with the way back', () => {
    const outcome = queryOutcome({ ...base, plan: plan('search'), terms: terms('samsung', 'tv') });
    expect(outcome.spelling).toEqual({ action: 'showing_results_for', corrected: 'samsung tv', original: 'samsnug tv' });
    expect(outcome.messages).toEqual(['Showing results for "samsung tv". Search instead for "samsnug tv".']);
    expect(outcome.searched).toBe('samsung tv');
  });

  it('"did you mean" when the correction was only suggested, or the shopper turned it off', () => {
    expect(queryOutcome({ ...base, plan: plan('suggest'), terms: terms('samsnug', 'tv') }).spelling.action).toBe('did_you_mean');
    expect(queryOutcome({ ...base, plan: plan('search'), spellcheck: false, terms: terms('samsnug', 'tv') }).messages).toEqual(['Did you mean "samsung tv"?']);
  });

  it('says a suggestion was applied because nothing matched', () => {
    const outcome = queryOutcome({ ...base, plan: plan('suggest'), correctedForRecovery: true, terms: terms('samsung', 'tv') });
    expect(outcome.spelling.recovery).toBe(true);
    expect(outcome.messages[0]).toMatch(/^No products match "samsnug tv"\. Showing results for "samsung tv"/);
  });

  it('names the words dropped by relaxation', () => {
    const outcome = queryOutcome({ ...base, plan: plan('none'), optional: new Set([2]), terms: terms('sony', 'headphones', 'zzz') });
    expect(outcome.relaxed).toEqual({ dropped: ['zzz'] });
    expect(outcome.searched).toBe('sony headphones');
    expect(outcome.messages).toEqual(['No products match all of "sony headphones zzz". Showing results for "sony headphones" (without "zzz").']);
  });

  it('reports no intent for a fallback plan', () => {
    expect(queryOutcome({ ...base, understood: false, plan: plan('none'), terms: terms('tv') }).intent).toBeUndefined();
  });
});
