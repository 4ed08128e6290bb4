import type { estypes } from '@elastic/elasticsearch';
import type { CategoryPrediction, LeafCategoryPrediction, RankMatchFeature } from '@search-mesh/contracts';
import { type Condition, conditionQuery } from './conditions';
import type { TextTerm } from './text';

/** The analysed field each `text_*` feature is the BM25 score of. */
export const TEXT_FEATURE_FIELDS: ReadonlyArray<readonly [RankMatchFeature, string]> = [
  ['text_title', 'title'],
  ['text_brand', 'brand.text'],
  ['text_model_line', 'model_line.text'],
  ['text_category', 'category.path.text'],
  ['text_attr', 'attr_text'],
  ['text_search_terms', 'search_terms'],
  ['text_description', 'description'],
];

export interface RankingFeatureInput {
  terms: readonly TextTerm[];
  categories: readonly CategoryPrediction[];
  leafCategories?: readonly LeafCategoryPrediction[] | undefined;
  boosts: readonly Condition[];
}

type Named = { constant_score: estypes.QueryDslConstantScoreQuery } | { bool: estypes.QueryDslBoolQuery };
const named = (name: RankMatchFeature, query: Named): estypes.QueryDslQueryContainer =>
  'bool' in query ? { bool: { ...query.bool, _name: name } } : { constant_score: { ...query.constant_score, _name: name } };
const matchOn = (name: RankMatchFeature, field: string, words: string): estypes.QueryDslQueryContainer => ({ match: { [field]: { query: words, _name: name } } });
const flag = (filter: estypes.QueryDslQueryContainer, boost = 1): { constant_score: estypes.QueryDslConstantScoreQuery } => ({ constant_score: { filter, boost } });

/**
 * The query–product features of `RANK_MATCH_FEATURES` as named queries inside a clause that matches every
 * document and scores nothing: added as a filter to a search made with `include_named_queries_score`, it
 * leaves the hits and their order unchanged, and Elasticsearch scores each named query only on the hits
 * it returns (fetch phase), so a 100-hit window costs 100 × (number of named queries) scorings.
 */
export function rankingFeatureClause(input: RankingFeatureInput): estypes.QueryDslQueryContainer {
  const should: estypes.QueryDslQueryContainer[] = [];
  const words = input.terms.map((t) => t.text).join(' ');
  if (words !== '') {
    for (const [name, field] of TEXT_FEATURE_FIELDS) should.push(matchOn(name, field, words));
    should.push(named('exact_title_all', flag({ match: { title: { query: words, operator: 'and' } } })));
    if (input.terms.length > 1) should.push(named('exact_title_phrase', flag({ match_phrase: { title: { query: words } } })));
    should.push(named('exact_model_number', flag({ terms: { model_number: input.terms.flatMap((t) => t.text.split(' ')) } })));
  }
  const byLevel = (level: 1 | 2) => input.categories.filter((c) => c.level === level && c.probability > 0);
  for (const level of [1, 2] as const) {
    const predictions = byLevel(level);
    if (predictions.length > 0) {
      should.push(named(`category_lvl${level}_prob`, { bool: { should: predictions.map((c) => flag({ term: { [`category.lvl${level}`]: c.path } }, c.probability)) } }));
    }
  }
  const leaves = (input.leafCategories ?? []).filter((c) => c.probability > 0);
  if (leaves.length > 0) should.push(named('category_leaf_prob', { bool: { should: leaves.map((c) => flag({ term: { [`category.lvl${c.level}`]: c.path } }, c.probability)) } }));
  if (input.boosts.length > 0) should.push(named('attr_boost_matches', { bool: { should: input.boosts.map((b) => flag(conditionQuery(b))) } }));
  return { bool: { must: [{ match_all: {} }], should } };
}

/** The named-query scores of one hit (`matched_queries` with `include_named_queries_score`). */
export function matchFeatures(matched: unknown): Record<string, number> {
  const out: Record<string, number> = {};
  if (matched !== null && typeof matched === 'object' && !Array.isArray(matched)) {
    for (const [name, score] of Object.entries(matched)) if (typeof score === 'number' && Number.isFinite(score)) out[name] = score;
  }
  return out;
}
