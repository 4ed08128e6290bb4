import { Type, type Static, type TProperties } from '@sinclair/typebox';
import { KeywordValue, SAFE_TEXT_PATTERN, SafeText } from './text';

/**
 * The query plan: what query understanding tells the orchestrator a shopper meant. It is data, never
 * query syntax. The orchestrator builds Elasticsearch clauses from it with structured queries only
 * (`match`/`multi_match` on `terms`, `term`/`terms`/`range` on `filters` and `boosts`), never
 * `query_string` or `simple_query_string`; the patterns below make even that mistake harmless.
 */
export const QUERY_PLAN_SCHEMA = 'query-plan.v1';

/** The longest query accepted (characters before normalisation); real queries are a few words. */
export const MAX_QUERY_LENGTH = 512;

export const UnderstandRequest = Type.Object(
  {
    query: Type.String({ minLength: 1, maxLength: MAX_QUERY_LENGTH }),
    /** Top categories to return per level (default 3). */
    topCategories: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  },
  { additionalProperties: false },
);
export type UnderstandRequest = Static<typeof UnderstandRequest>;

/**
 * Fields a filter or boost may name: the products index's own (see `@search-mesh/search-index`):
 * `brand`, `price`, `category.lvl0`…`category.lvl5` (paths "A > B > C"), `attr.<name>` (keywords) and
 * `num.<name>_<base unit>` (numbers in the dimension's base unit).
 */
export const PLAN_FIELD_PATTERN = '^(brand|price|category\\.lvl[0-5]|attr\\.[a-z][a-z0-9_]{0,47}|num\\.[a-z][a-z0-9_]{0,63})$';
const PlanField = Type.String({ pattern: PLAN_FIELD_PATTERN });

/** Why a filter or boost is there: the step and the rule that made it, for the storefront and for debugging. */
const Reason = Type.String({ minLength: 1, maxLength: 300 });

function conditions<E extends TProperties>(extra: E) {
  const terms = Type.Object(
    { type: Type.Literal('terms'), field: PlanField, values: Type.Array(KeywordValue, { minItems: 1, maxItems: 20 }), reason: Reason, ...extra },
    { additionalProperties: false },
  );
  const range = Type.Object(
    { type: Type.Literal('range'), field: PlanField, gte: Type.Optional(Type.Number()), lte: Type.Optional(Type.Number()), reason: Reason, ...extra },
    { additionalProperties: false },
  );
  return Type.Union([terms, range]);
}

/** Products must match: `terms` (the field has one of `values`) or `range` (gte/lte, inclusive). */
export const PlanFilter = conditions({});
export type PlanFilter = Static<typeof PlanFilter>;
/** A condition that raises a product's score by `weight` when it holds, and never excludes it. */
export const PlanBoost = conditions({ weight: Type.Number({ exclusiveMinimum: 0, maximum: 100 }) });
export type PlanBoost = Static<typeof PlanBoost>;

/**
 * One thing to match in the product text. `alternatives` (from synonym rules) match as well as `text`;
 * `role` lets the orchestrator aim it: a `model_number` matches the model number field exactly, a
 * `brand` the brand field, a `word` the analysed text fields.
 */
export const PlanTerm = Type.Object(
  {
    text: SafeText,
    alternatives: Type.Array(SafeText, { maxItems: 50 }),
    role: Type.Union([Type.Literal('word'), Type.Literal('brand'), Type.Literal('model_number'), Type.Literal('colour')]),
  },
  { additionalProperties: false },
);
export type PlanTerm = Static<typeof PlanTerm>;

export const SpellingCorrection = Type.Object(
  {
    from: SafeText,
    to: SafeText,
    /** Damerau–Levenshtein distance (adjacent transpositions count 1). */
    distance: Type.Integer({ minimum: 1, maximum: 3 }),
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);
export type SpellingCorrection = Static<typeof SpellingCorrection>;

export const PlanSpelling = Type.Object(
  {
    /** `search`: the plan's terms already use the correction ("showing results for"); `suggest`: they do
     * not, show "did you mean `corrected`"; `none`: nothing to correct. */
    action: Type.Union([Type.Literal('none'), Type.Literal('search'), Type.Literal('suggest')]),
    /** The whole corrected query (normalised), when action is not `none`. */
    corrected: Type.Optional(Type.String({ minLength: 1, maxLength: 4 * MAX_QUERY_LENGTH, pattern: SAFE_TEXT_PATTERN })),
    /** The lowest confidence of the corrections. */
    confidence: Type.Number({ minimum: 0, maximum: 1 }),
    corrections: Type.Array(SpellingCorrection, { maxItems: 64 }),
  },
  { additionalProperties: false },
);
export type PlanSpelling = Static<typeof PlanSpelling>;

export const CategoryPrediction = Type.Object(
  {
    /** Depth in the taxonomy: 1 ("Appliances > Refrigerators") or 2 ("Appliances > Refrigerators > French Door"). */
    level: Type.Union([Type.Literal(1), Type.Literal(2)]),
    /** Category names from the root joined by " > ": the value of the index's `category.lvl<level>` field. */
    path: KeywordValue,
    probability: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);
export type CategoryPrediction = Static<typeof CategoryPrediction>;

/**
 * A leaf of the taxonomy (a category with no subcategories) and how probable the query means it.
 * Added after query-plan.v1 was first consumed: optional, so plans without it stay valid.
 */
export const LeafCategoryPrediction = Type.Object(
  {
    /** N of the index's `category.lvlN` field holding `path`: the path's depth − 1 (0–5). */
    level: Type.Integer({ minimum: 0, maximum: 5 }),
    /** Category names from the root to the leaf joined by " > ". */
    path: KeywordValue,
    probability: Type.Number({ minimum: 0, maximum: 1 }),
  },
  { additionalProperties: false },
);
export type LeafCategoryPrediction = Static<typeof LeafCategoryPrediction>;

export const PlanIntent = Type.Object(
  {
    /** `brand`/`category`: the query names only a brand or only a category (navigation); `product`: a
     * product search; `redirect`: a merchandiser rule sends the shopper to `redirect.url`; `empty`:
     * nothing searchable was left (only emoji or punctuation). */
    type: Type.Union([Type.Literal('product'), Type.Literal('brand'), Type.Literal('category'), Type.Literal('redirect'), Type.Literal('empty')]),
    brand: Type.Optional(KeywordValue),
    category: Type.Optional(KeywordValue),
    redirect: Type.Optional(Type.Object({ url: Type.String({ minLength: 1, maxLength: 2000 }), ruleId: Type.String() }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type PlanIntent = Static<typeof PlanIntent>;

/** Every step that changed the query, in order, so the storefront can show it and engineers debug it. */
export const PlanRewrite = Type.Object(
  {
    step: Type.Union([
      Type.Literal('normalise'),
      Type.Literal('spelling'),
      Type.Literal('replace'),
      Type.Literal('delete'),
      Type.Literal('synonym'),
      Type.Literal('redirect'),
      Type.Literal('attribute'),
      Type.Literal('category'),
    ]),
    from: Type.String({ maxLength: 4 * MAX_QUERY_LENGTH }),
    to: Type.String({ maxLength: 4 * MAX_QUERY_LENGTH }),
    ruleId: Type.Optional(Type.String()),
    detail: Type.String({ maxLength: 300 }),
  },
  { additionalProperties: false },
);
export type PlanRewrite = Static<typeof PlanRewrite>;

export const QueryPlan = Type.Object(
  {
    schema: Type.Literal(QUERY_PLAN_SCHEMA),
    /** What the shopper typed, as received. */
    original: Type.String({ maxLength: MAX_QUERY_LENGTH }),
    /** Lowercase, NFKC, no accents or punctuation, units in one form ("65 in"); words over 48 characters
     * dropped, at most 32 words. */
    normalised: Type.String({ maxLength: 4 * MAX_QUERY_LENGTH }),
    /** The text searched after spelling, rules and attribute extraction ("" when only filters remain). */
    query: Type.String({ maxLength: 4 * MAX_QUERY_LENGTH }),
    terms: Type.Array(PlanTerm, { maxItems: 64 }),
    filters: Type.Array(PlanFilter, { maxItems: 32 }),
    boosts: Type.Array(PlanBoost, { maxItems: 32 }),
    spelling: PlanSpelling,
    categories: Type.Array(CategoryPrediction, { maxItems: 40 }),
    /** The most probable leaf categories, most probable first (optional, additive: see LeafCategoryPrediction). */
    leafCategories: Type.Optional(Type.Array(LeafCategoryPrediction, { maxItems: 20 })),
    intent: PlanIntent,
    rewrites: Type.Array(PlanRewrite, { maxItems: 128 }),
    versions: Type.Object(
      { model: Type.String(), rules: Type.String(), lexicon: Type.String() },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: 'QueryPlan' },
);
export type QueryPlan = Static<typeof QueryPlan>;
