import { loadQueries } from '../../src/data';
import { normaliseQuery, splitQueries } from '../../src/queries';
import { contentTokens, stem } from '../../src/text';

describe('normaliseQuery', () => {
  it('lowercases, strips diacritics and punctuation, collapses spaces', () => {
    expect(normaliseQuery('  Café   Crème!  ')).toBe('cafe creme');
    expect(normaliseQuery('ＡＢＣ 65"  TV')).toBe('abc 65 tv');
    expect(normaliseQuery('Pokémon: Scarlet')).toBe('pokemon scarlet');
  });

  it('keeps decimal points inside numbers only', () => {
    expect(normaliseQuery('6.5" speakers, 4.5 cu. ft.')).toBe('6.5 speakers 4.5 cu ft');
  });
});

describe('content tokens', () => {
  it('drops stopwords and stems plurals', () => {
    expect(contentTokens('The washers for batteries')).toEqual(['washer', 'battery']);
    expect(stem('boxes')).toBe('box');
    expect(stem('glass')).toBe('glass');
  });
});

describe('splitQueries', () => {
  const queries = loadQueries(null);

  it('is deterministic and disjoint, and covers every query', () => {
    const a = splitQueries(queries);
    const b = splitQueries(queries);
    expect(a.test.map((q) => q.query)).toEqual(b.test.map((q) => q.query));
    const test = new Set(a.test.map((q) => normaliseQuery(q.query)));
    expect(a.train.some((q) => test.has(normaliseQuery(q.query)))).toBe(false);
    expect(a.train.length + a.test.length).toBe(queries.length);
  });

  it('holds out about the requested fraction', () => {
    const many = Array.from({ length: 5000 }, (_, i) => ({ query: `query ${i}` }));
    const { test } = splitQueries(many, { testFraction: 0.2 });
    expect(test.length / many.length).toBeGreaterThan(0.17);
    expect(test.length / many.length).toBeLessThan(0.23);
  });

  it('sends texts that normalise alike to the same side', () => {
    const { test } = splitQueries([{ query: 'Café Crème' }, { query: 'cafe   creme' }], { testFraction: 0.5 });
    expect([0, 2]).toContain(test.length);
  });

  it('rejects a fraction outside [0, 1]', () => {
    expect(() => splitQueries(queries, { testFraction: 1.5 })).toThrow('testFraction');
  });
});
