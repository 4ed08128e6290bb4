/**
 * Holds the compiled rule set in use and swaps it atomically: a new set is compiled completely first
 * (a bad one throws and leaves the current set in place), then one reference assignment makes it current.
 * A request reads `current` once, so it sees either the old set or the new one, never a mix.
 */
import type { QueryRuleSet } from '@search-mesh/contracts';
import { type CompiledRules, compileRules } from './rules';

export class RuleStore {
  private compiled: CompiledRules;
  private readonly listeners: Array<(rules: CompiledRules, previous: CompiledRules) => void> = [];

  constructor(initial: QueryRuleSet) {
    this.compiled = compileRules(initial);
  }

  get current(): CompiledRules {
    return this.compiled;
  }

  /** Compiles and swaps in `ruleSet`; throws RuleCompileError (current set unchanged) when it is invalid. */
  replace(ruleSet: QueryRuleSet): CompiledRules {
    const next = compileRules(ruleSet);
    const previous = this.compiled;
    this.compiled = next;
    for (const listener of this.listeners) listener(next, previous);
    return next;
  }

  onChange(listener: (rules: CompiledRules, previous: CompiledRules) => void): void {
    this.listeners.push(listener);
  }
}
