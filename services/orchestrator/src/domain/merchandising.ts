import type { estypes } from '@elastic/elasticsearch';
import type { MerchandisingActions } from '@search-mesh/contracts';
import { conditionQuery } from '@search-mesh/search-index';

/**
 * The merchandising actions the facet service chose for a search, applied in two places: filters,
 * boosts, buries and a lift for pinned products in the Elasticsearch query (so they hold for every
 * page and sort), then — in relevance order, after ranking — buried products moved last and pinned ones
 * put at their positions (so a ranking model cannot undo a merchandiser's decision).
 */

/** Multiplies a buried product's score: far below anything unburied. */
export const BURY_WEIGHT = 1e-4;
/** Lifts a pinned product into the rerank window whenever it matches. */
export const PIN_LIFT = 1e4;
/** The named query that marks buried hits (`matched_queries`). */
export const BURIED = 'merch_buried';

function buryQueries(actions: MerchandisingActions): estypes.QueryDslQueryContainer[] {
  const queries = actions.buries.map(conditionQuery);
  if (actions.buriedProducts.length > 0) queries.push({ ids: { values: [...actions.buriedProducts] } });
  return queries;
}

/** What the actions add to the scored query: filters, score functions and the clause that names buried hits. */
export function merchandisingClauses(actions: MerchandisingActions | undefined): {
  filters: estypes.QueryDslQueryContainer[];
  functions: estypes.QueryDslFunctionScoreContainer[];
  should: estypes.QueryDslQueryContainer[];
} {
  if (actions === undefined) return { filters: [], functions: [], should: [] };
  const filters = actions.filters.map(conditionQuery);
  const functions: estypes.QueryDslFunctionScoreContainer[] = actions.boosts.map((b) => ({ filter: conditionQuery(b.condition), weight: b.weight }));
  const buries = buryQueries(actions);
  for (const filter of buries) functions.push({ filter, weight: BURY_WEIGHT });
  if (actions.pins.length > 0) functions.push({ filter: { ids: { values: actions.pins.map((p) => p.id) } }, weight: PIN_LIFT });
  // Scores nothing (filter context); only marks the hit so buries survive reranking.
  const should: estypes.QueryDslQueryContainer[] = buries.length > 0 ? [{ bool: { filter: [{ bool: { should: buries, minimum_should_match: 1 } }], _name: BURIED } }] : [];
  return { filters, functions, should };
}

/**
 * The final relevance order: buried products after all others (each group keeping its order), then
 * every pinned product that was retrieved at its 1-based position (or last, when fewer results).
 */
export function placeMerchandised<T extends { id: string }>(candidates: readonly T[], actions: MerchandisingActions | undefined, buried: ReadonlySet<string>): T[] {
  if (actions === undefined) return [...candidates];
  const pinnedIds = new Set(actions.pins.map((p) => p.id));
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const rest = candidates.filter((c) => !pinnedIds.has(c.id));
  const ordered = [...rest.filter((c) => !buried.has(c.id)), ...rest.filter((c) => buried.has(c.id))];
  for (const pin of actions.pins) {
    const candidate = byId.get(pin.id);
    if (candidate === undefined) continue;
    ordered.splice(Math.min(pin.position - 1, ordered.length), 0, candidate);
  }
  return ordered;
}
