import type { PlanTerm, QueryPlan, SpellingCorrection } from '@search-mesh/contracts';

/** Replaces whole words of each term's text: `from` → `to`, for every correction. */
function replaceWords(terms: readonly PlanTerm[], pairs: ReadonlyArray<readonly [string, string]>): PlanTerm[] {
  const map = new Map(pairs);
  const swap = (text: string) =>
    text
      .split(' ')
      .map((w) => map.get(w) ?? w)
      .join(' ');
  return terms.map((t) => ({ ...t, text: swap(t.text) }));
}

const pairsOf = (corrections: readonly SpellingCorrection[], direction: 'apply' | 'undo') =>
  corrections.map((c) => (direction === 'apply' ? ([c.from, c.to] as const) : ([c.to, c.from] as const)));

/**
 * The plan's terms with the spelling corrections it only suggested ("did you mean") applied: the first
 * zero-result recovery step. Undefined when the plan has nothing to suggest.
 */
export function termsWithSuggestedCorrections(plan: QueryPlan): PlanTerm[] | undefined {
  if (plan.spelling.action !== 'suggest' || plan.spelling.corrections.length === 0) return undefined;
  return replaceWords(plan.terms, pairsOf(plan.spelling.corrections, 'apply'));
}

/**
 * The plan's terms as the shopper typed them, for "search instead for …" (`spellcheck=false`): the
 * corrections query understanding searched are undone. Other rewrites (rules, synonyms) stay.
 */
export function termsAsTyped(plan: QueryPlan): PlanTerm[] {
  if (plan.spelling.action !== 'search') return plan.terms;
  return replaceWords(plan.terms, pairsOf(plan.spelling.corrections, 'undo'));
}

/** How much a term says about what the shopper wants: a model number most, a colour least. */
const ROLE_IMPORTANCE: Record<PlanTerm['role'], number> = { model_number: 4, brand: 3, word: 2, colour: 1 };

/** At most this many relaxed variants are tried (one cheap probe each, in one request). */
export const MAX_RELAXATIONS = 8;

export interface Relaxation {
  /** Indexes of the terms that become optional. */
  optional: number[];
}

/**
 * Zero-result recovery after spelling: make the least important terms optional, one at a time, then two
 * at a time, and finally every term (any word may match). Least important: by role (colour, word, brand,
 * model number), and among equals the later word (shoppers tend to type the product first, qualifiers
 * after). Variants come in the order they should be preferred; the first that finds products wins.
 */
export function relaxations(terms: readonly PlanTerm[], max = MAX_RELAXATIONS): Relaxation[] {
  const n = terms.length;
  if (n < 2) return [];
  const order = terms
    .map((term, index) => ({ index, importance: ROLE_IMPORTANCE[term.role] }))
    .sort((a, b) => a.importance - b.importance || b.index - a.index)
    .map((t) => t.index);
  const variants: Relaxation[] = order.map((index) => ({ optional: [index] }));
  if (n >= 3) {
    for (let i = 0; i < order.length; i++) {
      for (let j = i + 1; j < order.length; j++) variants.push({ optional: [order[i]!, order[j]!].sort((a, b) => a - b) });
    }
  }
  const capped = variants.slice(0, Math.max(0, max - 1));
  capped.push({ optional: terms.map((_, i) => i) });
  return capped;
}
