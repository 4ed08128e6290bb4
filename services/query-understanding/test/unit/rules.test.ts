import type { QueryRuleSet } from '@search-mesh/contracts';
import { applyRewriteRules, compileRules, findRedirect, RuleCompileError } from '../../src/domain/rules';
import { RuleStore } from '../../src/domain/rule-store';
import { DEFAULT_RULES } from '../../src/domain/default-rules';

const ruleSet: QueryRuleSet = {
  version: 'v7',
  rules: [
    { id: 's1', type: 'synonym', terms: ['TV', 'Television'] },
    { id: 'o1', type: 'one_way_synonym', from: 'fridge', to: ['refrigerator'] },
    { id: 'd1', type: 'delete', terms: ['best buy', 'online'] },
    { id: 'r1', type: 'replace', from: 'micro wave', to: 'microwave' },
    { id: 'x1', type: 'redirect', queries: ['Return Policy!'], url: '/help/returns' },
  ],
};

describe('rule engine', () => {
  const rules = compileRules(ruleSet);

  it('replaces and deletes whole normalised phrases, longest first, once', () => {
    const result = applyRewriteRules(['best', 'buy', 'micro', 'wave', 'online'], rules);
    expect(result.tokens).toEqual(['microwave']);
    expect(result.rewrites.map((r) => [r.step, r.from, r.to, r.ruleId])).toEqual([
      ['replace', 'micro wave', 'microwave', 'r1'],
      ['delete', 'best buy', '', 'd1'],
      ['delete', 'online', '', 'd1'],
    ]);
    expect(applyRewriteRules(['bestbuy', 'tvs'], rules).tokens).toEqual(['bestbuy', 'tvs']);
  });

  it('never deletes the whole query', () => {
    expect(applyRewriteRules(['online'], rules)).toEqual({ tokens: ['online'], rewrites: [] });
  });

  it('expands two-way synonyms both ways and one-way synonyms one way', () => {
    expect([...rules.synonyms.get(['tv'])!.alternatives]).toEqual(['television']);
    expect([...rules.synonyms.get(['television'])!.alternatives]).toEqual(['tv']);
    expect([...rules.synonyms.get(['fridge'])!.alternatives]).toEqual(['refrigerator']);
    expect(rules.synonyms.get(['refrigerator'])).toBeUndefined();
  });

  it('redirects on the whole normalised query only', () => {
    expect(findRedirect('return policy', rules)).toEqual({ url: '/help/returns', ruleId: 'x1' });
    expect(findRedirect('return policy tv', rules)).toBeUndefined();
  });

  it('remembers every word a rule names, so spelling leaves them alone', () => {
    expect(rules.words.has('fridge')).toBe(true);
    expect(rules.words.has('wave')).toBe(true);
  });

  it('refuses a phrase with nothing searchable and a duplicate id, naming where', () => {
    const bad = (rule: QueryRuleSet['rules'][number]) => () => compileRules({ version: 'x', rules: [ruleSet.rules[0]!, rule] });
    expect(bad({ id: 'r2', type: 'replace', from: '***', to: 'x' })).toThrow(expect.objectContaining({ path: 'rules.1.from' }));
    expect(bad({ id: 's1', type: 'delete', terms: ['x'] })).toThrow(RuleCompileError);
  });

  it('compiles the built-in rules', () => {
    expect(compileRules(DEFAULT_RULES).ruleCount).toBe(DEFAULT_RULES.rules.length);
  });
});

describe('RuleStore', () => {
  it('swaps a compiled set atomically and keeps the current one when the new one is invalid', () => {
    const store = new RuleStore(DEFAULT_RULES);
    const before = store.current;
    const seen: string[] = [];
    store.onChange((next, previous) => seen.push(`${previous.version}→${next.version}`));
    expect(() => store.replace({ version: 'broken', rules: [{ id: 'a', type: 'delete', terms: ['!!!'] }] })).toThrow(RuleCompileError);
    expect(store.current).toBe(before);
    store.replace(ruleSet);
    expect(store.current.version).toBe('v7');
    expect(before.version).toBe('builtin-1'); // a request holding the old set still sees all of it
    expect(seen).toEqual(['builtin-1→v7']);
  });
});
