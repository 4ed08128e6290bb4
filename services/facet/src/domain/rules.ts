import { normaliseQuery } from '@search-mesh/catalog';
import type { MerchandisingActions, MerchRule, QueryRule, QueryRuleEntry, Schedule } from '@search-mesh/contracts';
import { CATEGORY_SEPARATOR } from '@search-mesh/search-index';
import { categoryChain } from './facets';

/** True while the schedule allows (start inclusive, end exclusive; no schedule: always). */
export function scheduled(schedule: Schedule | undefined, now: number): boolean {
  if (schedule === undefined) return true;
  if (schedule.start !== undefined && now < Date.parse(schedule.start)) return false;
  if (schedule.end !== undefined && now >= Date.parse(schedule.end)) return false;
  return true;
}

/** The category itself or one below it. */
export function withinCategory(category: string | undefined, ruleCategory: string): boolean {
  if (ruleCategory === '*') return true;
  return category !== undefined && (category === ruleCategory || category.startsWith(ruleCategory + CATEGORY_SEPARATOR));
}

/** A rule ready to match: its phrases normalised once, not per search. */
export interface CompiledRule {
  rule: MerchRule;
  queries: ReadonlySet<string> | undefined;
}

/**
 * The rules indexed for matching: by normalised query phrase, and (rules without queries) by category,
 * so a search looks at the few rules that can apply, not all of them.
 */
export interface RuleIndex {
  byQuery: ReadonlyMap<string, CompiledRule[]>;
  byCategory: ReadonlyMap<string, CompiledRule[]>;
}

function add(map: Map<string, CompiledRule[]>, key: string, rule: CompiledRule): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [rule]);
  else if (!list.includes(rule)) list.push(rule);
}

export function compileRules(rules: readonly MerchRule[]): RuleIndex {
  const byQuery = new Map<string, CompiledRule[]>();
  const byCategory = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    const compiled: CompiledRule = { rule, queries: rule.match.queries === undefined ? undefined : new Set(rule.match.queries.map(normaliseQuery)) };
    if (compiled.queries !== undefined) for (const q of compiled.queries) add(byQuery, q, compiled);
    else for (const c of rule.match.categories ?? []) add(byCategory, c, compiled);
  }
  return { byQuery, byCategory };
}

/** The rules that may match a search, in id order (so every instance applies them alike). */
function candidates(index: RuleIndex, query: string, category: string | undefined): CompiledRule[] {
  const found = new Set(index.byQuery.get(query) ?? []);
  for (const key of categoryChain(category)) for (const rule of index.byCategory.get(key) ?? []) found.add(rule);
  return [...found].sort((a, b) => a.rule.id.localeCompare(b.rule.id));
}

export function ruleMatches({ rule, queries }: CompiledRule, query: string, category: string | undefined, now: number): boolean {
  if (rule.enabled === false || !scheduled(rule.schedule, now)) return false;
  const { categories } = rule.match;
  if (queries === undefined && categories === undefined) return false;
  if (queries !== undefined && !queries.has(query)) return false;
  if (categories !== undefined && !categories.some((c) => withinCategory(category, c))) return false;
  return true;
}

export const emptyActions = (): MerchandisingActions => ({ rules: [], filters: [], boosts: [], buries: [], buriedProducts: [], pins: [] });

/**
 * What the rules in force want done to one search, in rule-id order (so two instances always agree): the
 * first redirect wins, filters and boosts add up, a product pinned twice keeps its first position.
 */
export function merchandisingFor(rules: RuleIndex, rawQuery: string, category: string | undefined, now: number): MerchandisingActions {
  const query = normaliseQuery(rawQuery);
  const out = emptyActions();
  const pinned = new Set<string>();
  const positions = new Set<number>();
  for (const compiled of candidates(rules, query, category)) {
    if (!ruleMatches(compiled, query, category, now)) continue;
    const { rule } = compiled;
    out.rules.push(rule.id);
    for (const action of rule.actions) {
      switch (action.type) {
        case 'redirect':
          out.redirect ??= { url: action.url, ruleId: rule.id };
          break;
        case 'filter':
          out.filters.push(action.condition);
          break;
        case 'boost':
          out.boosts.push({ condition: action.condition, weight: action.weight });
          break;
        case 'bury':
          if (action.condition !== undefined) out.buries.push(action.condition);
          for (const id of action.products ?? []) if (!out.buriedProducts.includes(id)) out.buriedProducts.push(id);
          break;
        case 'pin':
          for (const p of action.products) {
            if (pinned.has(p.id) || positions.has(p.position)) continue;
            pinned.add(p.id);
            positions.add(p.position);
            out.pins.push({ id: p.id, position: p.position });
          }
          break;
      }
    }
  }
  out.pins.sort((a, b) => a.position - b.position);
  return out;
}

/** The query rules to publish now: enabled and within their schedules. */
export function activeQueryRules(entries: readonly QueryRuleEntry[], now: number): QueryRule[] {
  return entries.filter((e) => e.enabled !== false && scheduled(e.schedule, now)).map((e) => e.rule);
}

/** The next instant after `now` at which a schedule starts or ends (the active set may change then). */
export function nextBoundary(schedules: ReadonlyArray<Schedule | undefined>, now: number): number | undefined {
  let next: number | undefined;
  for (const schedule of schedules) {
    for (const at of [schedule?.start, schedule?.end]) {
      const t = at === undefined ? NaN : Date.parse(at);
      if (t > now && (next === undefined || t < next)) next = t;
    }
  }
  return next;
}
