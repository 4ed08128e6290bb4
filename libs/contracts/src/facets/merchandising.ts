import { Type, type Static } from '@sinclair/typebox';
import { configChangeEvent } from '../events/config-change';
import { QueryRule } from '../query/rules';
import { KEYWORD_VALUE_PATTERN, KeywordValue } from '../query/text';
import { FilterField, SearchFilter } from '../search/filters';
import { SuggestBlocklist } from '../suggest/blocklist';

/**
 * The merchandisers' configuration, owned by the facet service (port 8083): facet settings per category
 * and merchandising rules, stored in Cassandra with a version each, changed through its admin API and
 * announced on the config-changes topic (`topicNames(ns).configChanges`).
 */

/** A category path as the index holds it ("Appliances > Refrigerators"), or `*` for every category. */
export const ROOT_CATEGORY = '*';
export const CategoryKey = Type.String({ minLength: 1, maxLength: 300, pattern: KEYWORD_VALUE_PATTERN });
const Label = Type.String({ minLength: 1, maxLength: 100 });
const Values = Type.Array(KeywordValue, { maxItems: 200 });
const Range = Type.Object({ from: Type.Optional(Type.Number()), to: Type.Optional(Type.Number()) }, { additionalProperties: false });

/**
 * How a facet shows: `terms` (check boxes), `range` (numeric bands from `ranges`), `price_buckets`
 * (price bands), `category` (drill-down one level below the shopper's category), `boolean` (yes/no),
 * `swatch` (colour values, shown as swatches).
 */
export const FacetDisplay = Type.Union([
  Type.Literal('terms'),
  Type.Literal('range'),
  Type.Literal('price_buckets'),
  Type.Literal('category'),
  Type.Literal('boolean'),
  Type.Literal('swatch'),
]);
export type FacetDisplay = Static<typeof FacetDisplay>;

/** A facet's field: an index field, or `category` for the hierarchical category facet. */
export const FacetField = Type.Union([FilterField, Type.Literal('category')]);

export const FacetSetting = Type.Object(
  {
    field: FacetField,
    label: Type.Optional(Label),
    display: FacetDisplay,
    /** Facets show in ascending position; inherited facets keep theirs unless overridden. */
    position: Type.Integer({ minimum: 0, maximum: 10_000 }),
    /** How many values to show (terms, swatch). */
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
    valueOrder: Type.Optional(Type.Union([Type.Literal('count'), Type.Literal('alpha'), Type.Literal('custom')])),
    /** The order of `custom` (values not listed follow by count). */
    customOrder: Type.Optional(Values),
    /** Always listed first, in this order, when present. */
    pinned: Type.Optional(Values),
    /** Never listed. */
    hidden: Type.Optional(Values),
    /** Bands of `range` and `price_buckets`, [from, to). */
    ranges: Type.Optional(Type.Array(Range, { minItems: 1, maxItems: 20 })),
    /** False removes a facet inherited from a parent category. */
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FacetSetting = Static<typeof FacetSetting>;

/** The facets of a category and (unless a descendant overrides them, by field) of every category below it. */
export const FacetConfig = Type.Object(
  {
    category: CategoryKey,
    facets: Type.Array(FacetSetting, { maxItems: 40 }),
    /** Also show automatically chosen attribute facets after the configured ones. */
    autoFill: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type FacetConfig = Static<typeof FacetConfig>;

/** When a rule applies: from `start` (inclusive) to `end` (exclusive); either may be open. */
export const Schedule = Type.Object(
  {
    start: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
    end: Type.Optional(Type.String({ format: 'date-time', maxLength: 40 })),
  },
  { additionalProperties: false },
);
export type Schedule = Static<typeof Schedule>;

const ProductId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' });
const RuleId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });
const Phrase = Type.String({ minLength: 1, maxLength: 200, pattern: KEYWORD_VALUE_PATTERN });

export const PinAction = Type.Object(
  { type: Type.Literal('pin'), products: Type.Array(Type.Object({ id: ProductId, position: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false }), { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
/** Moves matching products (by condition, or by id) below every other result. */
export const BuryAction = Type.Object(
  { type: Type.Literal('bury'), condition: Type.Optional(SearchFilter), products: Type.Optional(Type.Array(ProductId, { minItems: 1, maxItems: 200 })) },
  { additionalProperties: false },
);
/** Multiplies the relevance score of matching products by `weight`. */
export const BoostAction = Type.Object(
  { type: Type.Literal('boost'), condition: SearchFilter, weight: Type.Number({ exclusiveMinimum: 1, maximum: 100 }) },
  { additionalProperties: false },
);
/** Keeps only matching products. */
export const FilterAction = Type.Object({ type: Type.Literal('filter'), condition: SearchFilter }, { additionalProperties: false });
/** Sends the shopper to a page instead of results. */
export const RedirectAction = Type.Object(
  { type: Type.Literal('redirect'), url: Type.String({ minLength: 1, maxLength: 2000, pattern: '^(/[^\\s]*|https?://[^\\s]+)$' }) },
  { additionalProperties: false },
);
export const MerchAction = Type.Union([PinAction, BuryAction, BoostAction, FilterAction, RedirectAction]);
export type MerchAction = Static<typeof MerchAction>;

/**
 * A merchandising rule: when the query (normalised: case, accents, punctuation and spacing do not matter)
 * is one of `queries` and/or the shopper's category is one of `categories` or below it, and the schedule
 * allows, its actions apply.
 */
export const MerchRule = Type.Object(
  {
    id: RuleId,
    name: Type.Optional(Label),
    enabled: Type.Optional(Type.Boolean()),
    match: Type.Object(
      { queries: Type.Optional(Type.Array(Phrase, { minItems: 1, maxItems: 100 })), categories: Type.Optional(Type.Array(CategoryKey, { minItems: 1, maxItems: 100 })) },
      { additionalProperties: false },
    ),
    actions: Type.Array(MerchAction, { minItems: 1, maxItems: 20 }),
    schedule: Type.Optional(Schedule),
  },
  { additionalProperties: false },
);
export type MerchRule = Static<typeof MerchRule>;

/** What the orchestrator applies for one search: computed by the facet service from the rules in force. */
export const MerchandisingActions = Type.Object(
  {
    /** Ids of the rules that applied. */
    rules: Type.Array(Type.String(), { maxItems: 200 }),
    redirect: Type.Optional(Type.Object({ url: Type.String({ minLength: 1, maxLength: 2000 }), ruleId: Type.String() }, { additionalProperties: false })),
    filters: Type.Array(SearchFilter, { maxItems: 50 }),
    boosts: Type.Array(Type.Object({ condition: SearchFilter, weight: Type.Number({ exclusiveMinimum: 0, maximum: 100 }) }, { additionalProperties: false }), { maxItems: 50 }),
    buries: Type.Array(SearchFilter, { maxItems: 50 }),
    buriedProducts: Type.Array(ProductId, { maxItems: 1000 }),
    /** 1-based positions on the first page, in relevance order. */
    pins: Type.Array(Type.Object({ id: ProductId, position: Type.Integer({ minimum: 1, maximum: 100 }) }, { additionalProperties: false }), { maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type MerchandisingActions = Static<typeof MerchandisingActions>;

/** A query-understanding rule as the merchandisers keep it: published only while enabled and scheduled. */
export const QueryRuleEntry = Type.Object(
  { rule: QueryRule, enabled: Type.Optional(Type.Boolean()), schedule: Type.Optional(Schedule) },
  { additionalProperties: false },
);
export type QueryRuleEntry = Static<typeof QueryRuleEntry>;

/**
 * The kinds of stored configuration documents; `query_rule` documents are query understanding's rules,
 * `suggest_blocklist` autocomplete's blocklist (one document, `SUGGEST_BLOCKLIST_ID`).
 */
export const ConfigKind = Type.Union([Type.Literal('facets'), Type.Literal('rule'), Type.Literal('query_rule'), Type.Literal('suggest_blocklist')]);
export type ConfigKind = Static<typeof ConfigKind>;
/** The kinds a draft can be previewed with (they change search results; the blocklist changes suggestions). */
export const PreviewKind = Type.Union([Type.Literal('facets'), Type.Literal('rule'), Type.Literal('query_rule')]);

/** A stored document: the body (null once deleted) at a version that grows with every accepted change. */
export const ConfigDocument = Type.Object(
  {
    kind: ConfigKind,
    id: Type.String({ minLength: 1, maxLength: 300 }),
    version: Type.Integer({ minimum: 0 }),
    body: Type.Union([FacetConfig, MerchRule, QueryRuleEntry, SuggestBlocklist, Type.Null()]),
    updatedAt: Type.String(),
    updatedBy: Type.String(),
  },
  { additionalProperties: false },
);
export type ConfigDocument = Static<typeof ConfigDocument>;

/** The event on the config-changes topic for every accepted change of a stored document, whatever its kind. */
export const MERCHANDISING_CHANGED = 'merchandising.changed';
export const MerchandisingChanged = configChangeEvent(MERCHANDISING_CHANGED, { document: ConfigDocument });
export type MerchandisingChanged = Static<typeof MerchandisingChanged>;

/**
 * The admin API (`/v1/admin/...` on the facet service). A write names the version it read (`0` for a new
 * document); a stale one is answered 409.
 */
export const ExpectedVersion = Type.Integer({ minimum: 0, description: 'the version the change was made from; 0 for a new document' });
export const SaveFacetConfig = Type.Object({ version: ExpectedVersion, config: FacetConfig }, { additionalProperties: false });
export const SaveMerchRule = Type.Object({ version: ExpectedVersion, config: MerchRule }, { additionalProperties: false });
export const SaveQueryRule = Type.Object({ version: ExpectedVersion, config: QueryRuleEntry }, { additionalProperties: false });
export const SaveSuggestBlocklist = Type.Object({ version: ExpectedVersion, config: SuggestBlocklist }, { additionalProperties: false });
export const DeleteQuerystring = Type.Object({ version: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

export const DraftChange = Type.Object(
  { kind: PreviewKind, id: Type.String({ minLength: 1, maxLength: 300 }), body: Type.Union([FacetConfig, MerchRule, QueryRuleEntry, Type.Null()]) },
  { additionalProperties: false },
);
export type DraftChange = Static<typeof DraftChange>;
export const PreviewRequest = Type.Object({ changes: Type.Array(DraftChange, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false });
export type PreviewRequest = Static<typeof PreviewRequest>;

export const AuditEntry = Type.Object(
  {
    kind: ConfigKind,
    id: Type.String(),
    at: Type.String(),
    version: Type.Integer(),
    actor: Type.String(),
    role: Type.String(),
    before: Type.Unknown(),
    after: Type.Unknown(),
    /** Leaf by leaf: the JSON path and its value before and after. */
    changes: Type.Array(Type.Object({ path: Type.String(), before: Type.Optional(Type.Unknown()), after: Type.Optional(Type.Unknown()) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type AuditEntry = Static<typeof AuditEntry>;
