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
    expect(queries.length).toBeGreaterThan(10);
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
