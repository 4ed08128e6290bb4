import type { estypes } from '@elastic/elasticsearch';
import type { AggregationResult, FacetAggregation, SearchFilter } from '@search-mesh/contracts';
import { conditionQuery } from './conditions';

/** The inner aggregation's name inside each facet's filter aggregation. */
const INNER = 'values';

function inner(spec: FacetAggregation): estypes.AggregationsAggregationContainer {
  switch (spec.kind) {
    case 'terms':
      return { terms: { field: spec.field, size: spec.size } };
    case 'range':
      return { range: { field: spec.field, ranges: spec.ranges.map((r) => ({ ...(r.from !== undefined ? { from: r.from } : {}), ...(r.to !== undefined ? { to: r.to } : {}) })) } };
    case 'stats':
      return { stats: { field: spec.field } };
  }
}

/**
 * Aggregations for facets, multi-select style: each counts with every shopper filter except those on its
 * own field, so a shopper who ticked "Samsung" still sees how many LG products there are. The shopper's
 * filters must then go in `post_filter` (they narrow the hits, not the aggregations).
 */
export function facetAggregations(specs: readonly FacetAggregation[], shopperFilters: readonly SearchFilter[]): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const spec of specs) {
    const others = shopperFilters.filter((f) => f.field !== spec.field).map(conditionQuery);
    aggs[spec.name] = { filter: others.length === 0 ? { match_all: {} } : { bool: { filter: others } }, aggs: { [INNER]: inner(spec) } };
  }
  return aggs;
}

interface RawBucket {
  key?: string | number;
  key_as_string?: string;
  doc_count?: number;
  from?: number | null;
  to?: number | null;
}

/** Turns Elasticsearch's answer to `facetAggregations` back into plain results, in the specs' order. */
export function readAggregations(specs: readonly FacetAggregation[], aggregations: Record<string, unknown> | undefined): AggregationResult[] {
  const results: AggregationResult[] = [];
  for (const spec of specs) {
    const wrapper = aggregations?.[spec.name] as { [INNER]?: { buckets?: RawBucket[]; count?: number; min?: number | null; max?: number | null } } | undefined;
    const values = wrapper?.[INNER];
    if (values === undefined) continue;
    const result: AggregationResult = { name: spec.name, kind: spec.kind, field: spec.field, buckets: [] };
    if (spec.label !== undefined) result.label = spec.label;
    if (spec.kind === 'stats') {
      result.stats = { count: values.count ?? 0, min: values.min ?? null, max: values.max ?? null };
    } else {
      for (const b of values.buckets ?? []) {
        const bucket: AggregationResult['buckets'][number] = { key: String(b.key_as_string ?? b.key ?? ''), count: b.doc_count ?? 0 };
        if (typeof b.from === 'number') bucket.from = b.from;
        if (typeof b.to === 'number') bucket.to = b.to;
        result.buckets.push(bucket);
      }
    }
    results.push(result);
  }
  return results;
}
