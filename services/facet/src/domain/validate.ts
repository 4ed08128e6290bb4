import { normaliseQuery } from '@search-mesh/catalog';
import {
  type FacetConfig,
  isNumericField,
  type MerchRule,
  type QueryRuleEntry,
  ROOT_CATEGORY,
  type Schedule,
  type SearchFilter,
  SUGGEST_BLOCKLIST_ID,
  type SuggestBlocklist,
} from '@search-mesh/contracts';

/** A configuration that is well-formed but does not make sense; `field` is the request field at fault. */
export class ConfigInvalid extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConfigInvalid';
  }
}

const BASE = 'body.config';

function checkCondition(condition: SearchFilter, at: string): void {
  if (condition.field.startsWith('category.')) throw new ConfigInvalid(`${at}.field`, 'match categories with the rule\'s match.categories, not a condition');
  if (isNumericField(condition.field) && condition.type !== 'range') throw new ConfigInvalid(`${at}.type`, `${condition.field} holds numbers: use a range`);
  if (!isNumericField(condition.field) && condition.type !== 'terms') throw new ConfigInvalid(`${at}.type`, `${condition.field} holds keywords: use terms`);
  if (condition.type === 'range') {
    if (condition.gte === undefined && condition.lte === undefined) throw new ConfigInvalid(`${at}.gte`, 'a range needs gte or lte');
    if (condition.gte !== undefined && condition.lte !== undefined && condition.gte > condition.lte) throw new ConfigInvalid(`${at}.lte`, 'lte is below gte');
  }
}

/**
 * What a schema cannot say about a facet configuration. `knownCategory` tells whether the catalog has a
 * category path (a typo would silently configure nothing).
 */
export function validateFacetConfig(config: FacetConfig, id: string, knownCategory: (path: string) => boolean): void {
  if (config.category !== id) throw new ConfigInvalid(`${BASE}.category`, `category "${config.category}" differs from the one addressed, "${id}"`);
  if (config.category !== ROOT_CATEGORY && !knownCategory(config.category)) throw new ConfigInvalid(`${BASE}.category`, `no category "${config.category}" in the catalog`);
  const seen = new Set<string>();
  config.facets.forEach((f, i) => {
    const at = `${BASE}.facets.${i}`;
    if (seen.has(f.field)) throw new ConfigInvalid(`${at}.field`, `${f.field} is configured twice`);
    seen.add(f.field);
    if (f.enabled === false) return;
    if ((f.display === 'category') !== (f.field === 'category')) throw new ConfigInvalid(`${at}.display`, 'the category facet, and only it, has display "category"');
    if (f.display === 'range' && !isNumericField(f.field)) throw new ConfigInvalid(`${at}.display`, `${f.field} holds no numbers: a range facet needs price, rating or num.<name>`);
    if (f.display === 'range' && f.ranges === undefined) throw new ConfigInvalid(`${at}.ranges`, 'a range facet needs its ranges');
    if (f.display === 'price_buckets' && f.field !== 'price') throw new ConfigInvalid(`${at}.field`, 'price buckets are on price');
    if (f.display === 'boolean' && !(f.field === 'in_stock' || f.field.startsWith('attr.'))) throw new ConfigInvalid(`${at}.field`, 'a boolean facet is on in_stock or attr.<name>');
    if (f.valueOrder === 'custom' && (f.customOrder === undefined || f.customOrder.length === 0)) throw new ConfigInvalid(`${at}.customOrder`, 'a custom value order needs customOrder');
    (f.ranges ?? []).forEach((r, j) => {
      if (r.from === undefined && r.to === undefined) throw new ConfigInvalid(`${at}.ranges.${j}`, 'a range needs from or to');
      if (r.from !== undefined && r.to !== undefined && r.from >= r.to) throw new ConfigInvalid(`${at}.ranges.${j}.to`, 'to must be above from');
    });
  });
}

export function validateMerchRule(rule: MerchRule, id: string, knownCategory: (path: string) => boolean): void {
  if (rule.id !== id) throw new ConfigInvalid(`${BASE}.id`, `id "${rule.id}" differs from the one addressed, "${id}"`);
  if (rule.match.queries === undefined && rule.match.categories === undefined) throw new ConfigInvalid(`${BASE}.match`, 'a rule matches queries, categories or both');
  (rule.match.categories ?? []).forEach((c, i) => {
    if (c !== ROOT_CATEGORY && !knownCategory(c)) throw new ConfigInvalid(`${BASE}.match.categories.${i}`, `no category "${c}" in the catalog`);
  });
  rule.actions.forEach((a, i) => {
    const at = `${BASE}.actions.${i}`;
    if (a.type === 'bury' && a.condition === undefined && a.products === undefined) throw new ConfigInvalid(at, 'a bury needs a condition or products');
    if ((a.type === 'bury' || a.type === 'boost' || a.type === 'filter') && a.condition !== undefined) checkCondition(a.condition, `${at}.condition`);
    if (a.type === 'pin') {
      const positions = new Set<number>();
      a.products.forEach((p, j) => {
        if (positions.has(p.position)) throw new ConfigInvalid(`${at}.products.${j}.position`, `position ${p.position} is taken twice`);
        positions.add(p.position);
      });
    }
  });
  checkSchedule(rule.schedule);
}

function checkSchedule(schedule: Schedule | undefined): void {
  const { start, end } = schedule ?? {};
  if (start !== undefined && end !== undefined && Date.parse(start) >= Date.parse(end)) throw new ConfigInvalid(`${BASE}.schedule.end`, 'the schedule ends before it starts');
}

export function validateQueryRule(entry: QueryRuleEntry, id: string): void {
  if (entry.rule.id !== id) throw new ConfigInvalid(`${BASE}.rule.id`, `id "${entry.rule.id}" differs from the one addressed, "${id}"`);
  checkSchedule(entry.schedule);
}

/**
 * The suggestion blocklist: one document, and every term must still hold a word once folded the way
 * autocomplete matches it (case, diacritics and punctuation dropped), and only once.
 */
export function validateSuggestBlocklist(list: SuggestBlocklist, id: string): void {
  if (id !== SUGGEST_BLOCKLIST_ID) throw new ConfigInvalid('params.id', `the suggestion blocklist is one document, "${SUGGEST_BLOCKLIST_ID}", not "${id}"`);
  const seen = new Map<string, number>();
  list.terms.forEach((term, i) => {
    const folded = normaliseQuery(term);
    if (folded === '') throw new ConfigInvalid(`${BASE}.terms.${i}`, `"${term}" has no letters or digits: it would block nothing`);
    const first = seen.get(folded);
    if (first !== undefined) throw new ConfigInvalid(`${BASE}.terms.${i}`, `"${term}" is terms.${first} again (case, accents and punctuation do not count)`);
    seen.set(folded, i);
  });
}

/** One changed leaf of a document, by JSON path. */
export interface Change {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** What differs between two versions of a document, leaf by leaf (arrays by index). */
export function diff(before: unknown, after: unknown, path = ''): Change[] {
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(before) && isObject(after) && Array.isArray(before) === Array.isArray(after)) {
    const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
    return [...keys].flatMap((k) => diff(before[k], after[k], path === '' ? k : `${path}.${k}`));
  }
  const change: Change = { path: path === '' ? '.' : path };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return [change];
}
