import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let n = 0;
const key = () => ({ 'idempotency-key': `f-${n++}` });
const year = { from: '2026-01-01T00:00:00Z', to: '2099-12-31T23:59:59Z' };
const fundBody = (over: Record<string, unknown> = {}) => ({
  name: 'Co-op 2026',
  currency: 'eur',
  period: year,
  budget: 1_000_000,
  allocation: { mode: 'fixed', amount: 200_000 },
  reimbursement: { shareBp: 5000, perManufacturer: true, capPerClaim: 80_000 },
  ...over,
});

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  other = await t.newProgram();
  for (const prog of [p, other]) {
    await t.call(prog, 'POST', '/api/v1/currencies', { code: 'eur', name: 'Euro', kind: 'money', moneyCurrency: 'EUR' });
    await t.call(prog, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  }
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'D-1', name: 'Dealer One', type: 'dealer' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'D-2', name: 'Dealer Two', type: 'dealer' });
  await t.call(other, 'POST', '/api/v1/accounts', { externalId: 'X-1', name: 'Elsewhere', type: 'dealer' });
});
afterAll(() => t.close());

async function newFund(over: Record<string, unknown> = {}) {
  const r = await t.call(p, 'POST', '/api/v1/funds', fundBody(over));
  expect(r.statusCode).toBe(201);
  return r.json();
}

describe('funds', () => {
  it('creates a fund, lists and reads it, and audits it', async () => {
    const f = await newFund();
    expect(f).toMatchObject({ name: 'Co-op 2026', currency: 'eur', budget: 1_000_000, allocated: 0, unallocated: 1_000_000, allocation: { mode: 'fixed', amount: 200_000 }, reimbursement: { shareBp: 5000, perManufacturer: true, capPerClaim: 80_000 } });
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}`)).json()).toEqual(f);
    expect((await t.call(p, 'GET', '/api/v1/funds')).json().items.map((x: { id: string }) => x.id)).toContain(f.id);
    const audit = (await t.call(p, 'GET', `/api/v1/audit?action=fund.created&objectId=${f.id}`)).json();
    expect(audit.items).toHaveLength(1);
  });

  it('refuses bad input with 422 listing each bad field, and creates nothing', async () => {
    const before = (await t.call(p, 'GET', '/api/v1/funds')).json().items.length;
    const r = await t.call(p, 'POST', '/api/v1/funds', fundBody({ budget: 10.5, currency: 'points', period: { from: year.to, to: year.from }, allocation: { mode: 'accrual' } }));
    expect(r.statusCode).toBe(422);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().errors.map((e: { path: string }) => e.path)).toContain('budget');
    const r2 = await t.call(p, 'POST', '/api/v1/funds', fundBody({ currency: 'points', period: { from: year.to, to: year.from }, allocation: { mode: 'accrual' } }));
    expect(r2.statusCode).toBe(422);
    expect(r2.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['allocation.percentBp', 'currency', 'period.to']);
    expect((await t.call(p, 'GET', '/api/v1/funds')).json().items.length).toBe(before);
  });

  it('allocates to an account as a ledger credit that expires with the period, shown in the account funds', async () => {
    const f = await newFund();
    const r = await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-1', amount: 300_000 }, key());
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ fundId: f.id, amount: 300_000, currency: 'eur', expiresAt: new Date(year.to).toISOString() });
    const funds = (await t.call(p, 'GET', '/api/v1/accounts/ext:D-1/funds')).json();
    expect(funds.find((x: { fundId: string }) => x.fundId === f.id)).toEqual({ fundId: f.id, name: 'Co-op 2026', currency: 'eur', allocated: 300_000, reserved: 0, claimed: 0, paid: 0, available: 300_000, expiresAt: new Date(year.to).toISOString() });
    // The balance is the ledger's: the account's wallet in the fund's currency, with its expiry.
    const wallets = (await t.call(p, 'GET', '/api/v1/accounts/ext:D-1/wallets')).json();
    const w = wallets.find((x: { currency: string }) => x.currency === f.walletCurrency);
    expect(w).toMatchObject({ available: 300_000, expiring: [{ amount: 300_000, expiresAt: new Date(year.to).toISOString() }] });
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}`)).json()).toMatchObject({ allocated: 300_000, unallocated: 700_000 });
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}/allocations`)).json()).toHaveLength(1);
    const audit = (await t.call(p, 'GET', `/api/v1/audit?action=fund.allocated&objectId=${f.id}`)).json();
    expect(audit.items[0]).toMatchObject({ before: { allocated: 0 }, after: { allocated: 300_000 } });
  });

  it('never allocates beyond the budget: 409 and nothing changed', async () => {
    const f = await newFund({ budget: 500_000 });
    expect((await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-1', amount: 400_000 }, key())).statusCode).toBe(201);
    const r = await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-2', amount: 100_001 }, key());
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('FUND_OVER_BUDGET');
    expect((await t.call(p, 'GET', '/api/v1/accounts/ext:D-2/funds')).json().find((x: { fundId: string }) => x.fundId === f.id)).toBeUndefined();
    expect((await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-2', amount: 100_000 }, key())).statusCode).toBe(201);
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}`)).json()).toMatchObject({ allocated: 500_000, unallocated: 0 });
  });

  it('concurrent allocations never exceed the budget', async () => {
    const f = await newFund({ budget: 100_000 });
    const answers = await Promise.all(Array.from({ length: 8 }, () => t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-1', amount: 30_000 }, key())));
    expect(answers.filter((a) => a.statusCode === 201)).toHaveLength(3);
    expect(answers.filter((a) => a.statusCode === 409)).toHaveLength(5);
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}`)).json().allocated).toBe(90_000);
  });

  it('replays an allocation with the same key, refuses another body, and requires a key', async () => {
    const f = await newFund();
    const h = key();
    const first = await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-2', amount: 1000 }, h);
    const again = await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-2', amount: 1000 }, h);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    expect((await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-2', amount: 2000 }, h)).statusCode).toBe(409);
    expect((await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:D-2', amount: 1000 })).statusCode).toBe(422);
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}`)).json().allocated).toBe(1000);
  });

  it('refuses decimals, zero and unknown accounts with 422', async () => {
    const f = await newFund();
    for (const body of [{ accountId: 'ext:D-1', amount: 10.5 }, { accountId: 'ext:D-1', amount: 0 }, { accountId: 'ext:NOPE', amount: 10 }]) {
      const r = await t.call(p, 'POST', `/api/v1/funds/${f.id}/allocations`, body, key());
      expect(r.statusCode).toBe(422);
      expect(r.json().errors[0].path).toMatch(/amount|accountId/);
    }
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}`)).json().allocated).toBe(0);
  });

  it('keeps programs apart: another program cannot see or allocate a fund, nor allocate to this program’s accounts', async () => {
    const f = await newFund();
    expect((await t.call(other, 'GET', `/api/v1/funds/${f.id}`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/funds')).json().items).toHaveLength(0);
    expect((await t.call(other, 'POST', `/api/v1/funds/${f.id}/allocations`, { accountId: 'ext:X-1', amount: 10 }, key())).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/accounts/ext:D-1/funds')).statusCode).toBe(404);
    const mine = (await t.call(other, 'POST', '/api/v1/funds', fundBody())).json();
    expect((await t.call(other, 'POST', `/api/v1/funds/${mine.id}/allocations`, { accountId: 'ext:D-1', amount: 10 }, key())).statusCode).toBe(422);
    expect((await t.call(p, 'GET', `/api/v1/funds/${f.id}`)).json().allocated).toBe(0);
  });
});
