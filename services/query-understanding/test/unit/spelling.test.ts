import { loadQueries, resolveDataDir, splitQueries } from '@search-mesh/catalog';
import { deletions, editDistance, SpellingCorrector } from '../../src/domain/spelling';
import { readLexicon, DEFAULT_MODEL_DIR } from '../../src/adapters/artifacts';
import { Vocabulary } from '../../src/domain/vocabulary';
import { normaliseText } from '../../src/domain/normalise';

describe('editDistance', () => {
  it('counts insertions, deletions, substitutions and adjacent transpositions as one edit', () => {
    expect(editDistance('tv', 'tv', 2)).toBe(0);
    expect(editDistance('laptop', 'lpatop', 2)).toBe(1);
    expect(editDistance('laptop', 'laptp', 2)).toBe(1);
    expect(editDistance('laptop', 'lapxtop', 2)).toBe(1);
    expect(editDistance('laptop', 'laptob', 2)).toBe(1);
    expect(editDistance('camera', 'cmaeea', 2)).toBe(2);
    expect(editDistance('refrigerator', 'tv', 2)).toBe(3);
  });

  it('lists deletions up to the distance', () => {
    expect([...deletions('abc', 1)].sort()).toEqual(['ab', 'abc', 'ac', 'bc']);
    expect(deletions('abcd', 2).has('ad')).toBe(true);
  });
});

describe('SpellingCorrector on a small vocabulary', () => {
  const words: Array<[string, number]> = [['refrigerator', 100], ['headphones', 50], ['laptop', 80], ['lapdog', 1], ['samsung', 40]];
  const known = new Set(words.map(([w]) => w).concat(['insignia', 'vizio']));
  const speller = new SpellingCorrector(words, (w) => known.has(w));

  it('corrects unknown words to common close ones with a confidence', () => {
    expect(speller.correct('refrigrator')).toMatchObject({ to: 'refrigerator', distance: 1 });
    expect(speller.correct('hedphones')?.to).toBe('headphones');
    expect(speller.correct('laptpo')).toMatchObject({ to: 'laptop', distance: 1 });
    expect(speller.correct('laptpo')!.confidence).toBeGreaterThan(0.75);
  });

  it('never touches known words, their plurals, numbers, model numbers or short words', () => {
    expect(speller.correct('vizio')).toBeNull();
    expect(speller.correct('laptops')).toBeNull();
    expect(speller.correct('un65tu7000')).toBeNull();
    expect(speller.correct('tvv')).toBeNull();
  });

  it('finds nothing when no word is close', () => {
    expect(speller.correct('xyzzyq')).toBeNull();
  });
});

describe('SpellingCorrector on the served lexicon and real queries', () => {
  const vocabulary = new Vocabulary(readLexicon(DEFAULT_MODEL_DIR));
  const speller = new SpellingCorrector(vocabulary.wordCounts(), (w) => vocabulary.isKnown(w));
  const { test } = splitQueries(loadQueries(resolveDataDir()));

  it('leaves every brand and model number of the catalog alone', () => {
    for (const [brand] of (vocabulary as unknown as { data: { brands: Array<[string]> } }).data.brands) {
      for (const token of brand.split(' ')) expect(speller.correct(token)).toBeNull();
    }
  });

  it('leaves real test queries alone and corrects a typo in them', () => {
    const queries = test.map((q) => normaliseText(q.query).tokens).filter((t) => t.some((w) => /^[a-z]{7,}$/.test(w))).slice(0, 40);
    expect(queries.length).toBeGreaterThanOrEqual(8); // 40 with the real queries, about 10 with the built-in ones
    let fixed = 0;
    for (const tokens of queries) {
      for (const token of tokens) expect(speller.correct(token)?.confidence ?? 0).toBeLessThan(speller.options.searchThreshold);
      const word = tokens.find((w) => /^[a-z]{7,}$/.test(w))!;
      const typo = word.slice(0, 2) + word[3] + word[2] + word.slice(4); // swap two letters
      if (speller.correct(typo)?.to === word) fixed++;
    }
    expect(fixed / queries.length).toBeGreaterThan(0.7);
  });
});

describe('SpellingCorrector with context: English words, split and joined words', () => {
  const words: Array<[string, number]> = [['apple', 500], ['mount', 300], ['laptop', 400], ['lap', 5], ['top', 60], ['air', 200], ['fryer', 150], ['smartwatch', 80], ['smart', 300], ['watch', 200]];
  const bigrams = new Map<string, number>([['air fryer', 90], ['smart watch', 40], ['lap top', 1]]);
  const known = new Set(words.map(([w]) => w));
  const english = new Set(['ample', 'amount']);
  const speller = new SpellingCorrector(words, (w) => known.has(w), undefined, {
    splitOf: (token) => {
      for (const [phrase, count] of bigrams) if (phrase.replace(' ', '') === token) return [phrase, count] as const;
      return undefined;
    },
    bigramCount: (a, b) => bigrams.get(`${a} ${b}`) ?? 0,
    count: (w) => words.find(([x]) => x === w)?.[1] ?? 0,
    isEnglish: (w) => english.has(w),
  });

  it('leaves common English words the catalog does not use alone', () => {
    expect(speller.correct('ample')).toBeNull();
    expect(speller.correct('amount')).toBeNull();
    expect(speller.correct('appel')?.to).toBe('apple');
  });

  it('splits two words typed together when the catalog writes them apart', () => {
    expect(speller.correct('airfryer')).toMatchObject({ from: 'airfryer', to: 'air fryer', distance: 1 });
    expect(speller.correct('airfryer')!.confidence).toBeGreaterThan(0.75);
  });

  it('joins a word typed apart when the joined word is common and the pair is not a phrase of its own', () => {
    expect(speller.join('lap', 'top')).toMatchObject({ from: 'lap top', to: 'laptop', distance: 1 });
    expect(speller.join('smart', 'watch')).toBeNull(); // "smart watch" is common itself: 40 × 20 > 80
    expect(speller.join('air', 'fryer')).toBeNull(); // "airfryer" is no word
  });
});

describe('spelling in plans (served artifacts)', () => {
  it('corrects "airfryer" to "air fryer" and "lap top" to "laptop", and leaves English alone', async () => {
    const { createEngine } = await import('../../src/engine');
    const engine = await createEngine();
    const fryer = engine.understandSync!('airfryer');
    expect(fryer.spelling).toMatchObject({ action: 'search', corrected: 'air fryer' });
    expect(fryer.terms.map((t) => t.text)).toEqual(['air', 'fryer']);
    expect(fryer.categories[0]!.path).toBe('Appliances > Small Kitchen Appliances');
    const laptop = engine.understandSync!('gaming lap top');
    expect(laptop.spelling).toMatchObject({ action: 'search', corrected: 'gaming laptop' });
    expect(laptop.rewrites.find((r) => r.step === 'spelling')).toMatchObject({ from: 'lap top', to: 'laptop' });
    expect(engine.understandSync!('this is an ample').spelling.action).toBe('none');
    await engine.close();
  });
});
