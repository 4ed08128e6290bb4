import { performance } from 'node:perf_hooks';

/**
 * A point in (monotonic, process-local) time by which the caller stops waiting. Built from the budget in
 * the deadline header on arrival, or from a service's default budget.
 */
export class Deadline {
  private abortSignal: AbortSignal | undefined;

  constructor(readonly at: number) {}

  static after(budgetMs: number, now: number = performance.now()): Deadline {
    return new Deadline(now + budgetMs);
  }

  /** Milliseconds left (negative once past). */
  remaining(now: number = performance.now()): number {
    return this.at - now;
  }

  get expired(): boolean {
    return this.remaining() <= 0;
  }

  /** Aborts when the deadline passes; created on first use only, so requests that never ask pay nothing. */
  get signal(): AbortSignal {
    if (this.abortSignal === undefined) {
      this.abortSignal = AbortSignal.timeout(Math.max(0, Math.ceil(this.remaining())));
    }
    return this.abortSignal;
  }

  /** The budget to send downstream: whole milliseconds left, never negative. */
  toHeaderValue(now?: number): string {
    return String(Math.max(0, Math.floor(this.remaining(now))));
  }
}

export type BudgetParseResult = { ok: true; budgetMs: number } | { ok: false; reason: string };

/** Parses a deadline header value: a non-negative integer number of milliseconds. */
export function parseBudgetHeader(value: string): BudgetParseResult {
  if (!/^\d{1,9}$/.test(value)) {
    return { ok: false, reason: 'must be a whole number of milliseconds' };
  }
  return { ok: true, budgetMs: Number(value) };
}
