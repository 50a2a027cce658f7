import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../../lib/csv.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../../test/support/app.js';

/**
 * Redemptions of two partners' rewards, fulfilled across three months by a controlled clock,
 * some cancelled or still open, one price changed half-way. The settlement of a month must be the
 * exact integer sum of (partner price at redemption × qty) of what was fulfilled in that month.
 */
let clock = Date.parse('2026-09-15T12:00:00Z');
let t: TestApp;
let p: TestProgram;
let n = 0;
const api = (method: string, url: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `/api/v1${url}`, body, headers);

function prng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32);
}

type Fulfilled = { partner: string; currency: string; amount: bigint; at: number; qty: number };
const fulfilled: Fulfilled[] = [];

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date(clock) });
  p = await t.newProgram();
  await api('POST', '/currencies', { code: 'miles', name: 'Miles', kind: 'points' });
  await api('POST', '/roles', { code: 'agent', name: 'Travel agent' });
  await api('POST', '/accounts', { externalId: 'AG-1', name: 'Sunny Travel', type: 'agency' });
  await api('POST', '/accounts/ext:AG-1/members', { externalId: 'A-1', name: 'Sam', role: 'agent' });
  await api('POST', '/adjustments', { memberId: 'ext:A-1', currency: 'miles', amount: 100_000_000, reason: 'Seed' }, { 'idempotency-key': 'seed' });
  await api('POST', '/partners', { externalId: 'AIR', name: 'SkyWays', type: 'airline', currency: 'EUR' });
  await api('POST', '/partners', { externalId: 'HOTEL', name: 'Grand Hotels', type: 'hotel', currency: 'EUR' });
  const rewards = [
    { externalId: 'LOUNGE', partnerId: 'ext:AIR', partnerPrice: { currency: 'EUR', amount: 4250 } },
    { externalId: 'UPGRADE', partnerId: 'ext:AIR', partnerPrice: { currency: 'USD', amount: 19_999 } },
    { externalId: 'NIGHT', partnerId: 'ext:HOTEL', partnerPrice: { currency: 'EUR', amount: 8999 } },
  ];
  for (const r of rewards) {
    const res = await api('POST', '/rewards', { ...r, name: r.externalId, kind: 'partner', cost: { currency: 'miles', amount: 1000 } });
    expect(res.statusCode).toBe(201);
  }

  const rnd = prng(7);
  const open: { id: string; partner: string; price: { currency: string; amount: number }; qty: number }[] = [];
  for (let i = 0; i < 60; i++) {
    clock += Math.floor(rnd() * 36) * 3_600_000;
    const r = rewards[Math.floor(rnd() * rewards.length)];
    const qty = 1 + Math.floor(rnd() * 4);
    const d = (await api('POST', '/redemptions', { memberId: 'ext:A-1', rewardId: `ext:${r.externalId}`, qty }, { 'idempotency-key': `k${n++}` })).json();
    expect(d.partner.amount).toBe(d.partner.unitPrice.amount * qty);
    open.push({ id: d.id, partner: r.partnerId, price: d.partner.unitPrice, qty });
    // The lounge price rises half-way: redemptions made before keep the old price.
    if (i === 30) await api('PATCH', '/rewards/ext:LOUNGE', { partnerPrice: { currency: 'EUR', amount: 4399 } });
    const x = rnd();
    const pick = open.splice(Math.floor(rnd() * open.length), 1)[0];
    if (x < 0.55) {
      await api('POST', `/redemptions/${pick.id}/approve`);
      const f = await api('POST', `/redemptions/${pick.id}/fulfil`);
      expect(f.statusCode).toBe(200);
      fulfilled.push({ partner: pick.partner, currency: pick.price.currency, amount: BigInt(pick.price.amount) * BigInt(pick.qty), at: clock, qty: pick.qty });
    } else if (x < 0.7) {
      await api('POST', `/redemptions/${pick.id}/cancel`);
    } else {
      open.push(pick);
    }
  }
});
afterAll(() => t.close());

function expectedTotals(partner: string, from: number, to: number) {
  const totals = new Map<string, { amount: bigint; redemptions: number; units: number }>();
  for (const f of fulfilled.filter((x) => x.partner === partner && x.at >= from && x.at < to)) {
    const e = totals.get(f.currency) ?? { amount: 0n, redemptions: 0, units: 0 };
    e.amount += f.amount;
    e.redemptions += 1;
    e.units += f.qty;
    totals.set(f.currency, e);
  }
  return [...totals.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([currency, e]) => ({ currency, amount: Number(e.amount), redemptions: e.redemptions, units: e.units }));
}

describe('partner settlement', () => {
  const months = [
    ['2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z'],
    ['2026-10-01T00:00:00Z', '2026-11-01T00:00:00Z'],
    ['2026-11-01T00:00:00Z', '2026-12-01T00:00:00Z'],
    ['2026-09-01T00:00:00Z', '2027-01-01T00:00:00Z'],
  ];
  for (const partner of ['ext:AIR', 'ext:HOTEL']) {
    for (const [from, to] of months) {
      it(`owes ${partner} the exact sum of its fulfilled redemptions from ${from.slice(0, 10)} to ${to.slice(0, 10)}`, async () => {
        const s = (await api('GET', `/partners/${partner}/settlement?from=${from}&to=${to}`)).json();
        const want = expectedTotals(partner, Date.parse(from), Date.parse(to));
        expect(s.totals).toEqual(want);
        expect(s.items).toHaveLength(want.reduce((a, x) => a + x.redemptions, 0));
        for (const tot of s.totals) {
          expect(s.items.filter((i: { currency: string }) => i.currency === tot.currency).reduce((a: number, i: { amount: number }) => a + i.amount, 0)).toBe(tot.amount);
        }
        for (const i of s.items) expect(i.amount).toBe(i.unitPrice * i.qty);
      });
    }
  }

  it('covers a period with some of everything, and both lounge prices', async () => {
    const all = (await api('GET', '/partners/ext:AIR/settlement?from=2026-01-01T00:00:00Z&to=2027-06-01T00:00:00Z')).json();
    expect(all.totals.map((x: { currency: string }) => x.currency)).toEqual(['EUR', 'USD']);
    const loungePrices = new Set(all.items.filter((i: { currency: string }) => i.currency === 'EUR').map((i: { unitPrice: number }) => i.unitPrice));
    expect([...loungePrices].sort()).toEqual([4250, 4399]);
    expect(fulfilled.length).toBeGreaterThan(20);
  });

  it('exports the same figures as CSV, in minor units', async () => {
    const [from, to] = ['2026-09-01T00:00:00Z', '2027-01-01T00:00:00Z'];
    const res = await api('GET', `/partners/ext:HOTEL/settlement?from=${from}&to=${to}&format=csv`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="settlement-prt_.*\.csv"/);
    const [header, ...rows] = parseCsv(res.body);
    expect(header).toEqual(['line', 'redemption_id', 'fulfilled_at', 'reward_id', 'reward_name', 'account_id', 'member_id', 'qty', 'unit_price_minor', 'amount_minor', 'currency']);
    const lines = rows.filter((r) => r[0] === 'redemption');
    const totals = rows.filter((r) => r[0] === 'total');
    const want = expectedTotals('ext:HOTEL', Date.parse(from), Date.parse(to));
    expect(totals.map((r) => [r[10], Number(r[9])])).toEqual(want.map((w) => [w.currency, w.amount]));
    expect(lines.reduce((a, r) => a + BigInt(r[9]), 0n)).toBe(BigInt(want[0].amount));
  });

  it('refuses a bad period with 422 and an unknown partner with 404', async () => {
    expect((await api('GET', '/partners/ext:AIR/settlement?from=2026-10-01T00:00:00Z&to=2026-09-01T00:00:00Z')).json()).toMatchObject({ status: 422, errors: [{ path: 'query.to' }] });
    expect((await api('GET', '/partners/ext:AIR/settlement?from=yesterday&to=2026-09-01T00:00:00Z')).json()).toMatchObject({ status: 422, errors: [{ path: 'query.from' }] });
    expect((await api('GET', '/partners/ext:NOPE/settlement?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z')).json()).toMatchObject({ status: 404, code: 'PARTNER_NOT_FOUND' });
  });
});
