import { Blocklist } from '../../src/domain/blocklist';
import { diversify, Suggester } from '../../src/domain/suggester';
import type { Entry, Hit } from '../../src/domain/suggest-index';
import { suggester } from './fixtures';

describe('Suggester', () => {
  it('suggests popular queries and entities with kinds and highlighted matches', () => {
    const s = suggester();
    const out = s.suggest({ q: 'sam', limit: 5 });
    expect(out[0]).toEqual({ text: 'samsung galaxy', kind: 'query', highlight: '<mark>sam</mark>sung galaxy' });
    expect(out.map((x) => x.text)).toEqual(['samsung galaxy', 'samsung galaxy', 'samsung tv', 'Samsung']);
    expect(out.find((x) => x.kind === 'brand')).toEqual({ text: 'Samsung', kind: 'brand', highlight: '<mark>Sam</mark>sung' });
  });

  it('adds the top suggestion scoped to its dominant category, right after it', () => {
    const out = suggester().suggest({ q: 'sam gal', limit: 5 });
    expect(out.slice(0, 2)).toEqual([
      { text: 'samsung galaxy', kind: 'query', highlight: '<mark>sam</mark>sung <mark>gal</mark>axy' },
      { text: 'samsung galaxy', kind: 'query', highlight: '<mark>sam</mark>sung <mark>gal</mark>axy', category: 'Cell Phones > Cell Phones > Samsung Galaxy' },
    ]);
    // with one slot, no scoped copy; within a category filter, none either
    expect(suggester().suggest({ q: 'sam gal', limit: 1 })).toHaveLength(1);
    expect(suggester().suggest({ q: 'sam', limit: 5, category: 'Cell Phones' }).filter((x) => x.category !== undefined)).toEqual([]);
  });

  it('never suggests a query that would find nothing', () => {
    // "unicorn blender" is the most popular seed query, but the catalog has no unicorns
    expect(suggester().suggest({ q: 'uni', limit: 5 })).toEqual([]);
  });

  it('merges near-duplicates: the category "TVs" and a "tv" query are one suggestion', () => {
    const s = suggester();
    s.observe([{ normalised: 'tv', count: 1 }]);
    s.rebuild();
    const out = s.suggest({ q: 'tv', limit: 8 }).filter((x) => x.category === undefined || x.kind === 'category');
    expect(out.filter((x) => x.text.toLowerCase().startsWith('tv'))).toHaveLength(1);
  });

  it('is diacritics insensitive both ways, and highlights the original spelling', () => {
    const s = suggester();
    expect(s.suggest({ q: 'cafe app', limit: 3 })).toEqual([{ text: 'Café Appliances', kind: 'brand', highlight: '<mark>Café</mark> <mark>App</mark>liances' }]);
    expect(s.suggest({ q: 'CAFÉ', limit: 3 }).map((x) => x.text)).toContain('cafe');
  });

  it('hides blocked phrases from the next request on, and shows them again when unblocked', () => {
    const s = suggester();
    s.setBlocklist(new Blocklist(['Galaxy']));
    expect(s.suggest({ q: 'sam', limit: 5 }).map((x) => x.text)).toEqual(['samsung tv', 'samsung tv', 'Samsung']);
    s.setBlocklist(new Blocklist(['samsung tv', 'nothing matches this']));
    expect(s.suggest({ q: 'sam', limit: 5 }).map((x) => x.text)).not.toContain('samsung tv');
    expect(s.suggest({ q: 'sony', limit: 5 }).map((x) => x.text)).toContain('sony tv'); // a phrase blocks only as a whole
    s.setBlocklist(Blocklist.EMPTY);
    expect(s.suggest({ q: 'sam', limit: 5 }).map((x) => x.text)).toContain('samsung galaxy');
  });

  it('takes live query-log counts in at the next rebuild, which swaps a new index in', () => {
    const s = suggester();
    const before = s.current;
    expect(s.suggest({ q: 'sam', limit: 1 })[0]?.text).toBe('samsung galaxy');
    s.observe([{ normalised: 'samsung tv', count: 150 }, { normalised: 'galaxy', count: 3 }, { normalised: 'nothing found here', count: 99 }]);
    expect(s.pendingObservations).toBe(3);
    expect(s.suggest({ q: 'sam', limit: 1 })[0]?.text).toBe('samsung galaxy'); // not yet
    s.rebuild();
    expect(s.current).not.toBe(before);
    expect(s.pendingObservations).toBe(0);
    expect(s.suggest({ q: 'sam', limit: 1 })[0]?.text).toBe('samsung tv');
    expect(s.suggest({ q: 'galaxy', limit: 5 }).map((x) => x.text)).toContain('galaxy'); // a new query from the log
    expect(s.suggest({ q: 'nothing', limit: 5 })).toEqual([]); // finds no product: never suggested
    expect(before.search('galaxy', { limit: 5 }).map((h) => h.entry.text)).not.toContain('galaxy'); // the old index is untouched
  });

  it('ignores nonsense observations', () => {
    const s = suggester();
    s.observe([{ normalised: '', count: 5 }, { normalised: 'tv', count: 0 }, { normalised: 'tv', count: Number.NaN }]);
    expect(s.pendingObservations).toBe(0);
  });
});

describe('diversify', () => {
  const hit = (kind: 'query' | 'category' | 'brand', score: number, id: number): Hit =>
    ({ entry: { kind, id, score } as Entry, score, marks: new Map(), edits: 0 });

  it('caps each entity kind at half the list, keeps score order, and fills up with capped ones', () => {
    const hits = [hit('category', 9, 0), hit('category', 8, 1), hit('category', 7, 2), hit('query', 1, 3), hit('brand', 0.5, 4)];
    expect(diversify(hits, 4).map((h) => h.entry.id)).toEqual([0, 1, 3, 4]);
    expect(diversify(hits, 5).map((h) => h.entry.id)).toEqual([0, 1, 2, 3, 4]);
    expect(diversify(hits.slice(0, 3), 3).map((h) => h.entry.id)).toEqual([0, 1, 2]); // nothing else to show
    expect(diversify([hit('query', 3, 0), hit('query', 2, 1), hit('query', 1, 2)], 2).map((h) => h.entry.id)).toEqual([0, 1]);
  });
});

describe('scoped suggestion', () => {
  it('scopes the best non-category suggestion within the first three, a brand included', () => {
    const s = new Suggester({
      seedQueries: [],
      facts: () => null,
      entities: [
        { text: 'Sony TVs', kind: 'category', score: 0, raw: 10, categories: ['TV & Home Theater > TVs > Sony TVs'] },
        { text: 'Sony', kind: 'brand', score: 0, raw: 5, categories: ['TV & Home Theater > TVs > Sony TVs'], scope: 'TV & Home Theater > TVs' },
      ],
    });
    expect(s.suggest({ q: 'son', limit: 5 })).toEqual([
      { text: 'Sony TVs', kind: 'category', highlight: '<mark>Son</mark>y TVs', category: 'TV & Home Theater > TVs > Sony TVs' },
      { text: 'Sony', kind: 'brand', highlight: '<mark>Son</mark>y' },
      { text: 'Sony', kind: 'brand', highlight: '<mark>Son</mark>y', category: 'TV & Home Theater > TVs' },
    ]);
  });
});
