import type { PlanTerm } from '@search-mesh/contracts';
import { defaultAggregations } from '../../src/domain/facets';
import { buildRetrieval, categoryFilter, probeRequest, type RetrievalInput, SOURCE_FIELDS } from '../../src/domain/retrieval';
import { InvalidParameter } from '../../src/domain/errors';

const terms: PlanTerm[] = [
  { text: 'samsung', alternatives: [], role: 'brand' },
  { text: 'tv', alternatives: ['television'], role: 'word' },
];
const input: RetrievalInput = {
  terms,
  planFilters: [{ type: 'range', field: 'price', lte: 500, reason: 'under 500' }],
  planBoosts: [{ type: 'terms', field: 'category.lvl1', values: ['TV & Home Theater > TVs'], weight: 3, reason: 'predicted' }],
  category: undefined,
  shopperFilters: [{ type: 'terms', field: 'brand', values: ['samsung'] }],
  sort: 'relevance',
  page: 1,
  size: 24,
  rerankWindow: 100,
  aggregations: defaultAggregations(undefined),
};

const json = (value: unknown) => JSON.stringify(value);

describe('retrieval request', () => {
  it('never uses query-string syntax queries, whatever the words', () => {
    const hostile = buildRetrieval({ ...input, terms: [{ text: 'a OR b* title:x', alternatives: [], role: 'word' }] });
    expect(json(hostile.body)).not.toMatch(/query_string|simple_query_string/);
    expect(json(hostile.body)).toContain('"query":"a OR b* title:x"'); // as data inside multi_match
  });

  it('requires every term in some field, searches alternatives, aims model numbers at the keyword', () => {
    const body = buildRetrieval({ ...input, terms: [...terms, { text: 'qn65q60d', alternatives: [], role: 'model_number' }] }).body;
    const must = (body.query as any).function_score.query.bool.must[0].bool.must;
    expect(must).toHaveLength(3);
    expect(json(must[1])).toContain('"query":"television"');
    expect(json(must[2])).toContain('"model_number":{"value":"qn65q60d"');
    expect(json(must[0])).toContain('brand.text^3');
  });

  it('puts plan filters in the query, shopper filters in post_filter, plan boosts as score multipliers', () => {
    const body = buildRetrieval(input).body as any;
    expect(body.query.function_score.query.bool.filter).toEqual([{ range: { price: { lte: 500 } } }]);
    expect(body.post_filter).toEqual({ bool: { filter: [{ terms: { 'brand.folded': ['samsung'] } }] } });
    expect(body.query.function_score.functions[0]).toEqual({ filter: { terms: { 'category.lvl1': ['TV & Home Theater > TVs'] } }, weight: 3 });
    expect(body.query.function_score.score_mode).toBe('multiply');
  });

  it('counts each facet without its own field\'s filter (multi-select)', () => {
    const aggs = buildRetrieval(input).body.aggs as any;
    expect(aggs.brand.filter).toEqual({ match_all: {} });
    expect(aggs.price.filter).toEqual({ bool: { filter: [{ terms: { 'brand.folded': ['samsung'] } }] } });
  });

  it('fetches the rerank window for relevance pages within it, and exactly the page otherwise', () => {
    expect(buildRetrieval({ ...input, page: 2 })).toMatchObject({ rerank: true, offset: 24, body: { from: 0, size: 100 } });
    expect(buildRetrieval({ ...input, page: 5 })).toMatchObject({ rerank: false, offset: 0, body: { from: 96, size: 24 } });
    expect(buildRetrieval({ ...input, sort: 'price_asc', page: 2 })).toMatchObject({ rerank: false, body: { from: 24, size: 24, sort: [{ price: 'asc' }, { popularity: 'desc' }, { id: 'asc' }] } });
  });

  it('filters a category by the field of its depth', () => {
    expect(categoryFilter('Appliances')).toEqual({ term: { 'category.lvl0': 'Appliances' } });
    expect(categoryFilter('Appliances > Refrigerators')).toEqual({ term: { 'category.lvl1': 'Appliances > Refrigerators' } });
    expect(() => categoryFilter('A > > B')).toThrow(InvalidParameter);
    expect(() => categoryFilter('1 > 2 > 3 > 4 > 5 > 6 > 7')).toThrow(/deeper/);
  });

  it('rejects pages past the result window, naming page', () => {
    expect(() => buildRetrieval({ ...input, page: 42, size: 24 })).toThrow(expect.objectContaining({ field: 'querystring.page' }));
    expect(() => buildRetrieval({ ...input, page: 10, size: 100 })).not.toThrow();
  });

  it('matches everything when there are no words, and highlights nothing', () => {
    const retrieval = buildRetrieval({ ...input, terms: [] });
    expect((retrieval.body as any).query.function_score.query.bool.must).toEqual([{ match_all: {} }]);
    expect(retrieval.highlighted).toBe('');
  });

  it('retrieves a page fetched as it is with the result fields; titles are highlighted afterwards with the words and their alternatives', () => {
    const retrieval = buildRetrieval({ ...input, sort: 'price_asc' });
    expect(retrieval.rerank).toBe(false);
    expect(retrieval.body._source).toEqual(SOURCE_FIELDS);
    expect(retrieval.body.highlight).toBeUndefined();
    expect(retrieval.highlighted).toBe('samsung tv television');
  });

  it('retrieves the rerank window in one request: the result fields of every candidate, no highlight', () => {
    const retrieval = buildRetrieval(input);
    expect(retrieval.rerank).toBe(true);
    expect(retrieval.body._source).toEqual(SOURCE_FIELDS);
    expect(retrieval.body.highlight).toBeUndefined();
    expect(retrieval.body.docvalue_fields).toBeUndefined();
    expect(retrieval.highlighted).toBe('samsung tv television');
  });

  it('probes make relaxed terms optional and stop at the first match', () => {
    const probe = probeRequest({ ...input, optional: new Set([1]) }) as any;
    expect(probe).toMatchObject({ size: 0, terminate_after: 1 });
    const text = probe.query.bool.must[0].function_score.query.bool.must[0].bool;
    expect(text.must).toHaveLength(1);
    expect(json(text.should)).toContain('"query":"tv"');
    expect(probe.query.bool.filter).toEqual([{ terms: { 'brand.folded': ['samsung'] } }]);
  });
});

describe('ranking match features in the window request', () => {
  const categories = [{ level: 1 as const, path: 'TV & Home Theater > TVs', probability: 0.9 }];

  it('adds the named queries as a filter that keeps the scored query, and asks for their scores', () => {
    const plain = buildRetrieval(input);
    const withFeatures = buildRetrieval({ ...input, rankingFeatures: { categories, leafCategories: undefined } });
    const body = withFeatures.body as any;
    expect(body.include_named_queries_score).toBe(true);
    expect(body.query.bool.must).toEqual([plain.body.query]);
    expect(json(body.query.bool.filter)).toContain('"_name":"text_title"');
    expect(json(body.query.bool.filter)).toContain('"_name":"category_lvl1_prob"');
  });

  it('leaves requests outside the rerank window alone', () => {
    const page = buildRetrieval({ ...input, sort: 'price_asc', rankingFeatures: { categories, leafCategories: undefined } });
    expect((page.body as any).include_named_queries_score).toBeUndefined();
    expect(json(page.body)).not.toContain('_name');
  });
});
