import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

/**
 * Volume rebates over HTTP on a fixed clock: standings with the projection, settlements
 * (interim then final, the SAP example), growth, line filters, hierarchy roll-up, bad input,
 * and programs kept apart.
 */

let clock = new Date('2026-10-01T00:00:00Z');
let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let n = 0;
const key = () => ({ 'idempotency-key': `rb-${n++}` });

async function api(method: string, url: string, body?: unknown, headers?: Record<string, string>, prog: TestProgram = p) {
  const r = await t.call(prog, method, `/api/v1${url}`, body, headers);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}
const purchase = (account: string, amount: number, occurredAt: string, over: Record<string, unknown> = {}) =>
  api('POST', '/events', { id: `INV-${n++}`, type: 'purchase', occurredAt, accountId: `ext:${account}`, amount, currency: 'EUR', ...over });
const rebateBody = (over: Record<string, unknown> = {}) => ({
  name: 'Distributor quarterly',
  period: { calendar: 'quarter' },
  basis: { metric: 'spend' },
  scheme: 'retroactive',
  thresholds: [
    { min: 10_000, rateBp: 200 },
    { min: 20_000, rateBp: 300 },
  ],
  payout: { currency: 'eur' },
  graceDays: 10,
  ...over,
});
const walletOf = async (account: string, currency = 'eur') => ((await api('GET', `/accounts/ext:${account}/wallets`)) as { currency: string; available: number }[]).find((w) => w.currency === currency)?.available ?? 0;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  p = await t.newProgram();
  other = await t.newProgram();
  for (const prog of [p, other]) {
    await api('POST', '/currencies', { code: 'eur', name: 'Euro', kind: 'money', moneyCurrency: 'EUR' }, undefined, prog);
    await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, undefined, prog);
  }
  for (const [ext, type, parent] of [
    ['Q-1', 'distributor', null],
    ['Q-2', 'distributor', null],
    ['Y-1', 'dealer', null],
    ['Y-2', 'dealer', null],
    ['G-1', 'installer', null],
    ['G-2', 'installer', null],
    ['H-1', 'wholesaler', null],
    ['H-1a', 'branch', 'ext:H-1'],
    ['H-1b', 'branch', 'ext:H-1'],
  ] as const) {
    await api('POST', '/accounts', { externalId: ext, name: `Account ${ext}`, type, ...(parent ? { parentId: parent } : {}) });
  }
  await api('POST', '/accounts', { externalId: 'X-1', name: 'Elsewhere', type: 'distributor' }, undefined, other);
});
afterAll(() => t.close());

describe('rebates', () => {
  it('creates, lists, reads and updates a rebate, audited', async () => {
    const r = await api('POST', '/rebates', rebateBody({ target: { types: ['distributor'] } }));
    expect(r).toMatchObject({ name: 'Distributor quarterly', status: 'active', period: { calendar: 'quarter' }, basis: { metric: 'spend', rollUp: false }, scheme: 'retroactive', thresholds: [{ min: 10_000, rateBp: 200 }, { min: 20_000, rateBp: 300 }], payout: { currency: 'eur' }, graceDays: 10, target: { types: ['distributor'] } });
    expect(await api('GET', `/rebates/${r.id}`)).toEqual(r);
    expect((await api('GET', '/rebates')).items.map((x: { id: string }) => x.id)).toContain(r.id);
    const u = await api('PATCH', `/rebates/${r.id}`, { name: 'Distributors Q', graceDays: 15 });
    expect(u).toMatchObject({ name: 'Distributors Q', graceDays: 15, scheme: 'retroactive' });
    const audit = await api('GET', `/audit?objectId=${r.id}`);
    expect(audit.items.map((a: { action: string }) => a.action).sort()).toEqual(['rebate.created', 'rebate.updated']);
    await api('PATCH', `/rebates/${r.id}`, { status: 'archived' });
  });

  it('refuses bad input with 422 and each bad field’s path, creating nothing', async () => {
    const before = (await api('GET', '/rebates')).items.length;
    const r1 = await t.call(p, 'POST', '/api/v1/rebates', rebateBody({ thresholds: [{ min: 10.5, rateBp: 20_000 }], period: { calendar: 'month' } }));
    expect(r1.statusCode).toBe(422);
    expect(r1.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['period.calendar', 'thresholds.0.min', 'thresholds.0.rateBp']);
    const r2 = await t.call(p, 'POST', '/api/v1/rebates', rebateBody({ payout: { currency: 'points' }, basis: { metric: 'spend', lineFilter: { nope: [1] } }, thresholds: [{ min: 100, rateBp: 300 }, { min: 50, rateBp: 200 }] }));
    expect(r2.statusCode).toBe(422);
    expect(r2.headers['content-type']).toContain('application/problem+json');
    expect(r2.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['basis.lineFilter', 'payout.currency', 'thresholds.1.min', 'thresholds.1.rateBp']);
    const r3 = await t.call(p, 'POST', '/api/v1/rebates', { ...rebateBody(), extra: 1 });
    expect(r3.statusCode).toBe(422);
    expect((await api('GET', '/rebates')).items.length).toBe(before);
  });

  it('shows accrual and projects pro rata: 8,000 at 40 % of the quarter projects 20,000 and the 3 % bracket', async () => {
    const r = await api('POST', '/rebates', rebateBody({ target: { accountIds: [(await api('GET', '/accounts/ext:Q-1')).id] } }));
    await purchase('Q-1', 5_000, '2026-10-03T10:00:00Z');
    await purchase('Q-1', 3_000, '2026-10-20T10:00:00Z');
    await purchase('Q-2', 9_999, '2026-10-20T10:00:00Z'); // not targeted
    // Q4 2026 is 92 days; 40 % of it is 36.8 days after 1 October.
    clock = new Date(Date.parse('2026-10-01T00:00:00Z') + 0.4 * 92 * 86_400_000);
    const s = await api('GET', `/rebates/${r.id}/standings`);
    expect(s.items).toHaveLength(1);
    expect(s.items[0]).toMatchObject({ accountExternalId: 'Q-1', accountName: 'Account Q-1', period: '2026-Q4', elapsedBp: 4000, basis: 8_000, volume: 8_000, bracket: null, accrued: 0, next: { min: 10_000, rateBp: 200, remaining: 2_000 }, projected: { basis: 20_000, bracket: { min: 20_000, rateBp: 300 }, amount: 600 }, paid: 0 });
    const mine = await api('GET', '/accounts/ext:Q-1/rebates');
    expect(mine.find((x: { rebateId: string }) => x.rebateId === r.id)).toEqual(s.items[0]);
    expect((await api('GET', '/accounts/ext:Q-2/rebates')).find((x: { rebateId: string }) => x.rebateId === r.id)).toBeUndefined();
    const bad = await t.call(p, 'GET', `/api/v1/rebates/${r.id}/standings?period=2026`);
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].path).toBe('period');
  });

  it('pays the SAP example: interim 2 % × 7,000 = 140, year end 4 % × 27,000 = 1,080, final pays 940; settling again pays nothing', async () => {
    const y1 = (await api('GET', '/accounts/ext:Y-1')).id;
    const r = await api('POST', '/rebates', rebateBody({ name: 'Yearly', period: { calendar: 'year' }, thresholds: [{ min: 0, rateBp: 200 }, { min: 20_000, rateBp: 400 }], target: { accountIds: [y1] }, graceDays: 5 }));
    await purchase('Y-1', 7_000, '2026-03-01T10:00:00Z');
    clock = new Date('2026-11-15T00:00:00Z');
    const early = await t.call(p, 'POST', `/api/v1/rebates/${r.id}/settlements`, { period: '2026', final: true }, key());
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('REBATE_PERIOD_OPEN');
    const interim = await api('POST', `/rebates/${r.id}/settlements`, { period: '2026', final: false }, key());
    expect(interim.items).toEqual([{ accountId: y1, basis: 7_000, rateBp: 200, amount: 140, alreadyPaid: 0, paid: 140 }]);
    expect(await walletOf('Y-1')).toBe(140);
    await purchase('Y-1', 20_000, '2026-12-10T10:00:00Z');
    clock = new Date('2027-01-05T00:00:00Z'); // within the 5 grace days
    expect((await t.call(p, 'POST', `/api/v1/rebates/${r.id}/settlements`, { period: '2026', final: true }, key())).statusCode).toBe(409);
    clock = new Date('2027-01-06T00:00:00Z');
    const h = key();
    const final = await api('POST', `/rebates/${r.id}/settlements`, { period: '2026', final: true }, h);
    expect(final.items).toEqual([{ accountId: y1, basis: 27_000, rateBp: 400, amount: 1_080, alreadyPaid: 140, paid: 940 }]);
    expect(await walletOf('Y-1')).toBe(1_080);
    // The same key replays; another key settles again and pays nothing more.
    const replay = await t.call(p, 'POST', `/api/v1/rebates/${r.id}/settlements`, { period: '2026', final: true }, h);
    expect(replay.headers['idempotent-replay']).toBe('true');
    expect(replay.json()).toEqual(final);
    expect((await t.call(p, 'POST', `/api/v1/rebates/${r.id}/settlements`, { period: '2026', final: false }, h)).statusCode).toBe(409);
    const again = await api('POST', `/rebates/${r.id}/settlements`, { period: '2026', final: true }, key());
    expect(again.items).toEqual([{ accountId: y1, basis: 27_000, rateBp: 400, amount: 1_080, alreadyPaid: 1_080, paid: 0 }]);
    expect(await walletOf('Y-1')).toBe(1_080);
    expect((await t.call(p, 'POST', `/api/v1/rebates/${r.id}/settlements`, { period: '2026', final: true })).statusCode).toBe(422);
    // The ledger says why: earn entries with the rebate's memo.
    const entries = (await api('GET', '/accounts/ext:Y-1/entries')).items.filter((e: { currency: string }) => e.currency === 'eur');
    expect(entries.map((e: { amount: number }) => e.amount).sort((a: number, b: number) => a - b)).toEqual([140, 940]);
    // The settlement export, as JSON and CSV.
    const lines = await api('GET', `/rebates/${r.id}/settlements?period=2026`);
    expect(lines.items.map((l: { paid: number; final: boolean }) => [l.paid, l.final])).toEqual([[140, false], [940, true], [0, true]]);
    expect(lines.items[0]).toMatchObject({ accountExternalId: 'Y-1', accountName: 'Account Y-1', currency: 'eur' });
    const csv = await t.call(p, 'GET', `/api/v1/rebates/${r.id}/settlements?format=csv`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = csv.body.trim().split('\r\n');
    expect(rows[0]).toBe('settlementId,period,final,accountId,accountExternalId,accountName,basis,rateBp,amount,alreadyPaid,paid,currency,transactionId,createdAt');
    expect(rows).toHaveLength(4);
    const xlsx = await t.call(p, 'GET', `/api/v1/rebates/${r.id}/settlements?format=xlsx`);
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
    // The account's members hear of it: a rebate_settled message per paying settlement.
    const audit = await api('GET', `/audit?action=rebate.settled&objectId=${r.id}`);
    expect(audit.items).toHaveLength(3);
  });

  it('trues up a return after an interim settlement in the final one', async () => {
    const y2 = (await api('GET', '/accounts/ext:Y-2')).id;
    clock = new Date('2026-10-01T00:00:00Z');
    const r = await api('POST', '/rebates', rebateBody({ name: 'Returns', target: { accountIds: [y2] }, graceDays: 0 }));
    const inv = await purchase('Y-2', 30_000, '2026-10-02T10:00:00Z');
    clock = new Date('2026-11-01T00:00:00Z');
    expect((await api('POST', `/rebates/${r.id}/settlements`, { period: '2026-Q4', final: false }, key())).items[0]).toMatchObject({ basis: 30_000, amount: 900, paid: 900 });
    await api('POST', '/events', { id: `RET-${n++}`, type: 'return', occurredAt: '2026-11-02T10:00:00Z', accountId: 'ext:Y-2', amount: 15_000, currency: 'EUR', originalEventId: inv.eventId });
    await purchase('Y-2', 5_000, '2026-12-20T10:00:00Z');
    clock = new Date('2027-01-01T00:00:00Z');
    // 20,000 kept at 3 % = 600: already paid 900, so the final pays nothing (the overpayment is shown, not clawed back).
    expect((await api('POST', `/rebates/${r.id}/settlements`, { period: '2026-Q4', final: true }, key())).items[0]).toMatchObject({ basis: 20_000, rateBp: 300, amount: 600, alreadyPaid: 900, paid: 0 });
  });

  it('computes marginal and growth rebates, with and without a prior year', async () => {
    const [g1, g2] = [(await api('GET', '/accounts/ext:G-1')).id, (await api('GET', '/accounts/ext:G-2')).id];
    await purchase('G-1', 10_000, '2025-05-01T10:00:00Z');
    await purchase('G-1', 35_000, '2026-05-01T10:00:00Z');
    await purchase('G-2', 25_000, '2026-05-01T10:00:00Z');
    clock = new Date('2027-02-01T00:00:00Z');
    const target = { accountIds: [g1, g2] };
    const common = { period: { calendar: 'year' }, target, thresholds: [{ min: 10_000, rateBp: 200 }, { min: 20_000, rateBp: 300 }] };
    const skip = await api('POST', '/rebates', rebateBody({ ...common, name: 'Growth skip', growth: { noPriorYear: 'skip' } }));
    const zero = await api('POST', '/rebates', rebateBody({ ...common, name: 'Growth zero', growth: { noPriorYear: 'zero' }, scheme: 'marginal' }));
    const s1 = (await api('GET', `/rebates/${skip.id}/standings?period=2026`)).items;
    expect(s1.map((s: { accountId: string; volume: number; baseline: number; basis: number; accrued: number }) => [s.accountId, s.volume, s.baseline, s.basis, s.accrued])).toEqual([[g1, 35_000, 10_000, 25_000, 750]]);
    const s2 = (await api('GET', `/rebates/${zero.id}/standings?period=2026`)).items;
    // Marginal: G-1 grows 25,000 → 10,000 × 2 % + 5,000 × 3 % = 350; G-2 from zero 25,000 → the same.
    expect(s2.map((s: { accountId: string; basis: number; accrued: number }) => [s.accountId, s.basis, s.accrued]).sort()).toEqual([[g1, 25_000, 350], [g2, 25_000, 350]].sort());
    const settled = await api('POST', `/rebates/${skip.id}/settlements`, { period: '2026', final: true }, key());
    expect(settled.items).toEqual([{ accountId: g1, basis: 25_000, rateBp: 300, amount: 750, alreadyPaid: 0, paid: 750 }]);
  });

  it('counts only matching lines, and rolls branches up to their wholesaler', async () => {
    clock = new Date('2026-08-01T00:00:00Z');
    const h1 = (await api('GET', '/accounts/ext:H-1')).id;
    const lines = (filters: number, pumps: number) => [
      { sku: 'WT-200', category: 'filters', qty: 2, amount: filters },
      { sku: 'PM-9', category: 'pumps', qty: 1, amount: pumps },
    ];
    await purchase('H-1', 3_000, '2026-07-02T10:00:00Z', { lines: lines(2_000, 1_000) });
    await purchase('H-1a', 9_000, '2026-07-03T10:00:00Z', { lines: lines(8_000, 1_000) });
    await purchase('H-1b', 1_000, '2026-07-04T10:00:00Z', { lines: lines(500, 500) });
    const r = await api('POST', '/rebates', rebateBody({ name: 'Filters, rolled up', target: { types: ['wholesaler'] }, basis: { metric: 'spend', rollUp: true, lineFilter: { '==': [{ var: 'line.category' }, 'filters'] } } }));
    const s = (await api('GET', `/rebates/${r.id}/standings`)).items;
    expect(s.map((x: { accountId: string; basis: number; bracket: unknown }) => [x.accountId, x.basis, x.bracket])).toEqual([[h1, 10_500, { min: 10_000, rateBp: 200 }]]);
    const units = await api('POST', '/rebates', rebateBody({ name: 'Units', target: { types: ['wholesaler'] }, basis: { metric: 'units', rollUp: true }, thresholds: [{ min: 5, rateBp: 100 }] }));
    expect((await api('GET', `/rebates/${units.id}/standings`)).items[0]).toMatchObject({ accountId: h1, basis: 9 });
    // Branches collect nothing of their own.
    expect(await api('GET', '/accounts/ext:H-1a/rebates')).toEqual([]);
  });

  it('tells the company in the portal how far the next rate is, and messages it when paid', async () => {
    clock = new Date('2026-10-01T00:00:00Z');
    await api('POST', '/roles', { code: 'owner', name: 'Owner' });
    await api('POST', '/accounts', { externalId: 'P-1', name: 'Portal Distribution', type: 'distributor' });
    const member = await api('POST', '/accounts/ext:P-1/members', { externalId: 'P-1-OWNER', name: 'Paula Owner', role: 'owner', email: 'paula@p1.example.test' });
    const p1 = (await api('GET', '/accounts/ext:P-1')).id;
    const r = await api('POST', '/rebates', rebateBody({ name: 'Portal rebate', target: { accountIds: [p1] }, graceDays: 0 }));
    await purchase('P-1', 12_000, '2026-10-05T10:00:00Z');
    clock = new Date('2026-11-15T00:00:00Z');
    const session = await t.loginMember('paula@p1.example.test');
    const mine = await t.callAs(session, 'GET', '/api/v1/portal/rebates');
    expect(mine.statusCode).toBe(200);
    expect(mine.json()).toEqual([expect.objectContaining({ rebateId: r.id, accountId: p1, basis: 12_000, bracket: { min: 10_000, rateBp: 200 }, accrued: 240, next: { min: 20_000, rateBp: 300, remaining: 8_000 } })]);
    await api('POST', `/rebates/${r.id}/settlements`, { period: '2026-Q4', final: false }, key());
    const messages = (await api('GET', `/members/${member.id}/messages`)).items as { templateKey: string; text: string | null }[];
    const sent = messages.find((m) => m.templateKey === 'rebate_settled');
    expect(sent).toBeDefined();
    expect(sent).toMatchObject({ category: 'transactional', status: 'queued' });
    // The default template renders with the trigger's variables, in each shipped language.
    for (const locale of ['en', 'fr', 'fa', 'uk', 'hi', 'tl']) {
      const preview = await api('POST', '/templates/preview', { key: 'rebate_settled', locale });
      expect(`${preview.subject} ${preview.text}`).toContain('640.00 EUR');
    }
  });

  it('keeps programs apart', async () => {
    const r = await api('POST', '/rebates', rebateBody({ name: 'Mine' }));
    expect((await t.call(other, 'GET', `/api/v1/rebates/${r.id}`)).statusCode).toBe(404);
    expect((await t.call(other, 'PATCH', `/api/v1/rebates/${r.id}`, { name: 'stolen' })).statusCode).toBe(404);
    expect((await t.call(other, 'GET', `/api/v1/rebates/${r.id}/standings`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', `/api/v1/rebates/${r.id}/settlements`)).statusCode).toBe(404);
    expect((await t.call(other, 'POST', `/api/v1/rebates/${r.id}/settlements`, { period: '2026-Q3', final: false }, key())).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/rebates')).json().items).toHaveLength(0);
    expect((await t.call(other, 'GET', '/api/v1/accounts/ext:Q-1/rebates')).statusCode).toBe(404);
    // Another program's rebate over everything sees none of this program's volume.
    const theirs = await api('POST', '/rebates', rebateBody({ name: 'Theirs' }), undefined, other);
    expect((await api('GET', `/rebates/${theirs.id}/standings?period=2026-Q4`, undefined, undefined, other)).items).toEqual([]);
  });
});
