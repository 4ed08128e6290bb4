import { featureReadBudgetMs } from '../../src/domain/budget';

describe('featureReadBudgetMs', () => {
  it('is the setting while the caller has time to spare', () => {
    expect(featureReadBudgetMs(1000, 20)).toBe(20);
    expect(featureReadBudgetMs(40, 20)).toBe(20);
  });

  it('is at most half of what is left of the caller deadline', () => {
    expect(featureReadBudgetMs(28, 20)).toBe(14);
    expect(featureReadBudgetMs(9, 20)).toBe(4);
  });

  it('is at least 1 ms, even when the deadline has passed', () => {
    expect(featureReadBudgetMs(1, 20)).toBe(1);
    expect(featureReadBudgetMs(-5, 20)).toBe(1);
  });
});
