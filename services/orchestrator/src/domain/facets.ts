import type { AggregationResult, Facet, FacetAggregation, FacetValue, SearchFilter } from '@search-mesh/contracts';
import { CATEGORY_LEVELS, CATEGORY_SEPARATOR } from '@search-mesh/search-index';
import { rangeToken, termsToken } from './filters';

/** Price bands of the built-in facets, [from, to) like Elasticsearch's range aggregation. */
export const PRICE_BANDS: ReadonlyArray<{ from?: number; to?: number }> = [
  { to: 50 },
  { from: 50, to: 100 },
  { from: 100, to: 250 },
  { from: 250, to: 500 },
  { from: 500, to: 1000 },
  { from: 1000, to: 2000 },
  { from: 2000 },
];
export const RATING_FLOORS = [4, 3, 2, 1] as const;

function categoryDepth(category: string | undefined): number {
  return category === undefined ? 0 : category.split(CATEGORY_SEPARATOR.trim()).length;
}

/**
 * The aggregations computed when the facet service cannot say which: the category level below the one
 * the shopper is in, brands, price bands and rating floors. No attribute facets: which attributes matter
 * for a category is the facet service's knowledge.
 */
export function defaultAggregations(category: string | undefined): FacetAggregation[] {
  const specs: FacetAggregation[] = [];
  const depth = categoryDepth(category);
  if (depth < CATEGORY_LEVELS) specs.push({ name: 'category', kind: 'terms', field: `category.lvl${depth}`, size: 30, label: 'Category' });
  specs.push({ name: 'brand', kind: 'terms', field: 'brand', size: 20, label: 'Brand' });
  specs.push({ name: 'price', kind: 'range', field: 'price', ranges: PRICE_BANDS.map((b) => ({ ...b })), label: 'Price' });
  specs.push({ name: 'rating', kind: 'range', field: 'rating', ranges: RATING_FLOORS.map((from) => ({ from })), label: 'Customer rating' });
  return specs;
}

/** `attr.screen_type` → "Screen type". */
export function humanise(field: string): string {
  const last = field.split('.').pop() ?? field;
  const words = last.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const money = (n: number) => `$${n.toLocaleString('en-US', { maximumFractionDigits: 2 })}`;

function rangeLabel(field: string, from: number | undefined, to: number | undefined): string {
  if (field === 'price') {
    if (from === undefined && to !== undefined) return `Under ${money(to)}`;
    if (to === undefined && from !== undefined) return `${money(from)} & up`;
    return `${money(from ?? 0)} – ${money(to ?? 0)}`;
  }
  if (field === 'rating' && to === undefined && from !== undefined) return `${from}★ & up`;
  if (from === undefined) return `under ${to}`;
  if (to === undefined) return `${from} & up`;
  return `${from} – ${to}`;
}

function rangeValues(agg: AggregationResult, selected: SearchFilter | undefined): FacetValue[] {
  // Open-ended floors ("4★ & up") read best from the highest; Elasticsearch returns them lowest first.
  const floors = agg.buckets.every((b) => b.to === undefined && b.from !== undefined);
  const buckets = floors ? [...agg.buckets].sort((a, b) => b.from! - a.from!) : agg.buckets;
  return buckets
    .filter((b) => b.count > 0)
    .map((b) => ({
      value: `${b.from ?? ''}..${b.to ?? ''}`,
      label: rangeLabel(agg.field, b.from, b.to),
      count: b.count,
      selected: selected?.type === 'range' && selected.gte === b.from && selected.lte === b.to,
      token: rangeToken(agg.field, b.from, b.to),
    }));
}

function termValues(agg: AggregationResult, selected: SearchFilter | undefined): FacetValue[] {
  const chosen = new Set(selected?.type === 'terms' ? selected.values.map((v) => v.toLowerCase()) : []);
  const values: FacetValue[] = agg.buckets
    .filter((b) => b.count > 0)
    .map((b) => ({ value: b.key, label: b.key, count: b.count, selected: chosen.has(b.key.toLowerCase()), token: termsToken(agg.field, [b.key]) }));
  // A selected value the aggregation did not return stays listed, so the shopper can untick it.
  for (const value of selected?.type === 'terms' ? selected.values : []) {
    if (!values.some((v) => v.value.toLowerCase() === value.toLowerCase())) values.push({ value, label: value, count: 0, selected: true, token: termsToken(agg.field, [value]) });
  }
  return values;
}

function categoryValues(agg: AggregationResult): FacetValue[] {
  return agg.buckets
    .filter((b) => b.count > 0)
    .map((b) => ({ value: b.key, label: b.key.split(CATEGORY_SEPARATOR).pop() ?? b.key, count: b.count, selected: false, token: b.key }));
}

/**
 * Facets made from plain aggregation results, when the facet service cannot make them: every non-empty
 * aggregation in the order computed, values by count (as Elasticsearch returned them), the shopper's
 * selections marked.
 */
export function fallbackFacets(aggregations: readonly AggregationResult[], shopperFilters: readonly SearchFilter[]): Facet[] {
  const facets: Facet[] = [];
  for (const agg of aggregations) {
    const selected = shopperFilters.find((f) => f.field === agg.field);
    const label = agg.label ?? humanise(agg.field);
    if (agg.kind === 'stats') {
      if (agg.stats === undefined || agg.stats.count === 0 || agg.stats.min === null || agg.stats.max === null) continue;
      facets.push({ name: agg.name, label, field: agg.field, type: 'slider', param: 'filter', values: [], min: agg.stats.min, max: agg.stats.max });
      continue;
    }
    if (agg.field.startsWith('category.')) {
      const values = categoryValues(agg);
      if (values.length > 0) facets.push({ name: agg.name, label, field: agg.field, type: 'category', param: 'category', values });
      continue;
    }
    const values = agg.kind === 'range' ? rangeValues(agg, selected) : termValues(agg, selected);
    if (values.length > 0) facets.push({ name: agg.name, label, field: agg.field, type: agg.kind === 'range' ? 'range' : 'list', param: 'filter', values });
  }
  return facets;
}
