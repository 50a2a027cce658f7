import { describe, expect, it } from 'vitest';
import { accumulativeBp, bestDiscount, keepBy, ladderErrors, ladderOf, monthStart, nextChange, qualifyingTier, windowOf, type Bucket, type Tier } from './tiers.ladder.js';

const tier = (over: Partial<Tier>): Tier => ({
  code: 't',
  name: 'T',
  ladder: 'default',
  rank: 1,
  metric: 'spend',
  period: { rollingMonths: 12 },
  min: 1000n,
  discountBp: 0,
  multiplierMilli: 1000,
  perks: [],
  graceDays: 30,
  ...over,
});
const bucket = (month: string, spend: number, units = 0, points = 0): Bucket => ({ month, spend: BigInt(spend), units: BigInt(units), points: BigInt(points) });

describe('tier periods', () => {
  it.each([
    [{ rollingMonths: 12 }, '2026-03', { from: '2025-04', to: '2026-03' }, '2026-04'],
    [{ rollingMonths: 1 }, '2026-01', { from: '2026-01', to: '2026-01' }, '2026-02'],
    [{ calendar: 'year' as const }, '2026-07', { from: '2026-01', to: '2026-12' }, '2027-01'],
    [{ calendar: 'quarter' as const }, '2026-05', { from: '2026-04', to: '2026-06' }, '2026-07'],
    [{ calendar: 'quarter' as const }, '2026-12', { from: '2026-10', to: '2026-12' }, '2027-01'],
  ])('%j in %s covers %j and next changes in %s', (period, month, window, change) => {
    expect(windowOf(period, month)).toEqual(window);
    expect(nextChange(period, month)).toBe(change);
  });

  it('finds where a month starts in the program’s time zone, across daylight saving', () => {
    expect(monthStart('2026-04', 'UTC').toISOString()).toBe('2026-04-01T00:00:00.000Z');
    expect(monthStart('2026-04', 'Europe/Kyiv').toISOString()).toBe('2026-03-31T21:00:00.000Z'); // UTC+3 in summer
    expect(monthStart('2026-01', 'Europe/Kyiv').toISOString()).toBe('2025-12-31T22:00:00.000Z'); // UTC+2 in winter
    expect(monthStart('2026-11', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
  });
});

describe('qualification', () => {
  const silver = tier({ code: 'silver', rank: 1, min: 1000n });
  const gold = tier({ code: 'gold', rank: 2, min: 5000n });
  const units = tier({ code: 'units', rank: 3, metric: 'units', period: { calendar: 'quarter' }, min: 100n });

  it('takes the highest rank whose threshold is reached, each tier on its own metric and window', () => {
    const buckets = [bucket('2025-01', 100000), bucket('2025-06', 800), bucket('2026-02', 300, 60), bucket('2026-04', 0, 50)];
    expect(qualifyingTier([silver, gold, units], buckets, '2026-03')?.code).toBe('silver'); // 1100 in Apr 2025–Mar 2026; 60 units in Q1
    expect(qualifyingTier([silver, gold, units], buckets, '2026-04')?.code).toBe('silver');
    expect(qualifyingTier([silver, gold, units], [...buckets, bucket('2026-05', 0, 50)], '2026-05')?.code).toBe('units');
    expect(qualifyingTier([silver, gold], [bucket('2024-01', 100000)], '2026-03')).toBeNull();
  });

  it('puts account types on the ladder that lists them, the rest on default', () => {
    const ladders = [{ code: 'installers', accountTypes: ['installer', 'plumber'] }];
    expect(ladderOf('plumber', ladders)).toBe('installers');
    expect(ladderOf('dealer', ladders)).toBe('default');
  });

  it('refuses duplicate ranks and thresholds that do not rise with rank, among comparable tiers only', () => {
    const ladder = [silver, gold];
    expect(ladderErrors([...ladder, tier({ code: 'x', rank: 2, min: 9000n })], tier({ code: 'x', rank: 2, min: 9000n }))).toEqual([
      { path: 'rank', message: 'rank 2 is already taken by tier "gold" in ladder "default"' },
    ]);
    const between = tier({ code: 'x', rank: 3, min: 5000n });
    expect(ladderErrors([...ladder, between], between).map((e) => e.path)).toEqual(['qualify.min']);
    const under = tier({ code: 'x', rank: 0, min: 1000n });
    expect(ladderErrors([...ladder, under], under)[0].message).toContain('must be less than 1000');
    // Another metric, another period or another ladder is not comparable.
    for (const x of [tier({ code: 'x', rank: 3, min: 10n, metric: 'units' }), tier({ code: 'x', rank: 3, min: 10n, period: { rollingMonths: 6 } }), tier({ code: 'x', rank: 2, min: 10n, ladder: 'other' })]) {
      expect(ladderErrors([...ladder, x], x)).toEqual([]);
    }
  });
});

describe('what keeps a tier', () => {
  const silver = tier({ code: 'silver', min: 1000n, period: { rollingMonths: 3 }, graceDays: 10 });
  const now = new Date('2026-03-10T00:00:00Z');

  it('is the first window change that drops the account below, plus the grace period', () => {
    const buckets = [bucket('2026-01', 600), bucket('2026-02', 300), bucket('2026-03', 400)];
    // April drops January (1300 → 700): below from April 1st, downgraded 10 days later unless 300 more arrive.
    expect(keepBy(silver, buckets, now, 'UTC', null)).toEqual({ by: new Date('2026-04-11T00:00:00Z'), remaining: 300n });
    // With January alone a small share, the first change that matters comes later.
    expect(keepBy(silver, [bucket('2026-01', 100), bucket('2026-02', 500), bucket('2026-03', 500)], now, 'UTC', null).by.toISOString()).toBe('2026-05-11T00:00:00.000Z');
  });

  it('is the end of the grace period once it runs, and starts now when the account is already below', () => {
    const since = new Date('2026-03-05T12:00:00Z');
    expect(keepBy(silver, [bucket('2026-03', 400)], now, 'UTC', since)).toEqual({ by: new Date('2026-03-15T12:00:00Z'), remaining: 600n });
    expect(keepBy(silver, [bucket('2026-03', 400)], now, 'UTC', null)).toEqual({ by: new Date('2026-03-20T00:00:00Z'), remaining: 600n });
  });

  it('asks for the whole threshold in the new calendar period', () => {
    const yearly = tier({ min: 1000n, period: { calendar: 'year' }, graceDays: 31 });
    expect(keepBy(yearly, [bucket('2026-03', 5000)], now, 'Europe/Kyiv', null)).toEqual({ by: new Date('2027-01-31T22:00:00.000Z'), remaining: 1000n });
  });
});

describe('discounts', () => {
  it('takes the best source; an override wins a tie, then the tier; nothing is no source', () => {
    expect(bestDiscount({ tierBp: 500, accumulativeBp: 300, override: null })).toEqual({ bp: 500, source: 'tier' });
    expect(bestDiscount({ tierBp: 500, accumulativeBp: 650, override: null })).toEqual({ bp: 650, source: 'accumulative' });
    expect(bestDiscount({ tierBp: 500, accumulativeBp: 500, override: null })).toEqual({ bp: 500, source: 'tier' });
    expect(bestDiscount({ tierBp: 500, accumulativeBp: 0, override: { tierBp: null, discountBp: 500 } })).toEqual({ bp: 500, source: 'override' });
    // An override's tier replaces the earned tier's discount, even when lower.
    expect(bestDiscount({ tierBp: 900, accumulativeBp: 0, override: { tierBp: 200, discountBp: null } })).toEqual({ bp: 200, source: 'tier' });
    expect(bestDiscount({ tierBp: 0, accumulativeBp: 0, override: null })).toEqual({ bp: 0, source: null });
  });

  it('reads the accumulative step reached by the cumulative spend', () => {
    const steps = [{ minSpend: 0n, discountBp: 100 }, { minSpend: 1000n, discountBp: 300 }, { minSpend: 5000n, discountBp: 500 }];
    expect([0n, 999n, 1000n, 4999n, 99999n].map((s) => accumulativeBp(steps, s))).toEqual([100, 100, 300, 300, 500]);
    expect(accumulativeBp([], 10n ** 12n)).toBe(0);
  });
});
