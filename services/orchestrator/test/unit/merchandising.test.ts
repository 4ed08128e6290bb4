import type { MerchandisingActions } from '@search-mesh/contracts';
import { BURIED, BURY_WEIGHT, merchandisingClauses, PIN_LIFT, placeMerchandised } from '../../src/domain/merchandising';
import { buildRetrieval } from '../../src/domain/retrieval';
import { matchedNames } from '../../src/adapters/product-search';

const none: MerchandisingActions = { rules: [], filters: [], boosts: [], buries: [], buriedProducts: [], pins: [] };
const ids = (xs: Array<{ id: string }>) => xs.map((x) => x.id);

describe('placeMerchandised', () => {
  const list = ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id }));
  it('moves buried products last, keeping both groups in order', () => {
    expect(ids(placeMerchandised(list, none, new Set(['a', 'c'])))).toEqual(['b', 'd', 'e', 'a', 'c']);
  });
  it('puts retrieved pinned products at their positions, ignores those not retrieved', () => {
    const actions = { ...none, pins: [{ id: 'e', position: 1 }, { id: 'x', position: 2 }, { id: 'a', position: 3 }] };
    expect(ids(placeMerchandised(list, actions, new Set()))).toEqual(['e', 'b', 'a', 'c', 'd']);
    expect(ids(placeMerchandised(list.slice(0, 2), { ...none, pins: [{ id: 'a', position: 9 }] }, new Set()))).toEqual(['b', 'a']);
  });
  it('changes nothing without actions', () => {
    expect(ids(placeMerchandised(list, undefined, new Set(['a'])))).toEqual(ids(list));
  });
});

describe('merchandisingClauses in the Elasticsearch query', () => {
  it('adds filters, boost/bury/pin functions and the named bury clause', () => {
    const actions: MerchandisingActions = {
      ...none,
      filters: [{ type: 'terms', field: 'brand', values: ['LG'] }],
      boosts: [{ condition: { type: 'range', field: 'price', gte: 100 }, weight: 4 }],
      buries: [{ type: 'terms', field: 'attr.color', values: ['Pink'] }],
      buriedProducts: ['p9'],
      pins: [{ id: 'p1', position: 1 }],
    };
    const clauses = merchandisingClauses(actions);
    expect(clauses.filters).toEqual([{ terms: { 'brand.folded': ['LG'] } }]);
    expect(clauses.functions.map((f) => f.weight)).toEqual([4, BURY_WEIGHT, BURY_WEIGHT, PIN_LIFT]);
    expect(JSON.stringify(clauses.should)).toContain(BURIED);
    const body = buildRetrieval({ terms: [], planFilters: [], planBoosts: [], category: undefined, shopperFilters: [], sort: 'relevance', page: 1, size: 10, rerankWindow: 100, aggregations: [], merchandising: actions }).body;
    const fs = (body.query as { function_score: { query: { bool: { filter: unknown[]; should: unknown[] } } } }).function_score;
    expect(fs.query.bool.filter).toContainEqual({ terms: { 'brand.folded': ['LG'] } });
    expect(fs.query.bool.should).toHaveLength(1);
  });
});

describe('matchedNames (buried hits in a reranked window)', () => {
  it('reads the named queries a hit matched, as a list or, with their scores, as an object', () => {
    expect(matchedNames(undefined)).toEqual([]);
    expect(matchedNames([BURIED, 'other'])).toEqual([BURIED, 'other']);
    // include_named_queries_score (the ranking features) turns the list into name → score
    expect(matchedNames({ [BURIED]: 0, title_match: 3.2 })).toContain(BURIED);
  });
});
