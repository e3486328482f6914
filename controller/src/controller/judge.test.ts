import { normalQuantile, oneSidedProportionTest } from './judge.js';

describe('judge statistics', () => {
  it('normalQuantile matches the standard normal table', () => {
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6449, 3);
    expect(normalQuantile(0.99)).toBeCloseTo(2.3263, 3);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.3263, 3);
  });

  it('a higher canary error rate counts only when the counts make it significant', () => {
    // 2 errors in 20 requests against 1 in 1000: clearly worse.
    expect(oneSidedProportionTest(2, 20, 1, 1000, 95)).toBe(true);
    // 1 error in 50 against 10 in 1000: not distinguishable at 95 %.
    expect(oneSidedProportionTest(1, 50, 10, 1000, 95)).toBe(false);
    // A lower error rate is never a degradation.
    expect(oneSidedProportionTest(0, 100, 5, 100, 95)).toBe(false);
    expect(oneSidedProportionTest(1, 0, 0, 10, 95)).toBe(false);
  });
});
