import { describe, expect, it } from 'vitest';
import { bp, cohortRetention, computeKpis, computeLiability, type FlowRow, type KpiInput } from './kpis.js';

const row = (accountId: string, currency: string, v: Partial<FlowRow>): FlowRow => ({ day: '2026-03-01', accountId, currency, issued: 0n, adjusted: 0n, redeemed: 0n, expired: 0n, reversed: 0n, ...v });

/** Three accounts, two currencies; every expected figure below is worked out by hand. */
const fixture: Omit<KpiInput, 'by'> = {
  accounts: [
    { id: 'A', type: 'dealer', segment: 'pro', region: 'north', tier: 'gold' },
    { id: 'B', type: 'dealer', segment: 'pro', region: 'south', tier: null },
    { id: 'C', type: 'installer', segment: null, region: 'north', tier: null },
  ],
  activeAccountIds: new Set(['A', 'C']),
  flows: [
    row('A', 'points', { issued: 1000n, redeemed: 300n }),
    row('A', 'points', { day: '2026-03-02', reversed: 100n }),
    row('B', 'points', { issued: 500n, expired: 50n }),
    row('C', 'points', { adjusted: 200n, redeemed: 100n }),
    row('A', 'cashback', { issued: 2000n, redeemed: 1500n }),
  ],
  revenue: [
    { accountId: 'A', currency: 'EUR', amount: 100_000n },
    { accountId: 'B', currency: 'EUR', amount: 50_000n },
  ],
  cohorts: [
    { month: '2026-01', currency: 'points', issued: 1000n, redeemed: 600n, expired: 200n },
    { month: '2026-02', currency: 'points', issued: 1000n, redeemed: 300n, expired: 100n },
  ],
  outstanding: new Map([['points', 2000n], ['cashback', 500n]]),
  // A point costs the program half a cent; cashback is money.
  costs: new Map([['points', { moneyCurrency: 'EUR', costPer1000: 500n }], ['cashback', { moneyCurrency: 'EUR', costPer1000: 1000n }]]),
};

describe('computeKpis', () => {
  it('program-wide: participation, value flows, redemption rate, cost and its share of revenue', () => {
    const { slices } = computeKpis({ ...fixture, by: null });
    expect(slices).toHaveLength(1);
    const s = slices[0]!;
    // 2 of 3 accounts active → 66.67 %.
    expect(s).toMatchObject({ slice: 'all', enrolled: 3, active: 2, participationBp: 6667 });
    // points: redeemed 400 of 1000 + 500 issued + 200 adjusted − 100 reversed = 1600 → 25 %.
    expect(s.value).toEqual([
      { currency: 'cashback', issued: 2000n, adjusted: 0n, redeemed: 1500n, expired: 0n, reversed: 0n, redemptionRateBp: 7500 },
      { currency: 'points', issued: 1500n, adjusted: 200n, redeemed: 400n, expired: 50n, reversed: 100n, redemptionRateBp: 2500 },
    ]);
    // cost: 400 points × 0.5 ct = 200 ct + 1500 ct cashback = 1700 ct; 1700 / 150000 = 1.13 %.
    expect(s.money).toEqual([{ moneyCurrency: 'EUR', revenue: 150_000n, cost: 1700n, costShareBp: 113, revenuePerAccount: 50_000n }]);
  });

  it('sliced by account type', () => {
    const { slices } = computeKpis({ ...fixture, by: 'type' });
    expect(slices.map((s) => s.slice)).toEqual(['dealer', 'installer']);
    const [dealer, installer] = slices;
    // dealer: 300 / (1500 − 100) = 21.43 %; cost 150 + 1500 = 1650 of 150000 = 1.10 %.
    expect(dealer).toMatchObject({ enrolled: 2, active: 1, participationBp: 5000 });
    expect(dealer!.value.find((v) => v.currency === 'points')!.redemptionRateBp).toBe(2143);
    expect(dealer!.money).toEqual([{ moneyCurrency: 'EUR', revenue: 150_000n, cost: 1650n, costShareBp: 110, revenuePerAccount: 75_000n }]);
    // installer: 100 / 200 = 50 %; a cost of 50 ct and no revenue: no share.
    expect(installer).toMatchObject({ enrolled: 1, active: 1, participationBp: 10000 });
    expect(installer!.value[0]!.redemptionRateBp).toBe(5000);
    expect(installer!.money).toEqual([{ moneyCurrency: 'EUR', revenue: 0n, cost: 50n, costShareBp: null, revenuePerAccount: 0n }]);
  });

  it('sliced by region, tier (a missing value is its own slice) and currency', () => {
    expect(computeKpis({ ...fixture, by: 'region' }).slices.map((s) => [s.slice, s.enrolled, s.active])).toEqual([['north', 2, 2], ['south', 1, 0]]);
    expect(computeKpis({ ...fixture, by: 'tier' }).slices.map((s) => [s.slice, s.enrolled])).toEqual([['(none)', 2], ['gold', 1]]);
    const byCurrency = computeKpis({ ...fixture, by: 'currency' }).slices;
    expect(byCurrency.map((s) => s.slice)).toEqual(['EUR', 'cashback', 'points']);
    expect(byCurrency.find((s) => s.slice === 'points')!.value[0]!.redemptionRateBp).toBe(2500);
  });
});

describe('liability and breakage from cohorts', () => {
  it('estimates the expected redemption rate from resolved cohort value', () => {
    const liability = computeLiability(fixture);
    // points: (600 + 300) redeemed of (600 + 200 + 300 + 100) resolved = 75 %, breakage 25 %;
    // 2000 outstanding × 75 % = 1500, at half a cent = 750 ct.
    expect(liability).toEqual([
      { currency: 'cashback', outstanding: 500n, expectedRedemptionBp: 10000, breakageBp: 0, liability: 500n, liabilityAtCost: { moneyCurrency: 'EUR', amount: 500n } },
      { currency: 'points', outstanding: 2000n, expectedRedemptionBp: 7500, breakageBp: 2500, liability: 1500n, liabilityAtCost: { moneyCurrency: 'EUR', amount: 750n } },
    ]);
  });

  it('rounds basis points half up', () => {
    expect(bp(1n, 3n)).toBe(3333);
    expect(bp(2n, 3n)).toBe(6667);
    expect(bp(1n, 0n)).toBe(0);
    expect(bp(-1n, 8n)).toBe(-1250);
  });
});

describe('cohortRetention', () => {
  it('computes retention and cumulative spend by month since joining, by hand', () => {
    // January: A, B; February: C. A active Jan, Feb, Mar; B only Jan; C Feb, Mar.
    const joined = new Map([['A', '2026-01'], ['B', '2026-01'], ['C', '2026-02']]);
    const activity = [
      { accountId: 'A', month: '2026-01', spend: 100n },
      { accountId: 'B', month: '2026-01', spend: 300n },
      { accountId: 'A', month: '2026-02', spend: 100n },
      { accountId: 'A', month: '2026-03', spend: 100n },
      { accountId: 'C', month: '2026-02', spend: 50n },
      { accountId: 'C', month: '2026-03', spend: 50n },
    ];
    expect(cohortRetention(joined, activity, '2026-01', '2026-03')).toEqual([
      // 2 of 2, 1 of 2, 1 of 2; spend (400)/2 = 200, 500/2 = 250, 600/2 = 300.
      { cohort: '2026-01', accounts: 2, retentionBp: [10000, 5000, 5000], cumulativeSpend: [200, 250, 300] },
      { cohort: '2026-02', accounts: 1, retentionBp: [10000, 10000], cumulativeSpend: [50, 100] },
    ]);
  });
});
