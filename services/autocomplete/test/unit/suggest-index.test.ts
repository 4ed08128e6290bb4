import { SuggestIndex, type EntryInput } from '../../src/domain/suggest-index';

const entry = (text: string, score: number, kind: EntryInput['kind'] = 'query'): EntryInput => ({ text, kind, score, categories: [] });

const index = SuggestIndex.build([
  entry('samsung galaxy', 900),
  entry('samsung galaxy buds', 100),
  entry('samsung tv', 800),
  entry('sandisk memory card', 200),
  entry('galaxy watch', 300),
  entry('refrigerator', 400),
  entry('refrigerators french door', 50),
  entry('washer', 600),
  entry('washing machine', 90),
  entry('Crème brûlée torch', 30),
]);
const texts = (q: string, limit = 10) => index.search(q, { limit }).map((h) => h.entry.text);

describe('SuggestIndex', () => {
  it('completes a prefix with the most popular entries first', () => {
    expect(texts('sa')).toEqual(['samsung galaxy', 'samsung tv', 'sandisk memory card', 'samsung galaxy buds']);
    expect(texts('sam', 2)).toEqual(['samsung galaxy', 'samsung tv']);
    expect(texts('wash')).toEqual(['washer', 'washing machine']);
  });

  it('ranks a match at the first word above a match further in', () => {
    expect(texts('gal')).toEqual(['galaxy watch', 'samsung galaxy', 'samsung galaxy buds']);
  });

  it('completes every word of a multi-word prefix, in any order, in order first', () => {
    expect(texts('sam gal')).toEqual(['samsung galaxy', 'samsung galaxy buds']);
    expect(texts('sam gal bu')).toEqual(['samsung galaxy buds']);
    expect(texts('gal sam')).toEqual(['samsung galaxy', 'samsung galaxy buds']);
    // two typed words cannot both use the same entry word
    expect(texts('sam sam')).toEqual([]);
  });

  it('tolerates one edit from 4 characters and two from 8, never below 4', () => {
    expect(texts('smas')).toContain('samsung galaxy'); // transposition
    expect(texts('samsnug')).toEqual(expect.arrayContaining(['samsung galaxy', 'samsung tv']));
    expect(texts('refrigirator')).toEqual(['refrigerator', 'refrigerators french door']); // one substitution, 12 chars
    expect(texts('refrjgirator')).toContain('refrigerator'); // two substitutions
    expect(texts('rqfrjgjrator')).toEqual([]); // three
    expect(texts('wqsh')).toEqual(['washer', 'washing machine']);
    expect(texts('wqs')).toEqual([]); // 3 characters: exact only
  });

  it('ranks exact prefixes above typo matches', () => {
    const hits = index.search('wash', { limit: 10 });
    expect(hits.every((h) => h.edits === 0)).toBe(true);
    const typos = SuggestIndex.build([entry('sony tv', 10), entry('song book', 50)]);
    expect(typos.search('sony', { limit: 5 }).map((h) => [h.entry.text, h.edits])).toEqual([['sony tv', 0], ['song book', 1]]);
  });

  it('is case and diacritics insensitive', () => {
    expect(texts('CREME BRU')).toEqual(['Crème brûlée torch']);
    expect(texts('crème')).toEqual(['Crème brûlée torch']);
    expect(texts('SAMSUNG')[0]).toBe('samsung galaxy');
  });

  it('answers nothing for input without words, and survives huge input', () => {
    expect(texts('')).toEqual([]);
    expect(texts('  !!! ')).toEqual([]);
    expect(texts('a'.repeat(1024))).toEqual([]);
    expect(texts('sam '.repeat(300))).toEqual([]);
    expect(index.search('sam', { limit: 0 })).toEqual([]);
  });

  it('filters by category path prefix', () => {
    const scoped = SuggestIndex.build([
      { text: 'tv stand', kind: 'query', score: 10, categories: ['TV & Home Theater > TV Stands'] },
      { text: 'tv', kind: 'query', score: 5, categories: ['TV & Home Theater > TVs > 4K Ultra HD TVs'] },
    ]);
    expect(scoped.search('tv', { limit: 5, category: 'tv & home theater > tvs' }).map((h) => h.entry.text)).toEqual(['tv']);
    expect(scoped.search('tv', { limit: 5, category: 'tv & home theater' }).map((h) => h.entry.text)).toEqual(['tv stand', 'tv']);
    expect(scoped.search('tv', { limit: 5, category: 'tv & home' })).toEqual([]);
  });

  it('uses each node\'s top K when a short prefix covers many entries, and still returns the best', () => {
    const many = SuggestIndex.build(Array.from({ length: 5000 }, (_, i) => entry(`s${i.toString(36)} item`, i)));
    const best = many.search('s', { limit: 3 }).map((h) => h.entry.score);
    expect(best).toEqual([4999, 4998, 4997]);
  });

  it('reports which part of which word matched, for highlighting', () => {
    const [hit] = index.search('sam gal', { limit: 1 });
    expect([...(hit?.marks ?? [])]).toEqual([[0, 3], [1, 3]]);
  });
});
