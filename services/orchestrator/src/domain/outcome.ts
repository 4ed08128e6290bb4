import type { PlanTerm, QueryOutcome, QueryPlan, SearchResult, SpellingOutcome } from '@search-mesh/contracts';
import { CATEGORY_SEPARATOR } from '@search-mesh/search-index';
import type { Candidate } from './ranking';

export interface OutcomeInput {
  plan: QueryPlan;
  /** The terms the final retrieval used (after any correction), and which of them were optional. */
  terms: readonly PlanTerm[];
  optional: ReadonlySet<number>;
  /** The shopper asked for the words as typed. */
  spellcheck: boolean;
  /** A suggested correction was applied because the words as typed found nothing. */
  correctedForRecovery: boolean;
  /** Whether query understanding answered (a raw-query fallback plan corrects nothing). */
  understood: boolean;
}

function spellingOf(input: OutcomeInput): SpellingOutcome {
  const { spelling, normalised } = input.plan;
  if (spelling.action === 'none' || spelling.corrected === undefined) return { action: 'none' };
  if (spelling.action === 'search' && input.spellcheck) return { action: 'showing_results_for', corrected: spelling.corrected, original: normalised };
  if (input.correctedForRecovery) return { action: 'showing_results_for', corrected: spelling.corrected, original: normalised, recovery: true };
  return { action: 'did_you_mean', corrected: spelling.corrected, original: normalised };
}

/** What the results were found for, and the lines the storefront shows about it. */
export function queryOutcome(input: OutcomeInput): QueryOutcome {
  const kept = input.terms.filter((_, i) => !input.optional.has(i)).map((t) => t.text);
  const dropped = input.terms.filter((_, i) => input.optional.has(i)).map((t) => t.text);
  const spelling = spellingOf(input);
  const messages: string[] = [];
  if (spelling.action === 'showing_results_for') {
    const why = spelling.recovery ? `No products match "${spelling.original}". ` : '';
    messages.push(`${why}Showing results for "${spelling.corrected}". Search instead for "${spelling.original}".`);
  } else if (spelling.action === 'did_you_mean') {
    messages.push(`Did you mean "${spelling.corrected}"?`);
  }
  if (dropped.length > 0) {
    const all = input.terms.map((t) => t.text).join(' ');
    messages.push(
      kept.length > 0
        ? `No products match all of "${all}". Showing results for "${kept.join(' ')}" (without "${dropped.join(' ')}").`
        : `No products match all of "${all}". Showing products that match some of the words.`,
    );
  }
  const outcome: QueryOutcome = {
    original: input.plan.original,
    searched: (kept.length > 0 ? kept : input.terms.map((t) => t.text)).join(' '),
    spelling,
    rewrites: input.plan.rewrites,
    messages,
  };
  if (input.understood) outcome.intent = input.plan.intent;
  if (dropped.length > 0) outcome.relaxed = { dropped };
  return outcome;
}

/** A candidate as the storefront shows it. */
export function toSearchResult(candidate: Candidate): SearchResult {
  const s = candidate.source;
  const result: SearchResult = {
    id: s.id,
    title: s.title,
    brand: s.brand,
    price: s.price,
    rating: s.rating,
    reviewCount: s.review_count,
    inStock: s.in_stock,
    image: s.image,
    categoryPath: s.category.path.split(CATEGORY_SEPARATOR),
  };
  if (candidate.highlightTitle !== undefined) result.highlight = { title: candidate.highlightTitle };
  return result;
}
