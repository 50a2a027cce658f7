import { describe, expect, it } from 'vitest';
import { createPrng } from '../../demo/prng.js';
import { DAY_MS, groupCycle, intervalsOf, purchaseCycle, quantile } from './health.cycles.js';
import { churnRisk } from './health.risk.js';

const day0 = Date.UTC(2026, 0, 1);
const at = (d: number) => new Date(day0 + d * DAY_MS);

describe('purchase cycles', () => {
  it('takes quantiles linearly between ranks', () => {
    expect(quantile([10], 0.9)).toBe(10);
    expect(quantile([10, 20, 30, 40, 50], 0.5)).toBe(30);
    expect(quantile([10, 20, 30, 40, 50], 0.8)).toBeCloseTo(42);
    expect(quantile([], 0.5)).toBeNull();
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
  });

  it('gives ok, at_risk past the 80th percentile and lapsed past the 90th, on generated accounts with known cycles', () => {
    const rng = createPrng(16);
    for (let k = 0; k < 50; k++) {
      const cycle = rng.int(7, 60);
      // Exactly `cycle` days apart, but for one interval in ten a little longer: p80 = cycle, p90 above it.
      const dates: Date[] = [];
      let d = 0;
      for (let i = 0; i < 21; i++) {
        dates.push(at(d));
        d += i % 10 === 9 ? cycle + 10 : cycle;
      }
      const last = dates[dates.length - 1];
      const intervals = intervalsOf(dates);
      const p = (days: number) => purchaseCycle({ purchases: dates.length, lastPurchaseAt: last, intervals }, new Date(last.getTime() + days * DAY_MS));
      const c = p(0);
      expect(c).toMatchObject({ medianDays: cycle, p80Days: cycle, source: 'own', status: 'ok', daysSinceLast: 0 });
      expect(c.p90Days).toBeGreaterThan(cycle);
      expect(p(cycle).status).toBe('ok');
      expect(p(cycle + 1).status).toBe('at_risk');
      expect(p(Math.ceil(c.p90Days) + 1).status).toBe('lapsed');
    }
  });

  it('uses the segment’s cycle below 3 purchases, and has none without a group', () => {
    const group = groupCycle([
      { purchases: 4, intervals: [10, 10, 10] },
      { purchases: 4, intervals: [20, 20, 20] },
      { purchases: 2, intervals: [300] },
    ]);
    expect(group).toEqual({ medianDays: 15, p80Days: 20, p90Days: 20 });
    const young = { purchases: 2, lastPurchaseAt: at(0), intervals: [3] };
    expect(purchaseCycle(young, at(25), { cycle: group!, source: 'segment' })).toMatchObject({ source: 'segment', medianDays: 15, status: 'lapsed', daysSinceLast: 25 });
    expect(purchaseCycle(young, at(25))).toMatchObject({ source: 'none', status: 'ok' });
    expect(purchaseCycle({ purchases: 0, lastPurchaseAt: null, intervals: [] }, at(25))).toMatchObject({ source: 'none', status: 'ok', daysSinceLast: null, purchases: 0 });
  });

  it('sorts dates given out of order', () => {
    expect(intervalsOf([at(20), at(0), at(5)])).toEqual([5, 15]);
  });
});

describe('churn risk score', () => {
  const ok = { status: 'ok' as const, daysSinceLast: 3, p80Days: 10, p90Days: 12 };
  it('is 0 with nothing wrong', () => {
    expect(churnRisk({ cycle: ok, spendLast3m: 100n, spendPrev3m: 100n })).toEqual({ score: 0, reasons: [] });
  });
  it('adds the weights of its reasons, capped at 100', () => {
    const r = churnRisk({
      cycle: { ...ok, status: 'lapsed', daysSinceLast: 40 },
      spendLast3m: 10n,
      spendPrev3m: 100n,
      nps: { value: -50, n: 4 },
      messages: { sent: 5, opened: 0 },
      portalVisited: false,
      tierAtRisk: true,
    });
    expect(r.reasons.map((x) => x.code)).toEqual(['lapsed', 'spend_drop', 'nps_detractor', 'unopened_messages', 'no_portal_visit', 'tier_at_risk']);
    expect(r.score).toBe(100);
  });
  it('tells an overdue account from a lapsed one, and a decline from a drop', () => {
    const r = churnRisk({ cycle: { ...ok, status: 'at_risk', daysSinceLast: 11 }, spendLast3m: 75n, spendPrev3m: 100n });
    expect(r).toMatchObject({ score: 40, reasons: [{ code: 'overdue', weight: 30 }, { code: 'spend_decline', weight: 10 }] });
  });
  it('counts an NPS detractor only with a negative NPS, and unopened messages only from 3 sent', () => {
    expect(churnRisk({ cycle: ok, spendLast3m: 0n, spendPrev3m: 0n, nps: { value: 0, n: 2 }, messages: { sent: 2, opened: 0 } }).score).toBe(0);
    expect(churnRisk({ cycle: ok, spendLast3m: 0n, spendPrev3m: 0n, nps: { value: -100, n: 1 } }).reasons.map((x) => x.code)).toEqual(['nps_detractor']);
    expect(churnRisk({ cycle: ok, spendLast3m: 0n, spendPrev3m: 0n, portalVisited: null }).score).toBe(0);
  });
});
