import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../test/support/app.js';

/** Four eyes on large adjustments (#21); runs on PGlite, and on PostgreSQL with DATABASE_URL. */
let t: TestApp;
let p: TestProgram;
let claire: TestSession;
let hugo: TestSession;
let n = 0;
const key = () => ({ headers: { 'idempotency-key': `adr-${n++}` } });

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'sales', name: 'Sales rep' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-1', name: 'Aqua Distrib', type: 'distributor' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Olena', role: 'sales' });
  claire = await t.loginAs(p, 'program_manager', { email: 'claire@example.test' });
  hugo = await t.loginAs(p, 'program_manager', { email: 'hugo@example.test' });
  const th = await t.callAs(claire, 'PUT', '/api/v1/adjustment-thresholds', { currency: 'points', amount: 10_000 });
  expect(th.statusCode).toBe(200);
});
afterAll(() => t.close());

const available = async () => ((await t.call(p, 'GET', '/api/v1/accounts/ext:C-1/wallets')).json() as { currency: string; available: number }[]).find((w) => w.currency === 'points')?.available ?? 0;
const ask = async (s: TestSession, amount: number) => {
  const r = await t.callAs(s, 'POST', '/api/v1/adjustment-requests', { accountId: 'ext:C-1', currency: 'points', amount, reason: 'Year-end goodwill' }, key());
  expect(r.statusCode).toBe(201);
  return r.json() as { id: string; status: string; requestedBy: { name: string | null } };
};

describe('four eyes on adjustments', () => {
  it('refuses a direct adjustment above the threshold, and allows one at it', async () => {
    const above = await t.callAs(claire, 'POST', '/api/v1/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 10_001, reason: 'Too big alone' }, key());
    expect(above.statusCode).toBe(422);
    expect(above.json().code).toBe('ADJUSTMENT_APPROVAL_REQUIRED');
    const debit = await t.callAs(claire, 'POST', '/api/v1/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: -10_001, reason: 'Too big alone' }, key());
    expect(debit.json().code).toBe('ADJUSTMENT_APPROVAL_REQUIRED');
    expect((await t.callAs(claire, 'POST', '/api/v1/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 10_000, reason: 'At the threshold' }, key())).statusCode).toBe(201);
  });

  it('stores a request; its requester cannot approve it (422) and nothing is posted', async () => {
    const before = await available();
    const r = await ask(claire, 50_000);
    expect(r).toMatchObject({ status: 'pending', requestedBy: { name: expect.any(String) } });
    const self = await t.callAs(claire, 'POST', `/api/v1/adjustment-requests/${r.id}/approve`, {});
    expect(self.statusCode).toBe(422);
    expect(self.json().code).toBe('ADJUSTMENT_SELF_APPROVAL');
    expect(await available()).toBe(before);
    const pending = (await t.callAs(hugo, 'GET', '/api/v1/adjustment-requests?status=pending')).json();
    expect(pending.items.map((x: { id: string }) => x.id)).toContain(r.id);
  });

  it('another user approves: posted once through the ledger, audited; a second approval is a 409', async () => {
    const before = await available();
    const r = await ask(claire, 25_000);
    const ok = await t.callAs(hugo, 'POST', `/api/v1/adjustment-requests/${r.id}/approve`, { note: 'Checked' });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ status: 'approved', decidedBy: { type: 'user' }, transactionId: expect.any(String) });
    const again = await t.callAs(hugo, 'POST', `/api/v1/adjustment-requests/${r.id}/approve`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('ADJUSTMENT_REQUEST_NOT_PENDING');
    expect(await available()).toBe(before + 25_000);
    const audit = (await t.call(p, 'GET', '/api/v1/audit?action=adjustment_request.approved')).json();
    expect(audit.items[0]).toMatchObject({ objectId: r.id, after: { status: 'approved', note: 'Checked' } });
  });

  it('concurrent approvals by two other users post it once', async () => {
    const third = await t.loginAs(p, 'owner', { email: 'owner@example.test' });
    const before = await available();
    const r = await ask(claire, 30_000);
    const answers = await Promise.all([hugo, third, hugo, third].map((s) => t.callAs(s, 'POST', `/api/v1/adjustment-requests/${r.id}/approve`, {})));
    expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 409, 409, 409]);
    expect(await available()).toBe(before + 30_000);
    const entries = (await t.call(p, 'GET', '/api/v1/accounts/ext:C-1/entries?limit=50')).json();
    expect(entries.items.filter((e: { amount: number }) => e.amount === 30_000)).toHaveLength(1);
  });

  it('a rejected request posts nothing and cannot be approved afterwards', async () => {
    const before = await available();
    const r = await ask(claire, 40_000);
    expect((await t.callAs(claire, 'POST', `/api/v1/adjustment-requests/${r.id}/reject`, { note: 'Typo' })).json()).toMatchObject({ status: 'rejected' });
    expect((await t.callAs(hugo, 'POST', `/api/v1/adjustment-requests/${r.id}/approve`, {})).statusCode).toBe(409);
    expect(await available()).toBe(before);
  });

  it('replays a request with the same key, and refuses an unknown currency threshold', async () => {
    const h = { headers: { 'idempotency-key': 'adr-replay' } };
    const body = { memberId: 'ext:E-1', currency: 'points', amount: 20_000, reason: 'Bonus' };
    const a = await t.callAs(claire, 'POST', '/api/v1/adjustment-requests', body, h);
    const b = await t.callAs(claire, 'POST', '/api/v1/adjustment-requests', body, h);
    expect(b.json().id).toBe(a.json().id);
    const bad = await t.callAs(claire, 'PUT', '/api/v1/adjustment-thresholds', { currency: 'nope', amount: 5 });
    expect(bad.statusCode).toBe(422);
    expect((await t.callAs(hugo, 'GET', '/api/v1/adjustment-thresholds')).json().items).toMatchObject([{ currency: 'points', amount: 10_000 }]);
  });
});
