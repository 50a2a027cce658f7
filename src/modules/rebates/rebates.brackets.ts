import type { FieldError } from '../../lib/domain-error.js';

/**
 * The rebate arithmetic, pure and in bigint: which bracket a basis reaches, what it earns under
 * each scheme, and the pro-rata projection. Every division rounds half up, once, at the end
 * (a basis of 1,005 at 50 bp earns 5.025 → 5; 1,010 at 50 bp earns 5.05 → 5; 1,030 → 5.15 → 5;
 * 1,100 → 5.5 → 6).
 */

export type Bracket = { min: bigint; rateBp: number };
export type Scheme = 'retroactive' | 'marginal';

const BP = 10_000n;

/** round-half-up(num ÷ den) for den > 0; negative numerators round half away from zero. */
export function divRoundHalfUp(num: bigint, den: bigint): bigint {
  if (den <= 0n) throw new RangeError('den must be positive');
  if (num < 0n) return -divRoundHalfUp(-num, den);
  return (2n * num + den) / (2n * den);
}

/** Thresholds must ascend strictly in `min` and never lower the rate (so more volume never earns less). */
export function validateThresholds(ts: { min: number; rateBp: number }[], path = 'thresholds'): FieldError[] {
  const bad: FieldError[] = [];
  for (let i = 1; i < ts.length; i++) {
    if (ts[i].min <= ts[i - 1].min) bad.push({ path: `${path}.${i}.min`, message: 'must be greater than the previous threshold' });
    if (ts[i].rateBp < ts[i - 1].rateBp) bad.push({ path: `${path}.${i}.rateBp`, message: 'must not be lower than the previous threshold’s rate' });
  }
  return bad;
}

/** The highest bracket whose `min` the basis reaches, or null below the first. `brackets` ascend. */
export function bracketOf(brackets: Bracket[], basis: bigint): Bracket | null {
  let hit: Bracket | null = null;
  for (const b of brackets) if (basis >= b.min) hit = b;
  return hit;
}

/** The first bracket above the one reached, with what is left to reach it. */
export function nextBracket(brackets: Bracket[], basis: bigint): (Bracket & { remaining: bigint }) | null {
  const b = brackets.find((x) => x.min > basis);
  return b ? { ...b, remaining: b.min - basis } : null;
}

/**
 * The rebate on `basis` (negative counts as zero).
 * - retroactive: the rate of the bracket reached on the whole basis ("back to dollar one");
 * - marginal: each band [minᵢ, minᵢ₊₁) at its own rate; below the first threshold nothing.
 */
export function rebateAmount(scheme: Scheme, brackets: Bracket[], basis: bigint): bigint {
  if (basis <= 0n) return 0n;
  if (scheme === 'retroactive') {
    const b = bracketOf(brackets, basis);
    return b ? divRoundHalfUp(basis * BigInt(b.rateBp), BP) : 0n;
  }
  let num = 0n;
  for (let i = 0; i < brackets.length; i++) {
    const lo = brackets[i].min;
    if (basis <= lo) break;
    const hi = i + 1 < brackets.length && brackets[i + 1].min < basis ? brackets[i + 1].min : basis;
    num += (hi - lo) * BigInt(brackets[i].rateBp);
  }
  return divRoundHalfUp(num, BP);
}

/** The rate a settlement line shows: the bracket's (retroactive), or the effective rate amount ÷ basis (marginal). */
export function effectiveRateBp(scheme: Scheme, brackets: Bracket[], basis: bigint): number {
  if (basis <= 0n) return 0;
  if (scheme === 'retroactive') return bracketOf(brackets, basis)?.rateBp ?? 0;
  return Number(divRoundHalfUp(rebateAmount(scheme, brackets, basis) * BP, basis));
}

/**
 * The basis at the end of the period if it goes on as so far: basis × length ÷ elapsed (rounded
 * half up). Before the period starts it is the basis itself; after it ends, too.
 */
export function projectBasis(basis: bigint, elapsedMs: number, lengthMs: number): bigint {
  if (elapsedMs <= 0 || elapsedMs >= lengthMs) return basis;
  return divRoundHalfUp(basis * BigInt(lengthMs), BigInt(elapsedMs));
}

/**
 * The basis of a growth rebate: the volume above the same period last year, never below zero.
 * With no prior year (`baseline` zero or less), `skip` gives null (no rebate) and `zero` the volume.
 */
export function growthBasis(volume: bigint, baseline: bigint, noPriorYear: 'skip' | 'zero'): bigint | null {
  if (baseline <= 0n) return noPriorYear === 'skip' ? null : volume > 0n ? volume : 0n;
  const g = volume - baseline;
  return g > 0n ? g : 0n;
}
