/**
 * What the facet service's own work costs per search, in process (no HTTP): `select` (plan the facets,
 * the aggregations, the merchandising actions) and `render` (the facets from aggregation results), for
 * the real test queries and their categories, side by side: an empty configuration (automatic facets)
 * against a loaded one (every top category and 100 second-level ones configured, 1,000 rules). Rounds
 * alternate; medians and p99 per call. Usage: npx tsx services/facet/bench/select-render.ts [--calls 20000] [--rounds 3]
 */
import { performance } from 'node:perf_hooks';
import { loadQueries, loadTaxonomy, resolveDataDir } from '@search-mesh/catalog';
import type { AggregationResult, FacetConfig, MerchRule } from '@search-mesh/contracts';
import { AttributeCatalog } from '../src/domain/attributes';
import { planFacets, renderFacets, selectAggregations } from '../src/domain/facets';
import { merchandisingFor } from '../src/domain/rules';
import { ConfigState } from '../src/domain/state';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 20_000);
const ROUNDS = arg('rounds', 3);

const dir = resolveDataDir();
const taxonomy = loadTaxonomy(dir);
const attributes = new AttributeCatalog(taxonomy);
const queries = loadQueries(dir).slice(0, 1000);
const categories = [undefined, ...[...attributes.paths].slice(0, 200)];

function loaded(): ConfigState {
  const state = new ConfigState();
  const paths = [...attributes.paths];
  const configured = [...taxonomy.roots.map((r) => r.name), ...paths.filter((p) => p.split(' > ').length === 2).slice(0, 100)];
  const now = new Date().toISOString();
  for (const category of ['*', ...configured]) {
    const body: FacetConfig = {
      category,
      autoFill: true,
      facets: [
        { field: 'category', display: 'category', position: 0 },
        { field: 'brand', display: 'terms', position: 10, size: 8, pinned: ['Samsung'], hidden: ['Generic'] },
        { field: 'price', display: 'price_buckets', position: 20 },
        { field: 'attr.color', display: 'swatch', position: 30, valueOrder: 'alpha' },
      ],
    };
    state.apply({ kind: 'facets', id: category, version: 1, body, updatedAt: now, updatedBy: 'bench' });
  }
  for (let i = 0; i < 1000; i++) {
    const body: MerchRule = {
      id: `rule-${i}`,
      match: i % 2 === 0 ? { queries: [queries[i % queries.length]!.query] } : { categories: [paths[i % paths.length]!] },
      actions: [{ type: 'boost', condition: { type: 'terms', field: 'brand', values: ['LG'] }, weight: 2 }, { type: 'pin', products: [{ id: `p${i}`, position: 1 }] }],
    };
    state.apply({ kind: 'rule', id: body.id, version: 1, body, updatedAt: now, updatedBy: 'bench' });
  }
  return state;
}

/** Aggregation results shaped like Elasticsearch's for the planned aggregations. */
function results(aggs: ReturnType<typeof selectAggregations>): AggregationResult[] {
  return aggs.map((a, i) => ({
    name: a.name,
    kind: a.kind,
    field: a.field,
    buckets:
      a.kind === 'range'
        ? a.ranges.map((r, j) => ({ key: `${j}`, count: 10 + j, ...r }))
        : Array.from({ length: a.kind === 'terms' ? Math.min(a.size, 12) : 0 }, (_, j) => ({ key: a.field.startsWith('num.') ? `${j * 5}` : `v${i}-${j}`, count: 100 - j * 7 })),
  }));
}

function measure(state: ConfigState): { select: number[]; render: number[] } {
  const select: number[] = [];
  const render: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const query = queries[i % queries.length]!.query;
    const category = categories[i % categories.length];
    let t = performance.now();
    const planned = planFacets(state.facetConfigs(), category, attributes);
    const aggs = selectAggregations(planned, category);
    merchandisingFor(state.merchRules(), query, category, Date.now());
    select.push(performance.now() - t);
    const aggregationResults = results(aggs);
    t = performance.now();
    renderFacets(planFacets(state.facetConfigs(), category, attributes), { category, filters: [], total: 500, aggregations: aggregationResults }, attributes);
    render.push(performance.now() - t);
  }
  return { select, render };
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
const variants = { empty: new ConfigState(), loaded: loaded() };
measure(variants.empty);
measure(variants.loaded);
console.log(`${CALLS} calls per variant and round, ${ROUNDS} rounds alternating (shared machine: compare within this run)`);
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, state] of Object.entries(variants)) {
    const { select, render } = measure(state);
    console.log(`round ${round} ${name.padEnd(6)}  select median ${us(q(select, 0.5))} p99 ${us(q(select, 0.99))}   render median ${us(q(render, 0.5))} p99 ${us(q(render, 0.99))}`);
  }
}
