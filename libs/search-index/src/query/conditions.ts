import type { estypes } from '@elastic/elasticsearch';
import type { SearchFilter } from '@search-mesh/contracts';

/** A condition on one field: a filter, or the condition of a boost. Plan filters and boosts fit it. */
export type Condition = SearchFilter | { type: 'terms'; field: string; values: readonly string[] } | { type: 'range'; field: string; gte?: number; lte?: number };

/**
 * The field a `terms` condition compares against: brands and attribute values through their folded
 * (lowercase, accent-free) keyword sub-field, so "samsung" finds "Samsung"; category paths exactly.
 */
export function termsFieldOf(field: string): string {
  if (field === 'brand' || field.startsWith('attr.')) return `${field}.folded`;
  return field;
}

/** A structured Elasticsearch clause for a condition: `terms` or `range`, never query syntax. */
export function conditionQuery(condition: Condition): estypes.QueryDslQueryContainer {
  if (condition.type === 'terms') {
    if (condition.field === 'in_stock') return { terms: { in_stock: condition.values.map((v) => v === 'true') } };
    return { terms: { [termsFieldOf(condition.field)]: [...condition.values] } };
  }
  const range: estypes.QueryDslNumberRangeQuery = {};
  if (condition.gte !== undefined) range.gte = condition.gte;
  if (condition.lte !== undefined) range.lte = condition.lte;
  return { range: { [condition.field]: range } };
}

/** Weighted conditions as `function_score` functions: each multiplies the score by its weight when it holds. */
export function boostFunctions(boosts: ReadonlyArray<Condition & { weight: number }>): estypes.QueryDslFunctionScoreContainer[] {
  return boosts.map((boost) => ({ filter: conditionQuery(boost), weight: boost.weight }));
}
