import type { AggregationResult } from '@search-mesh/contracts';
import { humanise } from '@search-mesh/search-index';
import { defaultAggregations, fallbackFacets } from '../../src/domain/facets';
import { parseFilter } from '../../src/domain/filters';

describe('built-in aggregations', () => {
  it('aggregate the category level below the one the shopper is in', () => {
    expect(defaultAggregations(undefined)[0]).toMatchObject({ name: 'category', field: 'category.lvl0' });
    expect(defaultAggregations('Appliances > Refrigerators')[0]).toMatchObject({ field: 'category.lvl2' });
    expect(defaultAggregations('A > B > C > D > E > F').map((a) => a.name)).toEqual(['brand', 'price', 'rating']);
  });
});

describe('fallback facets', () => {
  const aggs: AggregationResult[] = [
    { name: 'category', kind: 'terms', field: 'category.lvl1', label: 'Category', buckets: [{ key: 'TV & Home Theater > TVs', count: 40 }] },
    { name: 'brand', kind: 'terms', field: 'brand', buckets: [{ key: 'Samsung', count: 30 }, { key: 'LG', count: 10 }, { key: 'Empty', count: 0 }] },
    { name: 'price', kind: 'range', field: 'price', label: 'Price', buckets: [{ key: '*-50.0', to: 50, count: 3 }, { key: '50.0-100.0', from: 50, to: 100, count: 0 }, { key: '2000.0-*', from: 2000, count: 5 }] },
    { name: 'rating', kind: 'range', field: 'rating', buckets: [{ key: '3.0-*', from: 3, count: 9 }, { key: '4.0-*', from: 4, count: 7 }] },
    { name: 'size', kind: 'stats', field: 'num.screen_size_in', buckets: [], stats: { count: 40, min: 32, max: 85 } },
    { name: 'nothing', kind: 'terms', field: 'attr.color', buckets: [] },
  ];

  it('turns aggregations into facets, dropping empty values and facets', () => {
    const facets = fallbackFacets(aggs, []);
    expect(facets.map((f) => [f.name, f.type, f.param])).toEqual([
      ['category', 'category', 'category'],
      ['brand', 'list', 'filter'],
      ['price', 'range', 'filter'],
      ['rating', 'range', 'filter'],
      ['size', 'slider', 'filter'],
    ]);
    expect(facets[0]!.values[0]).toMatchObject({ label: 'TVs', token: 'TV & Home Theater > TVs' });
    expect(facets[1]!.values.map((v) => v.value)).toEqual(['Samsung', 'LG']);
    expect(facets[2]!.values.map((v) => v.label)).toEqual(['Under $50', '$2,000 & up']);
    expect(facets[3]!.values.map((v) => v.label)).toEqual(['4★ & up', '3★ & up']);
    expect(facets[4]).toMatchObject({ min: 32, max: 85, label: 'Screen size in' });
  });

  it('value tokens are filters that select exactly that value', () => {
    const facets = fallbackFacets(aggs, []);
    expect(parseFilter(facets[1]!.values[0]!.token)).toEqual({ type: 'terms', field: 'brand', values: ['Samsung'] });
    expect(parseFilter(facets[2]!.values[1]!.token)).toEqual({ type: 'range', field: 'price', gte: 2000 });
  });

  it('marks selections, case-insensitively, and keeps a selected value the aggregation lacks', () => {
    const facets = fallbackFacets(aggs, [
      { type: 'terms', field: 'brand', values: ['samsung', 'Sony'] },
      { type: 'range', field: 'price', lte: 50 },
    ]);
    expect(facets[1]!.values.map((v) => [v.value, v.selected, v.count])).toEqual([
      ['Samsung', true, 30],
      ['LG', false, 10],
      ['Sony', true, 0],
    ]);
    expect(facets[2]!.values.map((v) => v.selected)).toEqual([true, false]);
  });

  it('labels fields for people', () => {
    expect(humanise('attr.screen_type')).toBe('Screen type');
    expect(humanise('brand')).toBe('Brand');
  });
});
