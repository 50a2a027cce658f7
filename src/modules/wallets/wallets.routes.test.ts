import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { inTransaction } from '../../db/database.js';

let t: TestApp;
let p: TestProgram;
let n = 0;
const key = () => ({ 'idempotency-key': `w-${n++}` });

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await t.call(p, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points', expiry: { months: 24 } });
  await t.call(p, 'POST', '/api/v1/roles', { code: 'sales', name: 'Sales rep' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-1', name: 'Aqua Distrib', type: 'distributor' });
  await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-2', name: 'Other Co', type: 'dealer' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Olena', role: 'sales' });
  await t.call(p, 'POST', '/api/v1/accounts/ext:C-2/members', { externalId: 'E-2', name: 'Marc', role: 'sales' });
});
afterAll(() => t.close());

const wallets = async (path: string) => (await t.call(p, 'GET', `/api/v1/${path}/wallets`)).json();

describe('adjustments', () => {
  it('credits a company wallet with a reason and shows it in wallets, entries and the audit log', async () => {
    const r = await t.call(p, 'POST', '/api/v1/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 1000, reason: 'Opening balance' }, key());
    expect(r.statusCode).toBe(201);
    expect(r.json()).toMatchObject({ kind: 'adjust', amount: 1000, currency: 'points', memo: 'Opening balance' });
    const [w] = await wallets('accounts/ext:C-1');
    expect(w).toMatchObject({ currency: 'points', available: 1000, pending: 0, held: 0 });
    expect(w.expiring).toHaveLength(1);
    const entries = (await t.call(p, 'GET', '/api/v1/accounts/ext:C-1/entries')).json();
    expect(entries.items[0]).toMatchObject({ amount: 1000, kind: 'adjust', memo: 'Opening balance', bucket: 'available' });
    const audit = (await t.call(p, 'GET', '/api/v1/audit?action=adjustment.created')).json();
    expect(audit.items[0]).toMatchObject({ before: { available: 0 }, after: { available: 1000, reason: 'Opening balance' } });
  });

  it('debits with a negative amount, and refuses to go below zero with 409 and no change', async () => {
    expect((await t.call(p, 'POST', '/api/v1/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: -200, reason: 'Correction' }, key())).statusCode).toBe(201);
    const r = await t.call(p, 'POST', '/api/v1/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: -5000, reason: 'Too much' }, key());
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'INSUFFICIENT_BALANCE', status: 409 });
    expect((await wallets('accounts/ext:C-1'))[0].available).toBe(800);
  });

  it('replays the same key and body with 200 and Idempotent-Replay, and refuses another body with 409', async () => {
    const h = key();
    const body = { memberId: 'ext:E-1', currency: 'points', amount: 50, reason: 'Trade show bonus' };
    const first = await t.call(p, 'POST', '/api/v1/adjustments', body, h);
    const again = await t.call(p, 'POST', '/api/v1/adjustments', body, h);
    expect(first.statusCode).toBe(201);
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.json()).toEqual(first.json());
    const other = await t.call(p, 'POST', '/api/v1/adjustments', { ...body, amount: 51 }, h);
    expect(other.statusCode).toBe(409);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await wallets('members/ext:E-1'))[0].available).toBe(50);
  });

  it('requires a reason, a key, a known currency and a known wallet owner', async () => {
    const cases: [unknown, Record<string, string>, number, string, string][] = [
      [{ accountId: 'ext:C-1', currency: 'points', amount: 5 }, key(), 422, 'VALIDATION_FAILED', 'reason'],
      [{ accountId: 'ext:C-1', currency: 'points', amount: 5, reason: 'ok ok' }, {}, 422, 'IDEMPOTENCY_KEY_REQUIRED', 'headers.idempotency-key'],
      [{ accountId: 'ext:C-1', currency: 'miles', amount: 5, reason: 'ok ok' }, key(), 422, 'CURRENCY_UNKNOWN', 'currency'],
      [{ accountId: 'ext:NOPE', currency: 'points', amount: 5, reason: 'ok ok' }, key(), 422, 'WALLET_OWNER_UNKNOWN', 'accountId'],
      [{ memberId: 'ext:E-2', accountId: 'ext:C-1', currency: 'points', amount: 5, reason: 'ok ok' }, key(), 422, 'WALLET_OWNER_MISMATCH', 'memberId'],
      [{ accountId: 'ext:C-1', currency: 'points', amount: 0, reason: 'ok ok' }, key(), 422, 'VALIDATION_FAILED', 'amount'],
      [{ accountId: 'ext:C-1', currency: 'points', amount: 1.5, reason: 'ok ok' }, key(), 422, 'VALIDATION_FAILED', 'amount'],
    ];
    for (const [body, headers, status, code, path] of cases) {
      const r = await t.call(p, 'POST', '/api/v1/adjustments', body, headers);
      expect({ status: r.statusCode, code: r.json().code, paths: r.json().errors?.map((e: { path: string }) => e.path) }).toEqual({ status, code, paths: [path] });
    }
    expect((await wallets('accounts/ext:C-1'))[0].available).toBe(800);
  });
});

describe('transfers', () => {
  it('allocates company points to an employee and pools them back', async () => {
    const out = await t.call(p, 'POST', '/api/v1/transfers', { from: { accountId: 'ext:C-1' }, to: { memberId: 'ext:E-1' }, currency: 'points', amount: 300, memo: 'Q3 allocation' }, { 'idempotency-key': 'tr-1' });
    expect(out.statusCode).toBe(201);
    expect((await wallets('accounts/ext:C-1'))[0].available).toBe(500);
    expect((await wallets('members/ext:E-1'))[0].available).toBe(350);
    await t.call(p, 'POST', '/api/v1/transfers', { from: { memberId: 'ext:E-1' }, to: { accountId: 'ext:C-1' }, currency: 'points', amount: 100 }, { 'idempotency-key': 'tr-2' });
    expect((await wallets('accounts/ext:C-1'))[0].available).toBe(600);
    const e = (await t.call(p, 'GET', '/api/v1/members/ext:E-1/entries')).json();
    expect(e.items.map((x: { kind: string; amount: number }) => [x.kind, x.amount])).toEqual([
      ['transfer', -100],
      ['transfer', 300],
      ['adjust', 50],
    ]);
  });

  it('refuses a transfer to another company with 422 and changes nothing', async () => {
    const r = await t.call(p, 'POST', '/api/v1/transfers', { from: { accountId: 'ext:C-1' }, to: { memberId: 'ext:E-2' }, currency: 'points', amount: 10 }, { 'idempotency-key': 'tr-3' });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('TRANSFER_ACROSS_ACCOUNTS');
    expect((await wallets('accounts/ext:C-1'))[0].available).toBe(600);
    expect(await wallets('members/ext:E-2')).toEqual([]);
  });

  it('pages the history with a cursor, newest first, without gaps or repeats', async () => {
    const all = (await t.call(p, 'GET', '/api/v1/accounts/ext:C-1/entries?limit=500')).json().items.map((x: { id: string }) => x.id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: { id: string }[]; nextCursor: string | null } = (await t.call(p, 'GET', `/api/v1/accounts/ext:C-1/entries?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((x) => x.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all);
    expect(all.length).toBeGreaterThan(3);
  });
});

describe('wallet reads', () => {
  it('answers what the ledger holds, by id and by ext:, wallets by currency and expiries soonest first', async () => {
    await t.call(p, 'POST', '/api/v1/currencies', { code: 'miles', name: 'Miles', kind: 'points' });
    await t.call(p, 'POST', '/api/v1/accounts/ext:C-1/members', { externalId: 'E-3', name: 'Ines', role: 'sales' });
    const m = (await t.call(p, 'GET', '/api/v1/members/ext:E-3')).json();
    const ctx = { programId: p.programId, actor: { type: 'system' as const, id: 'test' }, requestId: 'wallet-reads' };
    const to = { type: 'member' as const, memberId: m.id, accountId: m.accountId };
    const day = 86_400_000;
    const base = Date.UTC(2030, 0, 1);
    const legs = [
      { to, currency: 'points', amount: 70n, expiresAt: new Date(base + 40 * day) },
      { to, currency: 'points', amount: 30n, expiresAt: new Date(base + 10 * day) },
      { to, currency: 'points', amount: 5n, expiresAt: new Date(base + 10 * day) },
      { to, currency: 'points', amount: 20n, availableAt: new Date(Date.now() + 30 * day) },
      { to, currency: 'miles', amount: 9n },
    ];
    for (const [k, leg] of legs.entries()) {
      await inTransaction(t.database, (tx) => t.services.ledger.credit(tx, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: `wr:${k}`, legs: [leg] }));
    }
    // The reference: the ledger's own reads in a transaction, shaped as the route shapes them.
    const expected = (await inTransaction(t.database, (tx) => t.services.ledger.walletsOf(tx, p.programId, to))).map((w) => ({
      currency: w.currency,
      available: Number(w.available),
      pending: Number(w.pending),
      held: Number(w.held),
      expiring: w.expiring.map((e) => ({ amount: Number(e.amount), expiresAt: e.expiresAt.toISOString() })),
    }));
    expect(expected.map((w) => w.currency)).toEqual(['miles', 'points']);
    expect(expected[1].expiring).toEqual([
      { amount: 35, expiresAt: new Date(base + 10 * day).toISOString() },
      { amount: 70, expiresAt: new Date(base + 40 * day).toISOString() },
    ]);
    expect(expected[1].pending).toBe(20);
    const byExt = await t.call(p, 'GET', '/api/v1/members/ext:E-3/wallets');
    const byId = await t.call(p, 'GET', `/api/v1/members/${m.id}/wallets`);
    expect(byExt.json()).toEqual(expected);
    expect(byId.body).toBe(byExt.body);
    expect(byExt.body).toBe(JSON.stringify(expected));
    const account = (await t.call(p, 'GET', `/api/v1/accounts/${m.accountId}/wallets`)).body;
    expect((await t.call(p, 'GET', '/api/v1/accounts/ext:C-1/wallets')).body).toBe(account);
  });

  it('answers [] for an owner without wallets and 404 for an unknown one or another program’s', async () => {
    await t.call(p, 'POST', '/api/v1/accounts', { externalId: 'C-9', name: 'Empty Co', type: 'dealer' });
    expect(await wallets('accounts/ext:C-9')).toEqual([]);
    const other = await t.newProgram();
    await t.call(other, 'POST', '/api/v1/accounts', { externalId: 'C-X', name: 'Theirs', type: 'dealer' });
    const theirs = (await t.call(other, 'GET', '/api/v1/accounts/ext:C-X')).json();
    for (const [path, code] of [
      ['members/ext:NOPE', 'MEMBER_NOT_FOUND'],
      ['members/mbr_nope', 'MEMBER_NOT_FOUND'],
      ['accounts/ext:NOPE', 'ACCOUNT_NOT_FOUND'],
      [`accounts/${theirs.id}`, 'ACCOUNT_NOT_FOUND'],
    ]) {
      const r = await t.call(p, 'GET', `/api/v1/${path}/wallets`);
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ status: 404, code });
    }
  });
});
