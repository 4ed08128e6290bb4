import { RetryBudget } from '../../src';

describe('RetryBudget', () => {
  it('allows retries up to the ratio of first attempts', () => {
    const budget = new RetryBudget({ ratio: 0.2, minPerSecond: 0, now: () => 0 });
    let allowed = 0;
    for (let i = 0; i < 100; i++) {
      budget.deposit();
      if (budget.tryWithdraw()) allowed++;
    }
    expect(allowed).toBe(20);
  });

  it('refills the per-second floor with time, capped', () => {
    let now = 0;
    const budget = new RetryBudget({ ratio: 0, minPerSecond: 2, maxBalance: 3, now: () => now });
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(false);
    now += 500;
    expect(budget.tryWithdraw()).toBe(true);
    expect(budget.tryWithdraw()).toBe(false);
    now += 60_000; // a long quiet spell buys no more than the cap
    let burst = 0;
    while (budget.tryWithdraw()) burst++;
    expect(burst).toBe(3);
  });

  it('rejects nonsensical options', () => {
    expect(() => new RetryBudget({ ratio: 2, minPerSecond: 0 })).toThrow(RangeError);
    expect(() => new RetryBudget({ ratio: 0.1, minPerSecond: -1 })).toThrow(RangeError);
  });
});
