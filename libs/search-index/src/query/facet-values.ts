/**
 * Aggregation results → facet values the storefront shows (labels, counts, selection, the filter token a
 * click adds). Shared by the facet service, which orders and trims them by the merchandisers'
 * configuration, and the orchestrator's built-in facets for when the facet service cannot answer.
 */
import { type AggregationResult, type FacetValue, isNumericField, rangeToken, type SearchFilter, termsToken } from '@search-mesh/contracts';
import { CATEGORY_SEPARATOR } from '../document';

/** Price bands of a price facet that names none, [from, to) like Elasticsearch's range aggregation. */
export const PRICE_BANDS: ReadonlyArray<{ from?: number; to?: number }> = [
  { to: 50 },
  { from: 50, to: 100 },
  { from: 100, to: 250 },
  { from: 250, to: 500 },
  { from: 500, to: 1000 },
  { from: 1000, to: 2000 },
  { from: 2000 },
];
/** Floors of the customer-rating facet ("4★ & up"). */
export const RATING_FLOORS: readonly number[] = [4, 3, 2, 1];

/** How many levels deep a category path is ("A > B" → 2; none → 0): the level its drill-down facet shows. */
export function categoryDepth(category: string | undefined): number {
  return category === undefined ? 0 : category.split(CATEGORY_SEPARATOR.trim()).length;
}

/** `attr.screen_type` → "Screen type". */
export function humanise(field: string): string {
  const last = field.split('.').pop() ?? field;
  const words = last.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

// Made once: creating a formatter per call (toLocaleString with options) costs tens of µs.
const MONEY = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const money = (n: number) => `$${MONEY.format(n)}`;

export function rangeLabel(field: string, from: number | undefined, to: number | undefined): string {
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

const lower = (v: string) => v.toLowerCase();

/**
 * A terms aggregation's values, by count as Elasticsearch returned them. Numeric fields filter by the exact
 * number; `boolean` display labels true/false Yes/No. A value the shopper selected that the aggregation
 * did not return stays listed (count 0), so it can be unticked.
 */
export function termValues(agg: AggregationResult, selected: SearchFilter | undefined, display?: 'boolean' | string): FacetValue[] {
  const numeric = isNumericField(agg.field);
  const chosen = new Set(selected?.type === 'terms' ? selected.values.map(lower) : []);
  const values: FacetValue[] = agg.buckets
    .filter((b) => b.count > 0)
    .map((b) => {
      if (numeric) {
        const n = Number(b.key);
        return { value: b.key, label: b.key, count: b.count, selected: selected?.type === 'range' && selected.gte === n && selected.lte === n, token: rangeToken(agg.field, n, n) };
      }
      const label = display === 'boolean' ? (b.key === 'true' ? 'Yes' : b.key === 'false' ? 'No' : b.key) : b.key;
      return { value: b.key, label, count: b.count, selected: chosen.has(lower(b.key)), token: termsToken(agg.field, [b.key]) };
    });
  for (const value of selected?.type === 'terms' ? selected.values : []) {
    if (!values.some((v) => lower(v.value) === lower(value))) values.push({ value, label: value, count: 0, selected: true, token: termsToken(agg.field, [value]) });
  }
  return values;
}

/** A range aggregation's non-empty bands; open-ended floors ("4★ & up") highest first. */
export function rangeValues(agg: AggregationResult, selected: SearchFilter | undefined): FacetValue[] {
  // Elasticsearch returns floors lowest first; they read best from the highest.
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
