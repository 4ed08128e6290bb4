import {
  type AggregationResult,
  type Facet,
  type FacetAggregation,
  type FacetConfig,
  type FacetSetting,
  type FacetValue,
  ROOT_CATEGORY,
  type SearchFilter,
} from '@search-mesh/contracts';
import { CATEGORY_LEVELS, CATEGORY_SEPARATOR, categoryDepth, humanise, PRICE_BANDS, RATING_FLOORS, rangeValues, termValues } from '@search-mesh/search-index';
import type { AttributeCatalog } from './attributes';

export const DEFAULT_VALUES = 10;
/** Automatically chosen attribute facets shown at most, and the least coverage and split they need. */
export const AUTO = { maxFacets: 5, minCoverage: 0.3, minSplit: 0.2 } as const;

/** A facet to compute and show; `auto` ones are shown only if the results make them useful. */
export interface PlannedFacet {
  setting: FacetSetting;
  auto: boolean;
  /** Where the facet's setting comes from ("*", a category path, or "automatic"). */
  source: string;
}

/** "A > B > C" → ["*", "A", "A > B", "A > B > C"]: the configurations that apply, broadest first. */
export function categoryChain(category: string | undefined): string[] {
  const chain = [ROOT_CATEGORY];
  if (category === undefined) return chain;
  const names = category.split(CATEGORY_SEPARATOR.trim()).map((n) => n.trim());
  for (let i = 1; i <= names.length; i++) chain.push(names.slice(0, i).join(CATEGORY_SEPARATOR));
  return chain;
}

/** The built-in facets of a category nobody configured: drill-down, brand, price, rating. */
export function builtinSettings(): FacetSetting[] {
  return [
    { field: 'category', display: 'category', position: 0, label: 'Category' },
    { field: 'brand', display: 'terms', position: 10, label: 'Brand', size: 20 },
    { field: 'price', display: 'price_buckets', position: 20, label: 'Price' },
    { field: 'rating', display: 'range', position: 30, label: 'Customer rating', ranges: RATING_FLOORS.map((from) => ({ from })) },
  ];
}

/**
 * The facets of a category: its own configuration over its parents' (a deeper setting of a field
 * replaces the inherited one property by property; `enabled: false` removes it), ordered by position.
 * Where no category on the path is configured, the built-in facets and the attributes the category's
 * products most often carry (kept only when they split the results well, see `renderFacets`).
 */
export function planFacets(configs: ReadonlyMap<string, FacetConfig>, category: string | undefined, attributes: AttributeCatalog): PlannedFacet[] {
  const merged = new Map<string, { setting: FacetSetting; source: string }>();
  let configured = false;
  let autoFill = false;
  for (const key of categoryChain(category)) {
    const config = configs.get(key);
    if (config === undefined) continue;
    configured = true;
    if (config.autoFill !== undefined) autoFill = config.autoFill;
    for (const setting of config.facets) {
      const held = merged.get(setting.field);
      merged.set(setting.field, { setting: { ...held?.setting, ...setting }, source: key });
    }
  }
  const planned: PlannedFacet[] = configured
    ? [...merged.values()].filter((m) => m.setting.enabled !== false).map((m) => ({ setting: m.setting, auto: false, source: m.source }))
    : builtinSettings().map((setting) => ({ setting, auto: false, source: 'built-in' }));
  planned.sort((a, b) => a.setting.position - b.setting.position || a.setting.field.localeCompare(b.setting.field));
  if (!configured || autoFill) {
    const taken = new Set([...merged.keys(), ...planned.map((p) => p.setting.field)]);
    const last = planned.reduce((max, p) => Math.max(max, p.setting.position), 0);
    attributes
      .candidates(category)
      .filter((c) => !taken.has(c.field))
      .forEach((c, i) => planned.push({ setting: { field: c.field, label: c.label, display: 'terms', position: last + 1 + i, size: DEFAULT_VALUES }, auto: true, source: 'automatic' }));
  }
  return planned;
}

/** The aggregation name of a facet: its field (`category` for the drill-down). */
export const aggregationName = (setting: FacetSetting) => setting.field;

/** The aggregations Elasticsearch computes for the planned facets. */
export function selectAggregations(planned: readonly PlannedFacet[], category: string | undefined): FacetAggregation[] {
  const aggs: FacetAggregation[] = [];
  for (const { setting } of planned) {
    const name = aggregationName(setting);
    const label = setting.label !== undefined ? { label: setting.label } : {};
    if (setting.display === 'category') {
      const depth = categoryDepth(category);
      if (depth < CATEGORY_LEVELS) aggs.push({ name, kind: 'terms', field: `category.lvl${depth}`, size: setting.size ?? 30, ...label });
      continue;
    }
    if (setting.field === 'category') continue;
    if (setting.display === 'range' || setting.display === 'price_buckets') {
      const ranges = setting.ranges ?? PRICE_BANDS;
      aggs.push({ name, kind: 'range', field: setting.field, ranges: ranges.map((r) => ({ ...r })), ...label });
      continue;
    }
    // Room for the values hidden or pinned, and for a custom order to find its values among more.
    const extra = (setting.hidden?.length ?? 0) + (setting.pinned?.length ?? 0);
    const size = setting.display === 'boolean' ? 2 : Math.min(200, (setting.valueOrder === 'custom' ? 50 : (setting.size ?? DEFAULT_VALUES)) + extra);
    aggs.push({ name, kind: 'terms', field: setting.field, size, ...label });
  }
  return aggs.slice(0, 40);
}

// Made once: a collator per call (localeCompare with options) costs tens of µs.
const ALPHA = new Intl.Collator('en', { numeric: true });
const lower = (v: string) => v.toLowerCase();

/** Values in the merchandiser's order: pinned first, then by count, name or the custom list; hidden ones never. */
export function orderValues(values: FacetValue[], setting: FacetSetting): FacetValue[] {
  const hidden = new Set((setting.hidden ?? []).map(lower));
  let kept = values.filter((v) => !hidden.has(lower(v.value)));
  if (setting.valueOrder === 'alpha') kept = [...kept].sort((a, b) => ALPHA.compare(a.label, b.label));
  else if (setting.valueOrder === 'custom') {
    const rank = new Map((setting.customOrder ?? []).map((v, i) => [lower(v), i]));
    kept = [...kept].sort((a, b) => (rank.get(lower(a.value)) ?? Infinity) - (rank.get(lower(b.value)) ?? Infinity) || b.count - a.count);
  }
  const pinned = (setting.pinned ?? []).map(lower);
  const pinnedValues = pinned.flatMap((p) => kept.filter((v) => lower(v.value) === p));
  const rest = kept.filter((v) => !pinned.includes(lower(v.value)));
  const limit = Math.max(setting.size ?? DEFAULT_VALUES, pinnedValues.length);
  const shown = [...pinnedValues, ...rest].slice(0, limit);
  // A value the shopper selected stays listed, so it can be unticked.
  for (const v of kept) if (v.selected && !shown.includes(v)) shown.push(v);
  return shown;
}

/**
 * How useful an automatic facet is for these results: coverage (share of results that have a value)
 * times split (normalised entropy of the values: 0 when one value holds everything, 1 when even).
 */
export function usefulness(agg: AggregationResult, total: number): { coverage: number; split: number; score: number } {
  const counts = agg.buckets.map((b) => b.count).filter((c) => c > 0);
  const sum = counts.reduce((a, b) => a + b, 0);
  const coverage = total === 0 ? 0 : Math.min(1, sum / total);
  let split = 0;
  if (counts.length > 1) {
    const entropy = counts.reduce((h, c) => h - (c / sum) * Math.log(c / sum), 0);
    split = entropy / Math.log(counts.length);
    // Two values, one with nearly everything, still split nothing.
    split *= 1 - Math.max(...counts) / sum + 1 / counts.length;
    split = Math.min(1, split);
  }
  return { coverage, split, score: coverage * split };
}

export interface RenderInput {
  category: string | undefined;
  filters: readonly SearchFilter[];
  total: number;
  aggregations: readonly AggregationResult[];
}

/** The facets to show, from the aggregation results, in the planned order. */
export function renderFacets(planned: readonly PlannedFacet[], input: RenderInput, attributes: AttributeCatalog): Facet[] {
  const byName = new Map(input.aggregations.map((a) => [a.name, a]));
  const facets: Facet[] = [];
  const autos: Array<{ facet: Facet; score: number }> = [];
  for (const { setting, auto } of planned) {
    const agg = byName.get(aggregationName(setting));
    if (agg === undefined) continue;
    const label = setting.label ?? attributes.label(setting.field) ?? humanise(setting.field);
    const selected = input.filters.find((f) => f.field === agg.field);
    if (setting.display === 'category') {
      const values = agg.buckets
        .filter((b) => b.count > 0)
        .map((b) => ({ value: b.key, label: b.key.split(CATEGORY_SEPARATOR).pop() ?? b.key, count: b.count, selected: false, token: b.key }));
      const ordered = orderValues(values, { ...setting, size: setting.size ?? 30 });
      if (ordered.length > 0) facets.push({ name: agg.name, label, field: agg.field, type: 'category', param: 'category', values: ordered, display: 'category' });
      continue;
    }
    if (agg.kind === 'range') {
      const values = rangeValues(agg, selected);
      if (values.length > 0) facets.push({ name: agg.name, label, field: agg.field, type: 'range', param: 'filter', values, display: setting.display });
      continue;
    }
    const values = orderValues(termValues(agg, selected, setting.display), setting);
    if (values.length === 0) continue;
    const facet: Facet = { name: agg.name, label, field: agg.field, type: 'list', param: 'filter', values, display: setting.display };
    if (!auto) facets.push(facet);
    else {
      const { coverage, split, score } = usefulness(agg, input.total);
      // A facet the shopper already uses stays, whatever it splits.
      if (selected !== undefined || (coverage >= AUTO.minCoverage && split >= AUTO.minSplit && values.length > 1)) autos.push({ facet, score: selected !== undefined ? Infinity : score });
    }
  }
  autos.sort((a, b) => b.score - a.score);
  return [...facets, ...autos.slice(0, AUTO.maxFacets).map((a) => a.facet)].slice(0, 40);
}
