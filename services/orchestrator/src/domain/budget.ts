/**
 * How one request's budget is divided among the stages of a search:
 *
 *   understand ∥ facet_selection  →  retrieve (Elasticsearch; recovery retries too)  →  rank ∥ facets  →  answer
 *
 * Optional stages (everything but retrieval) are capped at their share of the whole budget, and never eat
 * into what later stages are owed; retrieval, the one stage that cannot fall back, gets everything the
 * later stages are not owed, and at least its own share while time is left. Shares are fractions of the
 * budget; what no stage is owed (`margin`) is kept for building the answer.
 */
export interface BudgetShares {
  understand: number;
  retrieve: number;
  enrich: number;
  margin: number;
}

export const DEFAULT_SHARES: BudgetShares = { understand: 0.2, retrieve: 0.45, enrich: 0.2, margin: 0.1 };

export type Stage = 'understand' | 'retrieve' | 'enrich';

/** Checks shares are usable: each in [0, 1], together at most 1, retrieval and margin positive. */
export function validateShares(shares: BudgetShares): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(shares)) {
    if (!(value >= 0 && value <= 1)) problems.push(`${name} share must be in [0, 1], got ${value}`);
  }
  const sum = shares.understand + shares.retrieve + shares.enrich + shares.margin;
  if (sum > 1 + 1e-9) problems.push(`shares add up to ${sum.toFixed(3)}, more than the whole budget`);
  if (shares.retrieve <= 0) problems.push('retrieve share must be above 0');
  return problems;
}

/**
 * Milliseconds a stage may take, given what is left of the request's budget now and the budget it started
 * with. 0 or less: no time for it (an optional stage falls back at once).
 */
export function stageBudgetMs(stage: Stage, remainingMs: number, totalMs: number, shares: BudgetShares = DEFAULT_SHARES): number {
  const margin = shares.margin * totalMs;
  switch (stage) {
    case 'understand':
      return Math.min(shares.understand * totalMs, remainingMs - (shares.retrieve + shares.enrich) * totalMs - margin);
    case 'retrieve': {
      const leavingEnrichItsShare = remainingMs - shares.enrich * totalMs - margin;
      return Math.max(leavingEnrichItsShare, Math.min(shares.retrieve * totalMs, remainingMs - margin));
    }
    case 'enrich':
      return Math.min(shares.enrich * totalMs, remainingMs - margin);
  }
}
