import { RANK_MATCH_FEATURES } from '@search-mesh/contracts';
import { matchFeatures, rankingFeatureClause } from '../../src/query/ranking-features';

const names = (clause: unknown): string[] => JSON.stringify(clause).match(/"_name":"([a-z0-9_]+)"/g)!.map((m) => m.slice(9, -1));

describe('ranking feature clause', () => {
  it('names one query per match feature, inside a clause that matches everything', () => {
    const clause = rankingFeatureClause({
      terms: [
        { text: 'samsung', alternatives: [], role: 'brand' },
        { text: 'tv', alternatives: ['television'], role: 'word' },
      ],
      categories: [
        { level: 1, path: 'TV & Home Theater > TVs', probability: 0.9 },
        { level: 2, path: 'TV & Home Theater > TVs > 4K TVs', probability: 0.5 },
      ],
      leafCategories: [{ level: 2, path: 'TV & Home Theater > TVs > 4K TVs', probability: 0.5 }],
      boosts: [{ type: 'terms', field: 'brand', values: ['samsung'] }],
    });
    expect(clause.bool!.must).toEqual([{ match_all: {} }]);
    expect(names(clause).sort()).toEqual([...RANK_MATCH_FEATURES].sort());
    // A category's probability is the score of its clause.
    expect(JSON.stringify(clause)).toContain('{"constant_score":{"filter":{"term":{"category.lvl1":"TV & Home Theater > TVs"}},"boost":0.9}}');
  });

  it('leaves out what the plan lacks', () => {
    const clause = rankingFeatureClause({ terms: [{ text: 'tv', alternatives: [], role: 'word' }], categories: [], boosts: [] });
    expect(names(clause)).not.toContain('exact_title_phrase');
    expect(names(clause)).not.toContain('category_lvl1_prob');
  });

  it('reads finite named scores only', () => {
    expect(matchFeatures({ text_title: 2.5, bad: 'x', inf: Infinity })).toEqual({ text_title: 2.5 });
    expect(matchFeatures(['text_title'])).toEqual({});
  });
});
