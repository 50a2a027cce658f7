import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../../test/support/app.js';

/**
 * Real HTTP, real concurrency (on PostgreSQL; PGlite runs the transactions one after another):
 * 50 clients reach for the last 10 units at once, then 50 clients spend one company wallet that
 * can pay for only 10. Stock and balances must come out exact.
 */
const CLIENTS = 50;
let t: TestApp;
let p: TestProgram;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'sales', name: 'Sales' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-1', name: 'Crowd Ltd', type: 'dealer' });
  for (let i = 0; i < CLIENTS; i++) {
    await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: `M-${i}`, name: `Member ${i}`, role: 'sales' });
    await t.call(p, 'POST', '/api/v1/adjustments', { memberId: `ext:M-${i}`, currency: 'points', amount: 150, reason: 'Seed balance' }, { 'idempotency-key': `seed-${i}` });
  }
  await t.call(p, 'POST', '/api/v1/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 1000, reason: 'Seed balance' }, { 'idempotency-key': 'seed-company' });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

async function post(body: unknown, key: string) {
  const res = await fetch(`${base}/api/v1/redemptions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${p.apiKey}`, 'content-type': 'application/json', 'idempotency-key': key },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as { code?: string; id?: string } };
}

const walletOf = async (path: string) => {
  const w = ((await t.call(p, 'GET', `/api/v1/${path}/wallets`)).json() as { available: number; held: number }[])[0];
  return { available: w.available, held: w.held };
};

describe('concurrent redemptions', () => {
  it('let exactly 10 of 50 clients take the last 10 units', async () => {
    const reward = (await t.call(p, 'POST', '/api/v1/rewards', { name: 'Signed football', kind: 'gift', cost: { currency: 'points', amount: 100 }, stock: 10 })).json();
    const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => post({ memberId: `ext:M-${i}`, rewardId: reward.id, qty: 1 }, `last-10-${i}`)));
    const won = answers.flatMap((a, i) => (a.status === 201 ? [i] : []));
    expect(won).toHaveLength(10);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.body.code === 'OUT_OF_STOCK')).toBe(true);
    expect((await t.call(p, 'GET', `/api/v1/rewards/${reward.id}`)).json().stock).toBe(0);
    for (let i = 0; i < CLIENTS; i++) {
      expect(await walletOf(`members/ext:M-${i}`)).toEqual(won.includes(i) ? { available: 50, held: 100 } : { available: 150, held: 0 });
    }
    const list = (await t.call(p, 'GET', `/api/v1/redemptions?rewardId=${reward.id}&limit=500`)).json().items;
    expect(list).toHaveLength(10);
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });

  it('let exactly 10 of 50 clients spend a company wallet that pays for 10', async () => {
    const reward = (await t.call(p, 'POST', '/api/v1/rewards', { name: 'Team dinner', kind: 'experience', cost: { currency: 'points', amount: 100 }, stock: 100 })).json();
    const answers = await Promise.all(Array.from({ length: CLIENTS }, (_, i) => post({ accountId: 'ext:C-1', rewardId: reward.id, qty: 1 }, `company-${i}`)));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(10);
    expect(answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.body.code === 'INSUFFICIENT_BALANCE')).toBe(true);
    expect(await walletOf('accounts/ext:C-1')).toEqual({ available: 0, held: 1000 });
    expect((await t.call(p, 'GET', `/api/v1/rewards/${reward.id}`)).json().stock).toBe(90);
    // Cancelling them all at once, each twice, gives back exactly what was held.
    const ids = answers.flatMap((a) => (a.status === 201 ? [a.body.id!] : []));
    const cancels = await Promise.all(
      [...ids, ...ids].map((id) => fetch(`${base}/api/v1/redemptions/${id}/cancel`, { method: 'POST', headers: { authorization: `Bearer ${p.apiKey}` } }).then((r) => r.status)),
    );
    expect(cancels.filter((s) => s === 200)).toHaveLength(10);
    expect(cancels.filter((s) => s === 409)).toHaveLength(10);
    expect(await walletOf('accounts/ext:C-1')).toEqual({ available: 1000, held: 0 });
    expect((await t.call(p, 'GET', `/api/v1/rewards/${reward.id}`)).json().stock).toBe(100);
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });
});
