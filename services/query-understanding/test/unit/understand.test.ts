import { Value } from '@sinclair/typebox/value';
import { QueryPlan } from '@search-mesh/contracts';
import { readLexicon, DEFAULT_MODEL_DIR } from '../../src/adapters/artifacts';
import { DEFAULT_RULES } from '../../src/domain/default-rules';
import { DEFAULT_FEATURE_SPEC, type HashedFeatures } from '../../src/domain/features';
import { RuleStore } from '../../src/domain/rule-store';
import { SpellingCorrector } from '../../src/domain/spelling';
import { type CategoryClassifier, type CategoryScores, DEFAULT_POLICY, QueryUnderstanding } from '../../src/domain/understand';
import { Vocabulary } from '../../src/domain/vocabulary';

/** A classifier that answers what the test sets, and records what it was asked. */
class FakeClassifier implements CategoryClassifier {
  readonly version = 'fake-1';
  readonly featureSpec = DEFAULT_FEATURE_SPEC;
  asked: HashedFeatures[] = [];
  constructor(public scores: CategoryScores) {}
  async classify(features: HashedFeatures): Promise<CategoryScores> {
    this.asked.push(features);
    return this.scores;
  }
}

const TVS: CategoryScores = {
  lvl1: [['TV & Home Theater > TVs', 0.97], ['TV & Home Theater > TV & Home Theater Accessories', 0.02]],
  lvl2: [['TV & Home Theater > TVs > 4K Ultra HD TVs', 0.6]],
};

describe('QueryUnderstanding pipeline (real lexicon, fake classifier)', () => {
  const vocabulary = new Vocabulary(readLexicon(DEFAULT_MODEL_DIR));
  const speller = new SpellingCorrector(vocabulary.wordCounts(), (w) => vocabulary.isKnown(w));
  const rules = new RuleStore(DEFAULT_RULES);
  const classifier = new FakeClassifier(TVS);
  const qu = new QueryUnderstanding(vocabulary, speller, () => rules.current, classifier, { ...DEFAULT_POLICY, categoryFilterMin: 0.95 });

  const valid = (plan: QueryPlan) => {
    const error = Value.Errors(QueryPlan, plan).First();
    expect(error === undefined ? 'valid' : `${error.path}: ${error.message}`).toBe('valid');
    return plan;
  };

  it('turns a real shopper query into filters, boosts, terms and named rewrites', async () => {
    const plan = valid(await qu.understand('Samsung 65" 4K TV under $800'));
    expect(plan.normalised).toBe('samsung 65 in 4k tv under 800 dollars');
    expect(plan.terms.map((t) => [t.text, t.role])).toEqual([['samsung', 'brand'], ['4k', 'word'], ['tv', 'word']]);
    expect(plan.terms[2]!.alternatives).toContain('television');
    expect(plan.filters).toContainEqual(expect.objectContaining({ type: 'range', field: 'price', lte: 800 }));
    // Confident category: the measure is read as that category's screen size and becomes a filter.
    expect(plan.filters).toContainEqual(expect.objectContaining({ field: 'num.screen_size_in', gte: 63.05, lte: 66.95 }));
    expect(plan.filters).toContainEqual(expect.objectContaining({ field: 'category.lvl1', values: ['TV & Home Theater > TVs'] }));
    expect(plan.boosts).toContainEqual(expect.objectContaining({ field: 'brand', values: ['Samsung'] }));
    expect(plan.boosts).toContainEqual(expect.objectContaining({ field: 'category.lvl2' }));
    expect(plan.rewrites.map((r) => r.step)).toEqual(['normalise', 'synonym', 'attribute', 'attribute', 'category']);
    expect(plan.spelling.action).toBe('none');
    expect(plan.intent.type).toBe('product');
  });

  it('records the category rule: boost below the filter threshold, filter above it', async () => {
    classifier.scores = { lvl1: [['Appliances > Refrigerators', 0.6]], lvl2: [] };
    const boosted = valid(await qu.understand('refrigerator'));
    expect(boosted.filters).toEqual([]);
    expect(boosted.boosts).toEqual([expect.objectContaining({ field: 'category.lvl1', reason: expect.stringContaining('p=0.6 ≥ 0.3') })]);
    expect(boosted.intent).toEqual({ type: 'category', category: expect.stringContaining('Refrigerators') });
    classifier.scores = { lvl1: [['Appliances > Refrigerators', 0.99]], lvl2: [] };
    const filtered = valid(await qu.understand('refrigerator'));
    const unfiltered = new QueryUnderstanding(vocabulary, speller, () => rules.current, classifier, DEFAULT_POLICY);
    expect((await unfiltered.understand('refrigerator')).filters).toEqual([]); // off by default
    expect(filtered.filters).toEqual([expect.objectContaining({ field: 'category.lvl1', reason: expect.stringContaining('filter threshold 0.95') })]);
    classifier.scores = TVS;
  });

  it('corrects misspellings of real queries, searches the correction and classifies the corrected words', async () => {
    classifier.asked = [];
    const plan = valid(await qu.understand('refrigirator'));
    expect(plan.spelling).toMatchObject({ action: 'search', corrected: 'refrigerator' });
    expect(plan.query).toBe('refrigerator');
    expect(classifier.asked[0]).toEqual(qu.prepare('refrigerator').features);
  });

  it('never corrects brands, model numbers or attribute values', async () => {
    for (const q of ['insignia', 'rocketfish hdmi', 'vizio', 'un65tu7000', 'stainless steel', 'qled']) {
      expect((await qu.understand(q)).spelling.action).toBe('none');
    }
  });

  it('answers brand navigation with a brand filter and redirects with the rule', async () => {
    const brand = valid(await qu.understand('Samsung'));
    expect(brand.intent).toEqual({ type: 'brand', brand: 'Samsung' });
    expect(brand.filters).toContainEqual(expect.objectContaining({ field: 'brand', values: ['Samsung'] }));
    const redirect = valid(await qu.understand('Gift Cards'));
    expect(redirect.intent).toEqual({ type: 'redirect', redirect: { url: '/gift-cards', ruleId: 'redir-giftcards' } });
  });

  it('keeps a "for <brand>" a word and boosts nothing for it', async () => {
    const plan = valid(await qu.understand('case for iphone'));
    expect(plan.boosts.filter((b) => b.field === 'brand')).toEqual([]);
  });

  it('makes a safe plan of query syntax, emoji and very long words', async () => {
    for (const q of ['"tv" OR (laptop*) AND title:~2 \\/ ^ ! + - && ||', '📺 tv 🔥', 'a'.repeat(500), '<script>alert(1)</script>']) {
      const plan = valid(await qu.understand(q));
      for (const term of plan.terms) expect(term.text).toMatch(/^[\p{L}\p{N} .]+$/u);
    }
    const empty = valid(await qu.understand('🔥📺'));
    expect(empty).toMatchObject({ terms: [], filters: [], intent: { type: 'empty' }, categories: [] });
  });
});
