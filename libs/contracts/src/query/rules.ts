import { Type, type Static } from '@sinclair/typebox';
import { configChangeEvent } from '../events/config-change';
import { KEYWORD_VALUE_PATTERN } from './text';

/**
 * Merchandiser rewrite rules for query understanding. The facet/merchandising service owns their storage
 * (Cassandra) and publishes every accepted rule set on the config-changes topic; query understanding
 * compiles it and swaps it in atomically. Phrases are matched on normalised tokens (case, accents and
 * punctuation do not matter) and whole tokens only: "tv" never matches inside "tvs".
 */
const Phrase = Type.String({ minLength: 1, maxLength: 100, pattern: KEYWORD_VALUE_PATTERN });
const RuleId = Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' });

/** Two-way: a query with any of the phrases also matches the others ("tv", "television"). */
export const SynonymRule = Type.Object(
  { id: RuleId, type: Type.Literal('synonym'), terms: Type.Array(Phrase, { minItems: 2, maxItems: 50 }) },
  { additionalProperties: false },
);
/** One-way: `from` also matches `to` ("laptop" → "notebook"), a query for `to` does not match `from`. */
export const OneWaySynonymRule = Type.Object(
  { id: RuleId, type: Type.Literal('one_way_synonym'), from: Phrase, to: Type.Array(Phrase, { minItems: 1, maxItems: 50 }) },
  { additionalProperties: false },
);
/** Removes words that carry no product meaning for this store ("best", "buy", "online"). */
export const DeleteRule = Type.Object(
  { id: RuleId, type: Type.Literal('delete'), terms: Type.Array(Phrase, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
/** Rewrites a phrase to another ("fridge" → "refrigerator"); the original is no longer searched. */
export const ReplaceRule = Type.Object(
  { id: RuleId, type: Type.Literal('replace'), from: Phrase, to: Phrase },
  { additionalProperties: false },
);
/** The whole (normalised) query sends the shopper to a page instead of a result list. */
export const RedirectRule = Type.Object(
  {
    id: RuleId,
    type: Type.Literal('redirect'),
    queries: Type.Array(Phrase, { minItems: 1, maxItems: 100 }),
    /** A site path ("/help/returns") or an absolute http(s) URL. */
    url: Type.String({ minLength: 1, maxLength: 2000, pattern: '^(/[^\\s]*|https?://[^\\s]+)$' }),
  },
  { additionalProperties: false },
);

export const QueryRule = Type.Union([SynonymRule, OneWaySynonymRule, DeleteRule, ReplaceRule, RedirectRule]);
export type QueryRule = Static<typeof QueryRule>;
export type SynonymRule = Static<typeof SynonymRule>;
export type OneWaySynonymRule = Static<typeof OneWaySynonymRule>;
export type DeleteRule = Static<typeof DeleteRule>;
export type ReplaceRule = Static<typeof ReplaceRule>;
export type RedirectRule = Static<typeof RedirectRule>;

export const QueryRuleSet = Type.Object(
  {
    /** Opaque, chosen by the publisher (e.g. a timestamp or a counter); reported in every plan. */
    version: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }),
    rules: Type.Array(QueryRule, { maxItems: 20_000 }),
  },
  { additionalProperties: false, $id: 'QueryRuleSet' },
);
export type QueryRuleSet = Static<typeof QueryRuleSet>;

/**
 * The event on the config-changes topic (`topicNames(ns).configChanges`) that carries a complete rule set.
 * Consumers ignore other `type`s on that topic, so other configuration can share it.
 */
export const QUERY_RULES_CHANGED = 'query_rules.changed';
export const QueryRulesChanged = configChangeEvent(QUERY_RULES_CHANGED, { ruleSet: QueryRuleSet });
export type QueryRulesChanged = Static<typeof QueryRulesChanged>;
