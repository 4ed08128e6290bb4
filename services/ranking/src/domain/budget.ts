/**
 * How long the behaviour-feature read of a rank request may take: its setting (`FEATURE_STORE_DEADLINE_MS`),
 * but at most half of what is left of the caller's deadline; the other half scores the candidates and carries
 * the answer back. A read cut short ranks the unread candidates with default behaviour, and the caller gets
 * a ranked answer in time; a read that outlasts the caller's deadline loses the whole ranking (the
 * orchestrator falls back to Elasticsearch's order). With cold keys on a busy machine the fixed 20 ms read
 * did that to most first searches of a query: the orchestrator gives ranking at most a fifth of its budget.
 */
export function featureReadBudgetMs(remainingMs: number, configuredMs: number): number {
  return Math.max(1, Math.min(configuredMs, Math.floor(remainingMs / 2)));
}
