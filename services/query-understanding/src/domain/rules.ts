/**
 * The merchandiser rule engine: compiles a `QueryRuleSet` (contract in `@search-mesh/contracts`) into
 * phrase matchers once, then applies them to a query's tokens with no allocation beyond the result.
 * Phrases match whole normalised tokens, longest match first, left to right, in one pass (a replacement's
 * output is not matched again, so rules cannot loop).
 */
import type { PlanRewrite, QueryRuleSet } from '@search-mesh/contracts';
import { normaliseText } from './normalise';

export class RuleCompileError extends Error {
  constructor(
    message: string,
    /** JSON path of the offending value inside the rule set, e.g. "rules.3.from". */
    readonly path: string,
  ) {
    super(message);
    this.name = 'RuleCompileError';
  }
}

interface PhraseEntry<T> {
  tokens: string[];
  value: T;
}

/** Phrases indexed by their first token, longest first. */
export class PhraseMatcher<T> {
  private readonly byFirst = new Map<string, PhraseEntry<T>[]>();

  add(tokens: string[], value: T): void {
    const list = this.byFirst.get(tokens[0]!) ?? [];
    list.push({ tokens, value });
    list.sort((a, b) => b.tokens.length - a.tokens.length);
    this.byFirst.set(tokens[0]!, list);
  }

  get(tokens: readonly string[]): T | undefined {
    return this.matchAt(tokens, 0, tokens.length)?.value;
  }

  /** The longest phrase starting at `start` (and ending by `end`), or undefined. */
  matchAt(tokens: readonly string[], start: number, end = tokens.length): PhraseEntry<T> | undefined {
    const candidates = this.byFirst.get(tokens[start]!);
    if (candidates === undefined) return undefined;
    outer: for (const entry of candidates) {
      if (start + entry.tokens.length > end) continue;
      for (let k = 1; k < entry.tokens.length; k++) if (tokens[start + k] !== entry.tokens[k]) continue outer;
      return entry;
    }
    return undefined;
  }

  get size(): number {
    let n = 0;
    for (const list of this.byFirst.values()) n += list.length;
    return n;
  }
}

export interface CompiledRules {
  version: string;
  redirects: Map<string, { url: string; ruleId: string }>;
  replacements: PhraseMatcher<{ to: string[]; ruleId: string }>;
  deletions: PhraseMatcher<{ ruleId: string }>;
  synonyms: PhraseMatcher<{ alternatives: Set<string>; ruleIds: string[] }>;
  /** Every word a rule mentions: spelling correction leaves them alone. */
  words: Set<string>;
  ruleCount: number;
}

function phraseTokens(phrase: string, path: string): string[] {
  const tokens = normaliseText(phrase).tokens;
  if (tokens.length === 0) throw new RuleCompileError(`"${phrase}" has no searchable characters`, path);
  return tokens;
}

/** Compiles a validated rule set; throws RuleCompileError naming the rule for a phrase that normalises to nothing. */
export function compileRules(ruleSet: QueryRuleSet): CompiledRules {
  const compiled: CompiledRules = {
    version: ruleSet.version,
    redirects: new Map(),
    replacements: new PhraseMatcher(),
    deletions: new PhraseMatcher(),
    synonyms: new PhraseMatcher(),
    words: new Set(),
    ruleCount: ruleSet.rules.length,
  };
  const ids = new Set<string>();
  const synonymsOf = new Map<string, { tokens: string[]; alternatives: Set<string>; ruleIds: string[] }>();
  const addSynonyms = (from: string[], to: string[][], ruleId: string) => {
    const key = from.join(' ');
    const entry = synonymsOf.get(key) ?? { tokens: from, alternatives: new Set<string>(), ruleIds: [] };
    for (const alternative of to) if (alternative.join(' ') !== key) entry.alternatives.add(alternative.join(' '));
    if (!entry.ruleIds.includes(ruleId)) entry.ruleIds.push(ruleId);
    synonymsOf.set(key, entry);
  };
  ruleSet.rules.forEach((rule, i) => {
    const at = `rules.${i}`;
    if (ids.has(rule.id)) throw new RuleCompileError(`duplicate rule id "${rule.id}"`, `${at}.id`);
    ids.add(rule.id);
    const remember = (tokens: string[]) => {
      for (const t of tokens) compiled.words.add(t);
      return tokens;
    };
    switch (rule.type) {
      case 'synonym': {
        const phrases = rule.terms.map((t, k) => remember(phraseTokens(t, `${at}.terms.${k}`)));
        for (const phrase of phrases) addSynonyms(phrase, phrases, rule.id);
        break;
      }
      case 'one_way_synonym':
        addSynonyms(
          remember(phraseTokens(rule.from, `${at}.from`)),
          rule.to.map((t, k) => remember(phraseTokens(t, `${at}.to.${k}`))),
          rule.id,
        );
        break;
      case 'delete':
        rule.terms.forEach((t, k) => compiled.deletions.add(remember(phraseTokens(t, `${at}.terms.${k}`)), { ruleId: rule.id }));
        break;
      case 'replace':
        compiled.replacements.add(remember(phraseTokens(rule.from, `${at}.from`)), { to: remember(phraseTokens(rule.to, `${at}.to`)), ruleId: rule.id });
        break;
      case 'redirect':
        rule.queries.forEach((q, k) => compiled.redirects.set(remember(phraseTokens(q, `${at}.queries.${k}`)).join(' '), { url: rule.url, ruleId: rule.id }));
        break;
    }
  });
  for (const entry of synonymsOf.values()) {
    if (entry.alternatives.size > 0) compiled.synonyms.add(entry.tokens, { alternatives: entry.alternatives, ruleIds: entry.ruleIds });
  }
  return compiled;
}

export interface RewriteResult {
  tokens: string[];
  rewrites: PlanRewrite[];
}

/** One left-to-right pass: every longest match is replaced by what `apply` makes of it. */
function rewriteMatches<T>(
  tokens: readonly string[],
  matcher: PhraseMatcher<T>,
  apply: (match: PhraseEntry<T>) => { tokens: string[]; rewrite: PlanRewrite },
): RewriteResult {
  const out: string[] = [];
  const rewrites: PlanRewrite[] = [];
  for (let i = 0; i < tokens.length; ) {
    const match = matcher.matchAt(tokens, i);
    if (match === undefined) {
      out.push(tokens[i]!);
      i++;
      continue;
    }
    const applied = apply(match);
    out.push(...applied.tokens);
    rewrites.push(applied.rewrite);
    i += match.tokens.length;
  }
  return { tokens: out, rewrites };
}

/** Applies replacements, then deletions; a deletion that would leave nothing is skipped. */
export function applyRewriteRules(tokens: readonly string[], rules: CompiledRules): RewriteResult {
  const replaced = rewriteMatches(tokens, rules.replacements, (m) => ({
    tokens: m.value.to,
    rewrite: { step: 'replace', from: m.tokens.join(' '), to: m.value.to.join(' '), ruleId: m.value.ruleId, detail: 'merchandiser replacement' },
  }));
  const deleted = rewriteMatches(replaced.tokens, rules.deletions, (m) => ({
    tokens: [],
    rewrite: { step: 'delete', from: m.tokens.join(' '), to: '', ruleId: m.value.ruleId, detail: 'merchandiser deletion' },
  }));
  return deleted.tokens.length > 0 ? { tokens: deleted.tokens, rewrites: [...replaced.rewrites, ...deleted.rewrites] } : replaced;
}

/** The redirect for a whole normalised query, if a rule names it. */
export function findRedirect(text: string, rules: CompiledRules): { url: string; ruleId: string } | undefined {
  return rules.redirects.get(text);
}
