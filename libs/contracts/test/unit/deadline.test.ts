import { Deadline, parseBudgetHeader } from '../../src';

describe('Deadline', () => {
  it('counts down from the budget and reports what is left as whole milliseconds', () => {
    const deadline = Deadline.after(150, 1000);
    expect(deadline.remaining(1000)).toBe(150);
    expect(deadline.remaining(1100.7)).toBeCloseTo(49.3);
    expect(deadline.toHeaderValue(1100.7)).toBe('49');
    expect(deadline.toHeaderValue(1200)).toBe('0');
  });

  it('aborts its signal when the deadline passes', async () => {
    const deadline = Deadline.after(20);
    const signal = deadline.signal;
    expect(signal.aborted).toBe(false);
    await new Promise((resolve) => signal.addEventListener('abort', resolve));
    expect(deadline.expired).toBe(true);
  });
});

describe('parseBudgetHeader', () => {
  it.each(['0', '150', '999999999'])('accepts %s', (value) => {
    expect(parseBudgetHeader(value)).toEqual({ ok: true, budgetMs: Number(value) });
  });
  it.each(['', '-1', '1.5', 'abc', '1e3', '1234567890', ' 5'])('rejects %j', (value) => {
    expect(parseBudgetHeader(value).ok).toBe(false);
  });
});
