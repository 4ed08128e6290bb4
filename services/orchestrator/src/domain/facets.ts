import type { AggregationResult, Facet, FacetAggregation, FacetValue, SearchFilter } from '@search-mesh/contracts';
import { CATEGORY_LEVELS, CATEGORY_SEPARATOR, categoryDepth, humanise, PRICE_BANDS, RATING_FLOORS, rangeValues, termValues } from '@search-mesh/search-index';

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
