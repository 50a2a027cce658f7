import { describe, expect, it } from 'vitest';
import {
  changeSd,
  differenceInDifferences,
  minimumDetectableEffect,
  normalDraw,
  normalQuantile,
  sampleSize,
  seededRandom,
  stratifiedRandomise,
  tQuantile,
  type PanelRow,
} from './analytics-stats.js';

/**
 * A generated panel: each account's spend level μᵢ = 10,000 + 2,000·z (minor units a month), three
 * months before and three after; everyone grows 3 %, the pilot `effect` more; each month's spend
 * is μᵢ × growth × (1 + 0.15·z). The true uplift per account is 10,000 × 1.03 × effect.
 */
function panel(seed: number, effect: number, perGroup = 300): PanelRow[] {
  const random = seededRandom(seed);
  const rows: PanelRow[] = [];
  for (const group of ['pilot', 'control'] as const) {
    for (let i = 0; i < perGroup; i++) {
      const accountId = `${group}-${i}`;
      const level = 10_000 + 2_000 * normalDraw(random);
      for (let m = 0; m < 3; m++) rows.push({ accountId, group, period: 'pre', value: level * (1 + 0.15 * normalDraw(random)) });
      const growth = 1.03 * (group === 'pilot' ? 1 + effect : 1);
      for (let m = 0; m < 3; m++) rows.push({ accountId, group, period: 'post', value: level * growth * (1 + 0.15 * normalDraw(random)) });
    }
  }
  return rows;
}

describe('differenceInDifferences', () => {
  it('finds a known +8 % effect within its 95 % interval (seed fixed)', () => {
    const truth = 10_000 * 1.03 * 0.08;
    const r = differenceInDifferences(panel(42, 0.08));
    expect(r.pilot.accounts).toBe(300);
    expect(r.control.accounts).toBe(300);
    expect(r.ci95[0]).toBeLessThan(truth);
    expect(r.ci95[1]).toBeGreaterThan(truth);
    expect(r.ci95[0]).toBeGreaterThan(0);
    expect(Math.abs(r.did - truth)).toBeLessThan(2.5 * r.se);
    expect(r.relative).toBeGreaterThan(0.04);
    expect(r.relative).toBeLessThan(0.12);
  });

  it('covers the truth in at least 90 % of 100 seeded repetitions', () => {
    const truth = 10_000 * 1.03 * 0.08;
    let covered = 0;
    for (let seed = 1; seed <= 100; seed++) {
      const r = differenceInDifferences(panel(seed * 7919, 0.08, 150));
      if (r.ci95[0] <= truth && truth <= r.ci95[1]) covered++;
    }
    expect(covered).toBeGreaterThanOrEqual(90);
  });

  it('with no effect, the interval contains 0', () => {
    const r = differenceInDifferences(panel(7, 0));
    expect(r.ci95[0]).toBeLessThan(0);
    expect(r.ci95[1]).toBeGreaterThan(0);
  });

  it('computes the means and the clustered standard error by hand on a tiny panel', () => {
    // Pilot Δ: 30, 50 (mean 40); control Δ: 10, 20 (mean 15); did = 25.
    const rows: PanelRow[] = [
      { accountId: 'p1', group: 'pilot', period: 'pre', value: 100 },
      { accountId: 'p1', group: 'pilot', period: 'post', value: 130 },
      { accountId: 'p2', group: 'pilot', period: 'pre', value: 200 },
      { accountId: 'p2', group: 'pilot', period: 'post', value: 250 },
      { accountId: 'c1', group: 'control', period: 'pre', value: 100 },
      { accountId: 'c1', group: 'control', period: 'post', value: 110 },
      { accountId: 'c2', group: 'control', period: 'pre', value: 300 },
      { accountId: 'c2', group: 'control', period: 'post', value: 320 },
    ];
    const r = differenceInDifferences(rows);
    expect(r.pilot).toEqual({ accounts: 2, preMean: 150, postMean: 190 });
    expect(r.control).toEqual({ accounts: 2, preMean: 200, postMean: 215 });
    expect(r.did).toBe(25);
    // Σ(Δ−Δ̄)²/n²: pilot (100+100)/4 = 50, control (25+25)/4 = 12.5; × G/(G−1) = 4/3 → 83.33.
    expect(r.se).toBeCloseTo(Math.sqrt(62.5 * 4 / 3), 9);
  });

  it('refuses an account in both groups', () => {
    expect(() => differenceInDifferences([
      { accountId: 'a', group: 'pilot', period: 'pre', value: 1 },
      { accountId: 'a', group: 'control', period: 'post', value: 1 },
    ])).toThrow(/both groups/);
  });
});

describe('quantiles', () => {
  it('match the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.8)).toBeCloseTo(0.841621, 5);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
    expect(tQuantile(0.975, 10)).toBeCloseTo(2.228, 2);
    expect(tQuantile(0.975, 30)).toBeCloseTo(2.042, 3);
    expect(tQuantile(0.975, 1e9)).toBeCloseTo(1.959964, 5);
  });
});

describe('sample size and minimum detectable effect', () => {
  it('match the textbook formula n = 2 (z₀.₉₇₅ + z₀.₈)² σ² / δ²', () => {
    // σ = 1, δ = 0.5: 2 × (1.959964 + 0.841621)² / 0.25 = 62.79 → 63 per group (the classic table value).
    expect(sampleSize({ sd: 1, effect: 0.5 })).toEqual({ pilot: 63, control: 63 });
    // σ = 2,000, δ = 800 (8 % of 10,000), α = 0.05, power 0.9: 2 × (1.959964 + 1.281552)² × 6.25 = 131.3 → 132.
    expect(sampleSize({ sd: 2000, effect: 800, power: 0.9 })).toEqual({ pilot: 132, control: 132 });
    // Two controls per pilot account: (1 + 1/2) instead of 2.
    const z = normalQuantile(0.975) + normalQuantile(0.8);
    expect(sampleSize({ sd: 1, effect: 0.5, ratio: 2 })).toEqual({ pilot: Math.ceil(z * z * 1.5 / 0.25), control: 2 * Math.ceil(z * z * 1.5 / 0.25) });
  });

  it('the MDE inverts the sample size', () => {
    const mde = minimumDetectableEffect({ sd: 1, pilot: 63, control: 63 });
    expect(mde).toBeLessThanOrEqual(0.5);
    expect(mde).toBeCloseTo(2.801585 * Math.sqrt(2 / 63), 5);
    expect(changeSd(1000, 0.5)).toBeCloseTo(1000, 9);
  });

  it('refuses a zero effect or a non-positive σ', () => {
    expect(() => sampleSize({ sd: 1, effect: 0 })).toThrow(RangeError);
    expect(() => minimumDetectableEffect({ sd: 0, pilot: 1, control: 1 })).toThrow(RangeError);
  });
});

describe('stratifiedRandomise', () => {
  const accounts = Array.from({ length: 101 }, (_, i) => ({ accountId: `acc_${String(i).padStart(3, '0')}`, stratum: ['dealer|north', 'dealer|south', 'installer|north'][i % 3]! }));

  it('is reproducible with the seed, whatever the input order', () => {
    const a = stratifiedRandomise(accounts, 2026);
    const b = stratifiedRandomise([...accounts].reverse(), 2026);
    expect(b).toEqual(a);
    const c = stratifiedRandomise(accounts, 2027);
    expect(c).not.toEqual(a);
  });

  it('balances each stratum within one account', () => {
    for (const seed of [1, 2, 3, 99]) {
      const out = stratifiedRandomise(accounts, seed);
      expect(out).toHaveLength(101);
      for (const stratum of new Set(accounts.map((a) => a.stratum))) {
        const inS = out.filter((o) => o.stratum === stratum);
        const pilot = inS.filter((o) => o.group === 'pilot').length;
        expect(Math.abs(pilot - (inS.length - pilot))).toBeLessThanOrEqual(1);
      }
    }
  });
});
