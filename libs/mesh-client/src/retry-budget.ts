/**
 * Caps retries at a fraction of recent first attempts, plus a small floor per second (the retry budget
 * of Finagle and Envoy): when a downstream is failing, retries cannot multiply its load.
 *
 * Tokens: every first attempt deposits `ratio` tokens, every retry withdraws one; the floor adds
 * `minPerSecond` tokens a second. The balance is capped, so a long quiet spell does not buy a storm.
 */
export interface RetryBudgetOptions {
  /** Retries allowed per first attempt, e.g. 0.1 = at most 10% extra load. */
  ratio: number;
  /** Retries always allowed per second, so a service with little traffic can still retry. */
  minPerSecond: number;
  /** Largest balance, in retries. */
  maxBalance?: number;
  now?: () => number;
}

export class RetryBudget {
  private balance: number;
  private lastRefill: number;
  private readonly maxBalance: number;
  private readonly now: () => number;

  constructor(private readonly opts: RetryBudgetOptions) {
    if (!(opts.ratio >= 0 && opts.ratio <= 1)) throw new RangeError('retry budget ratio must be within [0, 1]');
    if (!(opts.minPerSecond >= 0)) throw new RangeError('retry budget minPerSecond must be >= 0');
    this.now = opts.now ?? Date.now;
    this.maxBalance = opts.maxBalance ?? Math.max(10, opts.minPerSecond * 10);
    this.balance = opts.minPerSecond;
    this.lastRefill = this.now();
  }

  /** Records a first attempt. */
  deposit(): void {
    this.balance = Math.min(this.maxBalance, this.balance + this.opts.ratio);
  }

  /** Takes one retry from the budget; false when none is left. */
  tryWithdraw(): boolean {
    this.refill();
    if (this.balance < 1) return false;
    this.balance -= 1;
    return true;
  }

  private refill(): void {
    const now = this.now();
    const elapsedSeconds = (now - this.lastRefill) / 1000;
    if (elapsedSeconds > 0) {
      this.balance = Math.min(this.maxBalance, this.balance + elapsedSeconds * this.opts.minPerSecond);
      this.lastRefill = now;
    }
  }
}
