import { Type, type Static } from '@sinclair/typebox';
import { configChangeEvent } from '../events/config-change';
import { VISIBLE_TEXT_PATTERN } from '../query/text';

/**
 * The merchandisers' suggestion blocklist: terms no autocomplete suggestion may contain (as whole words,
 * case and diacritics folded). One document (`SUGGEST_BLOCKLIST_ID`) in the facet service's control plane,
 * kind `suggest_blocklist`, announced on the config-changes topic as `suggest_blocklist.changed`, which
 * every autocomplete replica follows.
 *
 * Limits keep the whole list in one Kafka message under the broker's default 1 MB (2,000 × 100 characters
 * of up to 4 bytes each is 800 KB).
 */
export const SUGGEST_BLOCKLIST_LIMITS = { maxTerms: 2000, maxTermLength: 100 } as const;
export const SUGGEST_BLOCKLIST_ID = 'default';

export const BlockedTerm = Type.String({ minLength: 1, maxLength: SUGGEST_BLOCKLIST_LIMITS.maxTermLength, pattern: VISIBLE_TEXT_PATTERN });
export const BlockedTerms = Type.Array(BlockedTerm, { maxItems: SUGGEST_BLOCKLIST_LIMITS.maxTerms });

export const SuggestBlocklist = Type.Object({ terms: BlockedTerms }, { additionalProperties: false });
export type SuggestBlocklist = Static<typeof SuggestBlocklist>;

/**
 * The whole list after an accepted change (`terms` empty once deleted). `version` is the stored document's:
 * it grows with every change, so a replica keeps the highest it has seen, whatever order events arrive in.
 */
export const SUGGEST_BLOCKLIST_CHANGED = 'suggest_blocklist.changed';
export const SuggestBlocklistChanged = configChangeEvent(SUGGEST_BLOCKLIST_CHANGED, { version: Type.Integer({ minimum: 1 }), terms: BlockedTerms });
export type SuggestBlocklistChanged = Static<typeof SuggestBlocklistChanged>;
