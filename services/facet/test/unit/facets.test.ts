import { loadTaxonomy, resolveDataDir } from '@search-mesh/catalog';
import type { AggregationResult, FacetConfig } from '@search-mesh/contracts';
import { AttributeCatalog } from '../../src/domain/attributes';
import { categoryChain, orderValues, planFacets, renderFacets, selectAggregations, usefulness } from '../../src/domain/facets';

const attributes = new AttributeCatalog(loadTaxonomy(resolveDataDir()));
const leaf = [...attributes.paths].find((p) => p.split(' > ').length === 3)!;
const [top, mid] = leaf.split(' > ');
const parent = `${top} > ${mid}`;

describe('planFacets: configuration inherited down the tree', () => {
  const configs = new Map<string, FacetConfig>([
    ['*', { category: '*', facets: [{ field: 'brand', display: 'terms', position: 10, size: 5 }, { field: 'price', display: 'price_buckets', position: 20 }] }],
    [top!, { category: top!, facets: [{ field: 'attr.color', display: 'swatch', position: 5 }, { field: 'price', display: 'price_buckets', position: 1, label: 'Cost' }] }],
    [parent, { category: parent, facets: [{ field: 'brand', display: 'terms', position: 10, enabled: false }] }],
  ]);

  it('lists the chain broadest first', () => {
    expect(categoryChain(leaf)).toEqual(['*', top, parent, leaf]);
    expect(categoryChain(undefined)).toEqual(['*']);
  });

  it('a child overrides a parent field by field, keeps the rest, and orders by position', () => {
    const planned = planFacets(configs, top, attributes);
    expect(planned.map((p) => [p.setting.field, p.source])).toEqual([
      ['price', top],
      ['attr.color', top],
      ['brand', '*'],
    ]);
    expect(planned[0]!.setting).toMatchObject({ label: 'Cost', display: 'price_buckets' });
  });

  it('enabled: false removes an inherited facet below that category only', () => {
    expect(planFacets(configs, leaf, attributes).map((p) => p.setting.field)).toEqual(['price', 'attr.color']);
    expect(planFacets(configs, undefined, attributes).map((p) => p.setting.field)).toEqual(['brand', 'price']);
  });

  it('without any configuration: built-in facets, then automatic attribute candidates of the category', () => {
    const planned = planFacets(new Map(), leaf, attributes);
    expect(planned.slice(0, 4).map((p) => p.setting.field)).toEqual(['category', 'brand', 'price', 'rating']);
    expect(planned.slice(4).every((p) => p.auto && p.setting.field.match(/^(attr|num)\./))).toBe(true);
    expect(planned.length).toBeGreaterThan(4);
  });

  it('autoFill adds automatic facets after configured ones', () => {
    const auto = new Map<string, FacetConfig>([['*', { category: '*', facets: [{ field: 'brand', display: 'terms', position: 0 }], autoFill: true }]]);
    const planned = planFacets(auto, leaf, attributes);
    expect(planned[0]!.setting.field).toBe('brand');
    expect(planned.slice(1).every((p) => p.auto)).toBe(true);
  });
});

describe('selectAggregations', () => {
  it('asks for the level below the category, terms with room for hidden values, and ranges', () => {
    const configs = new Map<string, FacetConfig>([
      [
        '*',
        {
          category: '*',
          facets: [
            { field: 'category', display: 'category', position: 0 },
            { field: 'brand', display: 'terms', position: 1, size: 5, hidden: ['X', 'Y'] },
            { field: 'num.screen_size_in', display: 'range', position: 2, ranges: [{ to: 40 }, { from: 40 }] },
            { field: 'in_stock', display: 'boolean', position: 3 },
          ],
        },
      ],
    ]);
    const aggs = selectAggregations(planFacets(configs, parent, attributes), parent);
    expect(aggs).toEqual([
      { name: 'category', kind: 'terms', field: 'category.lvl2', size: 30 },
      { name: 'brand', kind: 'terms', field: 'brand', size: 7 },
      { name: 'num.screen_size_in', kind: 'range', field: 'num.screen_size_in', ranges: [{ to: 40 }, { from: 40 }] },
      { name: 'in_stock', kind: 'terms', field: 'in_stock', size: 2 },
    ]);
  });
});

describe('values: order, pinned, hidden', () => {
  const values = ['LG', 'Samsung', 'Sony', 'apple'].map((v, i) => ({ value: v, label: v, count: 10 - i, selected: false, token: `brand:${v}` }));
  const names = (vs: Array<{ value: string }>) => vs.map((v) => v.value);
  it('count (as given), alphabetical, custom', () => {
    expect(names(orderValues(values, { field: 'brand', display: 'terms', position: 0 }))).toEqual(['LG', 'Samsung', 'Sony', 'apple']);
    expect(names(orderValues(values, { field: 'brand', display: 'terms', position: 0, valueOrder: 'alpha' }))).toEqual(['apple', 'LG', 'Samsung', 'Sony']);
    expect(names(orderValues(values, { field: 'brand', display: 'terms', position: 0, valueOrder: 'custom', customOrder: ['sony', 'Apple'] }))).toEqual(['Sony', 'apple', 'LG', 'Samsung']);
  });
  it('pinned first, hidden never, size cuts the rest but keeps a selected value', () => {
    const selected = values.map((v) => (v.value === 'Sony' ? { ...v, selected: true } : v));
    expect(names(orderValues(selected, { field: 'brand', display: 'terms', position: 0, pinned: ['apple'], hidden: ['lg'], size: 2 }))).toEqual(['apple', 'Samsung', 'Sony']);
  });
});

describe('renderFacets and automatic choice', () => {
  const agg = (name: string, buckets: Array<[string, number]>): AggregationResult => ({ name, kind: 'terms', field: name, buckets: buckets.map(([key, count]) => ({ key, count })) });

  it('scores coverage times split', () => {
    expect(usefulness(agg('attr.a', [['x', 50], ['y', 50]]), 100).score).toBeCloseTo(1, 5);
    expect(usefulness(agg('attr.a', [['x', 99], ['y', 1]]), 100).score).toBeLessThan(0.2);
    expect(usefulness(agg('attr.a', [['x', 5], ['y', 5]]), 100).coverage).toBeCloseTo(0.1);
  });

  it('keeps automatic facets that split well, drops those that do not, configured ones always', () => {
    const planned = [
      { setting: { field: 'brand' as const, display: 'terms' as const, position: 0 }, auto: false, source: '*' },
      { setting: { field: 'attr.good', display: 'terms' as const, position: 1 }, auto: true, source: 'automatic' },
      { setting: { field: 'attr.dominated', display: 'terms' as const, position: 2 }, auto: true, source: 'automatic' },
      { setting: { field: 'attr.rare', display: 'terms' as const, position: 3 }, auto: true, source: 'automatic' },
    ];
    const facets = renderFacets(
      planned,
      {
        category: undefined,
        filters: [],
        total: 100,
        aggregations: [agg('brand', [['A', 99], ['B', 1]]), agg('attr.good', [['x', 40], ['y', 35], ['z', 25]]), agg('attr.dominated', [['x', 98], ['y', 2]]), agg('attr.rare', [['x', 3], ['y', 3]])],
      },
      attributes,
    );
    expect(facets.map((f) => f.name)).toEqual(['brand', 'attr.good']);
    expect(facets[1]!.values.map((v) => v.token)).toEqual(['attr.good:x', 'attr.good:y', 'attr.good:z']);
  });

  it('numeric terms become exact ranges; booleans read yes/no; category values drill down', () => {
    const planned = [
      { setting: { field: 'category' as const, display: 'category' as const, position: 0 }, auto: false, source: '*' },
      { setting: { field: 'num.screen_size_in', display: 'terms' as const, position: 1 }, auto: false, source: '*' },
      { setting: { field: 'in_stock', display: 'boolean' as const, position: 2 }, auto: false, source: '*' },
    ];
    const facets = renderFacets(
      planned,
      {
        category: 'A',
        filters: [{ type: 'range', field: 'num.screen_size_in', gte: 55, lte: 55 }],
        total: 10,
        aggregations: [
          { name: 'category', kind: 'terms', field: 'category.lvl1', buckets: [{ key: 'A > B', count: 4 }] },
          agg('num.screen_size_in', [['55', 6], ['65', 4]]),
          agg('in_stock', [['true', 8], ['false', 2]]),
        ],
      },
      attributes,
    );
    expect(facets[0]).toMatchObject({ type: 'category', param: 'category', values: [{ value: 'A > B', label: 'B', token: 'A > B' }] });
    expect(facets[1]!.values[0]).toMatchObject({ token: 'num.screen_size_in:55..55', selected: true });
    expect(facets[1]!.label).toBe('Screen size');
    expect(facets[2]!.values.map((v) => v.label)).toEqual(['Yes', 'No']);
  });
});
