import type { MerchRule } from '@search-mesh/contracts';
import { activeQueryRules, compileRules, merchandisingFor as merchandisingOf, nextBoundary, scheduled, withinCategory } from '../../src/domain/rules';
import { ConfigState } from '../../src/domain/state';
import { ConfigInvalid, diff, validateFacetConfig, validateMerchRule, validateQueryRule, validateSuggestBlocklist } from '../../src/domain/validate';

const NOW = Date.parse('2026-06-01T12:00:00Z');
const merchandisingFor = (rules: MerchRule[], query: string, category: string | undefined, now: number) => merchandisingOf(compileRules(rules), query, category, now);

describe('merchandisingFor', () => {
  const rules: MerchRule[] = [
    { id: 'b-pin', match: { queries: ['TV'] }, actions: [{ type: 'pin', products: [{ id: 'p1', position: 1 }, { id: 'p2', position: 3 }] }] },
    { id: 'a-cat', match: { categories: ['Appliances'] }, actions: [{ type: 'boost', condition: { type: 'terms', field: 'brand', values: ['LG'] }, weight: 3 }, { type: 'bury', products: ['p9'] }] },
    { id: 'c-later', match: { queries: ['tv'] }, schedule: { start: '2026-07-01T00:00:00Z' }, actions: [{ type: 'redirect', url: '/tv-sale' }] },
    { id: 'd-off', enabled: false, match: { queries: ['tv'] }, actions: [{ type: 'filter', condition: { type: 'terms', field: 'brand', values: ['Sony'] } }] },
    { id: 'e-both', match: { queries: ['fridge'], categories: ['Appliances'] }, actions: [{ type: 'redirect', url: '/fridges' }] },
  ];

  it('matches normalised queries, skips disabled and out-of-schedule rules', () => {
    expect(merchandisingFor(rules, '  Tv! ', undefined, NOW)).toEqual({ rules: ['b-pin'], filters: [], boosts: [], buries: [], buriedProducts: [], pins: [{ id: 'p1', position: 1 }, { id: 'p2', position: 3 }] });
    expect(merchandisingFor(rules, 'tv', undefined, Date.parse('2026-07-02T00:00:00Z')).redirect).toEqual({ url: '/tv-sale', ruleId: 'c-later' });
  });

  it('category rules hold in the category and below; query and category together need both', () => {
    expect(merchandisingFor(rules, 'anything', 'Appliances > Refrigerators', NOW)).toMatchObject({ rules: ['a-cat'], boosts: [{ weight: 3 }], buriedProducts: ['p9'] });
    expect(merchandisingFor(rules, 'fridge', undefined, NOW).redirect).toBeUndefined();
    expect(merchandisingFor(rules, 'fridge', 'Appliances', NOW).redirect).toEqual({ url: '/fridges', ruleId: 'e-both' });
    expect(withinCategory('Appliances Extra', 'Appliances')).toBe(false);
  });

  it('a rule for every category applies everywhere, once even when its phrases coincide', () => {
    const everywhere: MerchRule[] = [
      { id: 'all', match: { categories: ['*'] }, actions: [{ type: 'filter', condition: { type: 'terms', field: 'in_stock', values: ['true'] } }] },
      { id: 'twice', match: { queries: ['TV', 'tv!'] }, actions: [{ type: 'boost', condition: { type: 'terms', field: 'brand', values: ['LG'] }, weight: 2 }] },
    ];
    expect(merchandisingFor(everywhere, 'tv', undefined, NOW)).toMatchObject({ rules: ['all', 'twice'], filters: [{ field: 'in_stock' }], boosts: [{ weight: 2 }] });
    expect(merchandisingFor(everywhere, 'radio', 'A > B', NOW).rules).toEqual(['all']);
  });

  it('schedules: start inclusive, end exclusive', () => {
    expect(scheduled({ start: '2026-06-01T12:00:00Z', end: '2026-06-01T13:00:00Z' }, NOW)).toBe(true);
    expect(scheduled({ end: '2026-06-01T12:00:00Z' }, NOW)).toBe(false);
  });
});

describe('query rules in force', () => {
  const syn = (id: string) => ({ id, type: 'synonym' as const, terms: ['a', 'b'] });
  const entries = [
    { rule: syn('always') },
    { rule: syn('off'), enabled: false },
    { rule: syn('later'), schedule: { start: '2026-06-02T00:00:00Z' } },
    { rule: syn('ending'), schedule: { end: '2026-06-01T12:30:00Z' } },
  ];
  it('publishes the enabled rules within their schedules', () => {
    expect(activeQueryRules(entries, NOW).map((r) => r.id)).toEqual(['always', 'ending']);
    expect(activeQueryRules(entries, Date.parse('2026-06-03T00:00:00Z')).map((r) => r.id)).toEqual(['always', 'later']);
  });
  it('knows when the set may change next', () => {
    expect(nextBoundary(entries.map((e) => e.schedule), NOW)).toBe(Date.parse('2026-06-01T12:30:00Z'));
    expect(nextBoundary(entries.map((e) => e.schedule), Date.parse('2026-06-03T00:00:00Z'))).toBeUndefined();
  });
});

describe('validation names the field', () => {
  const known = (p: string) => p === 'Appliances';
  const field = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      if (err instanceof ConfigInvalid) return err.field;
      throw err;
    }
    return undefined;
  };
  it('facet configurations', () => {
    expect(field(() => validateFacetConfig({ category: 'Nope', facets: [] }, 'Nope', known))).toBe('body.config.category');
    expect(field(() => validateFacetConfig({ category: '*', facets: [{ field: 'brand', display: 'range', position: 0 }] }, '*', known))).toBe('body.config.facets.0.display');
    expect(field(() => validateFacetConfig({ category: '*', facets: [{ field: 'brand', display: 'terms', position: 0, valueOrder: 'custom' }] }, '*', known))).toBe('body.config.facets.0.customOrder');
    expect(field(() => validateFacetConfig({ category: '*', facets: [{ field: 'brand', display: 'terms', position: 0 }, { field: 'brand', display: 'terms', position: 1 }] }, '*', known))).toBe('body.config.facets.1.field');
    expect(field(() => validateFacetConfig({ category: 'Appliances', facets: [{ field: 'price', display: 'price_buckets', position: 0, ranges: [{ from: 5, to: 1 }] }] }, 'Appliances', known))).toBe('body.config.facets.0.ranges.0.to');
    expect(field(() => validateFacetConfig({ category: 'Appliances', facets: [{ field: 'category', display: 'category', position: 0 }] }, 'Appliances', known))).toBeUndefined();
  });
  it('rules', () => {
    const rule = (r: Partial<MerchRule>): MerchRule => ({ id: 'r', match: { queries: ['tv'] }, actions: [{ type: 'redirect', url: '/x' }], ...r });
    expect(field(() => validateMerchRule(rule({ match: {} }), 'r', known))).toBe('body.config.match');
    expect(field(() => validateMerchRule(rule({ actions: [{ type: 'bury' }] }), 'r', known))).toBe('body.config.actions.0');
    expect(field(() => validateMerchRule(rule({ actions: [{ type: 'filter', condition: { type: 'terms', field: 'price', values: ['1'] } }] }), 'r', known))).toBe('body.config.actions.0.condition.type');
    expect(field(() => validateMerchRule(rule({ schedule: { start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z' } }), 'r', known))).toBe('body.config.schedule.end');
    expect(field(() => validateMerchRule(rule({}), 'other', known))).toBe('body.config.id');
    expect(field(() => validateQueryRule({ rule: { id: 'q', type: 'delete', terms: ['x'] } }, 'other'))).toBe('body.config.rule.id');
    expect(field(() => validateQueryRule({ rule: { id: 'q', type: 'delete', terms: ['x'] }, schedule: { start: '2026-02-01T00:00:00Z', end: '2026-01-01T00:00:00Z' } }, 'q'))).toBe('body.config.schedule.end');
  });
  it('the suggestion blocklist: one document, terms with words, none twice once folded', () => {
    expect(field(() => validateSuggestBlocklist({ terms: ['Gun', 'hover board', 'Café'] }, 'default'))).toBeUndefined();
    expect(field(() => validateSuggestBlocklist({ terms: [] }, 'default'))).toBeUndefined();
    expect(field(() => validateSuggestBlocklist({ terms: ['gun'] }, 'other'))).toBe('params.id');
    expect(field(() => validateSuggestBlocklist({ terms: ['gun', '!!!'] }, 'default'))).toBe('body.config.terms.1');
    expect(field(() => validateSuggestBlocklist({ terms: ['cafe', 'x', 'CAFÉ'] }, 'default'))).toBe('body.config.terms.2');
    expect(field(() => validateSuggestBlocklist({ terms: ['hover board', 'hover-board'] }, 'default'))).toBe('body.config.terms.1');
  });
});

describe('diff', () => {
  it('lists changed leaves by path', () => {
    expect(diff({ a: 1, b: [{ c: 'x' }], d: 2 }, { a: 1, b: [{ c: 'y' }], e: 3 })).toEqual([
      { path: 'b.0.c', before: 'x', after: 'y' },
      { path: 'd', before: 2 },
      { path: 'e', after: 3 },
    ]);
    expect(diff(null, { a: 1 })).toEqual([{ path: '.', before: null, after: { a: 1 } }]);
  });
});

describe('ConfigState', () => {
  const doc = (version: number, body: unknown) => ({ kind: 'rule' as const, id: 'r', version, body: body as MerchRule | null, updatedAt: '', updatedBy: 'x' });
  it('applies only newer versions, in any order, and its version grows with every change', () => {
    const state = new ConfigState();
    expect(state.apply(doc(2, { id: 'r' }))).toBe(true);
    expect(state.apply(doc(1, { id: 'old' }))).toBe(false);
    expect(state.apply(doc(2, { id: 'r' }))).toBe(false);
    expect(state.version).toBe('2');
    expect(state.apply(doc(3, null))).toBe(true);
    expect(state.list('rule')).toEqual([]);
    expect(state.version).toBe('3');
  });
  it('drafts go to a copy, never to the live state', () => {
    const state = new ConfigState();
    state.apply(doc(1, { id: 'r' }));
    const draft = state.withDrafts([{ kind: 'rule', id: 'r', body: null }, { kind: 'facets', id: '*', body: { category: '*', facets: [] } }]);
    expect(draft.list('rule')).toEqual([]);
    expect(draft.list('facets')).toHaveLength(1);
    expect(state.list('rule')).toHaveLength(1);
    expect(state.list('facets')).toHaveLength(0);
  });
});
