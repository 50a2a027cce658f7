import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bracketOf, divRoundHalfUp, effectiveRateBp, growthBasis, nextBracket, projectBasis, rebateAmount, validateThresholds, type Bracket } from './rebates.brackets.js';

const ladder: Bracket[] = [
  { min: 1_000_000n, rateBp: 200 },
  { min: 2_500_000n, rateBp: 300 },
  { min: 5_000_000n, rateBp: 400 },
];

describe('rebate arithmetic', () => {
  it.each([
    // basis, retroactive, marginal
    [0n, 0n, 0n],
    [999_999n, 0n, 0n],
    [1_000_000n, 20_000n, 0n],
    [2_000_000n, 40_000n, 20_000n],
    [2_500_000n, 75_000n, 30_000n],
    [3_000_000n, 90_000n, 45_000n], // marginal: 1.5M × 2 % + 0.5M × 3 %
    [6_000_000n, 240_000n, 30_000n + 75_000n + 40_000n],
    [1_000_025n, 20_001n, 1n], // 20,000.5 → 20,001 and 0.5 → 1: half up
    [1_000_024n, 20_000n, 0n], // 20,000.48 → 20,000 and 0.48 → 0
  ])('basis %s: retroactive %s, marginal %s', (basis, retro, marginal) => {
    expect(rebateAmount('retroactive', ladder, basis)).toBe(retro);
    expect(rebateAmount('marginal', ladder, basis)).toBe(marginal);
  });

  it('finds the bracket, the next one and what is left to reach it', () => {
    expect(bracketOf(ladder, 999_999n)).toBeNull();
    expect(bracketOf(ladder, 2_600_000n)).toEqual({ min: 2_500_000n, rateBp: 300 });
    expect(nextBracket(ladder, 2_180_000n)).toEqual({ min: 2_500_000n, rateBp: 300, remaining: 320_000n });
    expect(nextBracket(ladder, 5_000_000n)).toBeNull();
    expect(effectiveRateBp('retroactive', ladder, 3_000_000n)).toBe(300);
    expect(effectiveRateBp('marginal', ladder, 3_000_000n)).toBe(150);
  });

  it('rounds half up, negatives away from zero', () => {
    expect([divRoundHalfUp(5n, 2n), divRoundHalfUp(4n, 3n), divRoundHalfUp(5n, 3n), divRoundHalfUp(-5n, 2n)]).toEqual([3n, 1n, 2n, -3n]);
  });

  it('projects pro rata: 8,000 at 40 % of the period is 20,000', () => {
    expect(projectBasis(8_000n, 40, 100)).toBe(20_000n);
    expect(projectBasis(8_000n, 0, 100)).toBe(8_000n);
    expect(projectBasis(8_000n, 100, 100)).toBe(8_000n);
    expect(projectBasis(1n, 3, 10)).toBe(3n); // 3.33 → 3
  });

  it('measures growth against last year; without a prior year skips or counts from zero', () => {
    expect(growthBasis(25_000n, 10_000n, 'skip')).toBe(15_000n);
    expect(growthBasis(8_000n, 10_000n, 'zero')).toBe(0n);
    expect(growthBasis(25_000n, 0n, 'skip')).toBeNull();
    expect(growthBasis(25_000n, 0n, 'zero')).toBe(25_000n);
  });

  it('refuses thresholds that do not ascend or lower the rate, with their paths', () => {
    expect(validateThresholds([{ min: 100, rateBp: 200 }, { min: 100, rateBp: 100 }])).toEqual([
      { path: 'thresholds.1.min', message: 'must be greater than the previous threshold' },
      { path: 'thresholds.1.rateBp', message: 'must not be lower than the previous threshold’s rate' },
    ]);
  });

  // Any valid ladder: ascending mins, non-decreasing rates.
  const ladders = fc
    .array(fc.tuple(fc.bigInt({ min: 1n, max: 10_000_000n }), fc.integer({ min: 0, max: 2_000 })), { minLength: 1, maxLength: 8 })
    .map((steps) => {
      let min = 0n;
      let rate = 0;
      return steps.map(([dMin, dRate], i) => {
        min += i === 0 ? dMin - 1n : dMin;
        rate = Math.min(10_000, rate + dRate);
        return { min, rateBp: rate };
      });
    });
  const basis = fc.bigInt({ min: 0n, max: 100_000_000_000n });

  it('property: retroactive ≥ marginal, both monotone in the basis, never above the top rate', () => {
    fc.assert(
      fc.property(ladders, basis, basis, (l, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const r = (x: bigint) => rebateAmount('retroactive', l, x);
        const m = (x: bigint) => rebateAmount('marginal', l, x);
        expect(r(lo)).toBeGreaterThanOrEqual(m(lo));
        expect(r(hi)).toBeGreaterThanOrEqual(r(lo));
        expect(m(hi)).toBeGreaterThanOrEqual(m(lo));
        expect(r(hi)).toBeLessThanOrEqual(divRoundHalfUp(hi * BigInt(l[l.length - 1].rateBp), 10_000n));
      }),
      { numRuns: 500, seed: 14 },
    );
  });
});
