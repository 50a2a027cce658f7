import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { inTransaction } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';

/**
 * Offboarding (#14): a member who becomes `left` has their personal balance handled by the
 * program's policy, in the transaction of the status change, on the ledger: lots move exactly
 * (expiry dates kept), pending value is moved or forfeited with the rest, open redemptions are
 * cancelled and their holds released, and the ledger's invariants hold.
 */

const NOW = new Date('2026-12-01T00:00:00Z');
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => NOW });
});
afterAll(() => t.close());

type Wallet = { currency: string; available: number; pending: number; held: number; expiring: { amount: number; expiresAt: string }[] };
type Entry = { kind: string; amount: number; bucket: string; memo: string | null; transactionId: string };

const MAR = new Date('2027-03-31T00:00:00.000Z');
const SEP = new Date('2027-09-30T00:00:00.000Z');
const JAN = new Date('2027-01-15T00:00:00.000Z');
const JAN28 = new Date('2028-01-15T00:00:00.000Z');

async function setup(policy?: 'moveToCompany' | 'keepUntilExpiry' | 'forfeit') {
  const p: TestProgram = await t.newProgram();
  const api = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `/api/v1${url}`, body, headers);
  expect((await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' })).statusCode).toBe(201);
  expect((await api('POST', '/roles', { code: 'sales', name: 'Sales' })).statusCode).toBe(201);
  if (policy) expect((await api('PATCH', '/program', { offboardingPolicy: policy })).json()).toMatchObject({ offboardingPolicy: policy });
  const account = (await api('POST', '/accounts', { externalId: 'A-1', name: 'Dealer', type: 'dealer' })).json();
  const member = (await api('POST', '/accounts/ext:A-1/members', { externalId: 'E-1', name: 'Seller', role: 'sales', email: `e1-${p.programId}@example.test` })).json();
  await api('POST', '/accounts/ext:A-1/members', { externalId: 'E-2', name: 'Stays', role: 'sales' });
  const ctx: RequestContext = { programId: p.programId, actor: { type: 'system', id: 'test' } };
  const credit = (to: { type: 'member'; memberId: string; accountId: string } | { type: 'account'; accountId: string }, amount: bigint, key: string, lot: { expiresAt: Date | null; availableAt?: Date }) =>
    inTransaction(t.database, (tx) => t.services.ledger.credit(tx, ctx, { kind: 'adjust', source: 'adjustment', idempotencyKey: key, legs: [{ to, currency: 'points', amount, expiresAt: lot.expiresAt, availableAt: lot.availableAt ?? null }] }));
  const mine = { type: 'member' as const, memberId: member.id as string, accountId: account.id as string };
  await credit(mine, 300n, 'l1', { expiresAt: MAR });
  await credit(mine, 200n, 'l2', { expiresAt: SEP });
  await credit(mine, 100n, 'l3', { expiresAt: null });
  await credit(mine, 150n, 'l4', { expiresAt: JAN28, availableAt: JAN });
  await credit({ type: 'account', accountId: account.id }, 1000n, 'c1', { expiresAt: null });
  const reward = (await api('POST', '/rewards', { name: 'Drill', kind: 'gift', cost: { currency: 'points', amount: 100 }, active: true })).json();
  const redeem = async (key: string) => {
    const r = await api('POST', '/redemptions', { memberId: 'ext:E-1', rewardId: reward.id, qty: 1 }, { 'idempotency-key': key });
    expect(r.statusCode, r.body).toBe(201);
    return r.json().id as string;
  };
  const requested = await redeem('r1');
  const approved = await redeem('r2');
  expect((await api('POST', `/redemptions/${approved}/approve`)).statusCode).toBe(200);
  const wallet = async (who: string): Promise<Wallet> => (await api('GET', `/${who}/wallets`)).json().find((w: Wallet) => w.currency === 'points') ?? { currency: 'points', available: 0, pending: 0, held: 0, expiring: [] };
  const entries = async (who: string): Promise<Entry[]> => (await api('GET', `/${who}/entries?limit=100`)).json().items;
  const invariants = () => inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId));
  const lots = (walletOf: string) =>
    inTransaction(t.database, async (tx) =>
      (
        await tx.execute(sql`select l.status, l.remaining::text as remaining, l.available_at, l.expires_at from lots l join wallets w on w.program_id = l.program_id and w.id = l.wallet_id
          where l.program_id = ${p.programId} and w.owner_id = ${walletOf} and l.remaining > 0 order by l.expires_at nulls last, l.status, l.remaining`)
      ).rows.map((r) => ({ status: r.status, remaining: Number(r.remaining), availableAt: r.available_at ? new Date(String(r.available_at)).toISOString() : null, expiresAt: r.expires_at ? new Date(String(r.expires_at)).toISOString() : null })),
    );
  const leave = async (status = 'left') => {
    const r = await api('PATCH', '/members/ext:E-1', { status });
    expect(r.statusCode, r.body).toBe(200);
    return r.json();
  };
  const audit = async () => (await api('GET', `/audit?objectId=${member.id}`)).json().items as { action: string; after: Record<string, unknown> | null }[];
  return { p, api, ctx, account, member, reward, requested, approved, wallet, entries, invariants, lots, leave, audit, credit, mine };
}

const memberLots = [
  { status: 'available', remaining: 300, availableAt: null, expiresAt: MAR.toISOString() },
  { status: 'available', remaining: 200, availableAt: null, expiresAt: SEP.toISOString() },
  { status: 'pending', remaining: 150, availableAt: JAN.toISOString(), expiresAt: JAN28.toISOString() },
  { status: 'available', remaining: 100, availableAt: null, expiresAt: null },
];

describe('before leaving', () => {
  it('the member holds 400 available, 150 pending and 200 held by two open redemptions', async () => {
    const s = await setup();
    expect(await s.wallet('members/ext:E-1')).toMatchObject({ available: 400, pending: 150, held: 200 });
    expect((await s.api('GET', '/program')).json().offboardingPolicy).toBe('moveToCompany');
  });
});

describe('policy moveToCompany (the default)', () => {
  it('moves every lot to the company wallet with its dates, pending as pending, after cancelling open redemptions', async () => {
    const s = await setup();
    expect((await s.leave()).status).toBe('left');
    expect(await s.wallet('members/ext:E-1')).toMatchObject({ available: 0, pending: 0, held: 0, expiring: [] });
    expect(await s.wallet('accounts/ext:A-1')).toMatchObject({
      available: 1600,
      pending: 150,
      held: 0,
      expiring: [
        { amount: 300, expiresAt: MAR.toISOString() },
        { amount: 200, expiresAt: SEP.toISOString() },
      ],
    });
    expect(await s.lots(s.member.id)).toEqual([]);
    expect(await s.lots(s.account.id)).toEqual([...memberLots, { status: 'available', remaining: 1000, availableAt: null, expiresAt: null }]);
    for (const id of [s.requested, s.approved]) expect((await s.api('GET', `/redemptions/${id}`)).json().status).toBe('cancelled');
    const moved = (await s.entries('members/ext:E-1')).filter((e) => e.memo?.startsWith('Member left'));
    expect(moved.map((e) => [e.kind, e.bucket, e.amount]).sort()).toEqual([
      ['transfer', 'available', -600],
      ['transfer', 'pending', -150],
    ]);
    expect((await s.entries('accounts/ext:A-1')).filter((e) => e.memo?.startsWith('Member left')).map((e) => e.amount).sort()).toEqual([150, 600]);
    const offboarded = (await s.audit()).find((a) => a.action === 'member.offboarded');
    expect(offboarded?.after).toMatchObject({ policy: 'moveToCompany', currencies: [{ currency: 'points', available: 600, pending: 150 }], cancelledRedemptions: [s.requested, s.approved] });
    expect(await s.invariants()).toEqual([]);

    // The moved pending value matures on the company wallet on its own date, then expires on its own schedule.
    await t.services.ledger.matureDue(new Date('2027-01-16T00:00:00Z'), { programId: s.p.programId });
    expect(await s.wallet('accounts/ext:A-1')).toMatchObject({ available: 1750, pending: 0 });
    await t.services.ledger.expireDue(new Date('2027-04-01T00:00:00Z'), { programId: s.p.programId });
    expect((await s.wallet('accounts/ext:A-1')).available).toBe(1450);
    expect(await s.invariants()).toEqual([]);
  });

  it('setting left twice moves nothing twice', async () => {
    const s = await setup();
    await s.leave();
    const after = { m: await s.wallet('members/ext:E-1'), a: await s.wallet('accounts/ext:A-1'), e: (await s.entries('accounts/ext:A-1')).length };
    await s.leave();
    expect({ m: await s.wallet('members/ext:E-1'), a: await s.wallet('accounts/ext:A-1'), e: (await s.entries('accounts/ext:A-1')).length }).toEqual(after);
    expect((await s.audit()).filter((a) => a.action === 'member.offboarded')).toHaveLength(1);
    expect(await s.invariants()).toEqual([]);
  });

  it('an event after leaving awards the member nothing: a split goes to the company', async () => {
    const s = await setup();
    expect((await s.api('POST', '/rules', { name: 'split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: 100 }] })).statusCode).toBe(201);
    await s.leave();
    const r = await s.api('POST', '/events', { id: 'INV-1', type: 'purchase', accountId: 'ext:A-1', memberId: 'ext:E-1', occurredAt: NOW.toISOString(), amount: 1000, currency: 'EUR' });
    expect(r.statusCode, r.body).toBe(201);
    expect(await s.wallet('members/ext:E-1')).toMatchObject({ available: 0, pending: 0 });
    expect((await s.wallet('accounts/ext:A-1')).available).toBe(1700);
    expect(await s.invariants()).toEqual([]);
  });
});

describe('policy forfeit', () => {
  it('removes the available and pending value into the expiry wallet, and leaves the company wallet alone', async () => {
    const s = await setup('forfeit');
    await s.leave();
    expect(await s.wallet('members/ext:E-1')).toMatchObject({ available: 0, pending: 0, held: 0 });
    expect(await s.wallet('accounts/ext:A-1')).toMatchObject({ available: 1000, pending: 0 });
    const gone = (await s.entries('members/ext:E-1')).filter((e) => e.memo === 'Member left: balance forfeited');
    expect(gone.map((e) => [e.kind, e.bucket, e.amount]).sort()).toEqual([
      ['expire', 'available', -600],
      ['expire', 'pending', -150],
    ]);
    for (const id of [s.requested, s.approved]) expect((await s.api('GET', `/redemptions/${id}`)).json().status).toBe('cancelled');
    expect(await s.lots(s.member.id)).toEqual([]);
    expect((await s.audit()).find((a) => a.action === 'member.offboarded')?.after).toMatchObject({ policy: 'forfeit' });
    // Nothing is left to mature or expire for the member.
    await t.services.ledger.matureDue(new Date('2027-01-16T00:00:00Z'), { programId: s.p.programId });
    expect(await s.wallet('members/ext:E-1')).toMatchObject({ available: 0, pending: 0 });
    expect(await s.invariants()).toEqual([]);
  });
});

describe('policy keepUntilExpiry', () => {
  it('keeps the value on the member wallet, unusable, expiring on its lots’ schedule; holds are released', async () => {
    const s = await setup('keepUntilExpiry');
    await s.leave();
    expect(await s.wallet('members/ext:E-1')).toMatchObject({ available: 600, pending: 150, held: 0 });
    expect(await s.wallet('accounts/ext:A-1')).toMatchObject({ available: 1000 });
    expect(await s.lots(s.member.id)).toEqual(memberLots);
    const r = await s.api('POST', '/redemptions', { memberId: 'ext:E-1', rewardId: s.reward.id, qty: 1 }, { 'idempotency-key': 'r3' });
    expect(r.statusCode).toBe(409);
    expect(r.body).toContain('the member is left');
    await t.services.ledger.expireDue(new Date('2027-04-01T00:00:00Z'), { programId: s.p.programId });
    expect((await s.wallet('members/ext:E-1')).available).toBe(300);
    expect((await s.audit()).find((a) => a.action === 'member.offboarded')?.after).toMatchObject({ policy: 'keepUntilExpiry', currencies: [] });
    expect(await s.invariants()).toEqual([]);
  });
});

describe('a member who returns', () => {
  it('gets a new start: history stays, nothing comes back, and leaving again moves only what was earned since', async () => {
    const s = await setup();
    await s.leave();
    const back = await s.leave('active');
    expect(back.status).toBe('active');
    expect(await s.wallet('members/ext:E-1')).toMatchObject({ available: 0, pending: 0 });
    expect((await s.wallet('accounts/ext:A-1')).available).toBe(1600);
    expect((await s.entries('members/ext:E-1')).some((e) => e.memo?.startsWith('Member left'))).toBe(true);
    expect((await s.audit()).map((a) => a.action)).toContain('member.returned');
    await s.credit(s.mine, 40n, 'after-return', { expiresAt: null });
    await s.leave();
    expect((await s.wallet('members/ext:E-1')).available).toBe(0);
    expect((await s.wallet('accounts/ext:A-1')).available).toBe(1640);
    expect((await s.audit()).filter((a) => a.action === 'member.offboarded')).toHaveLength(2);
    expect(await s.invariants()).toEqual([]);
  });
});

describe('the portal', () => {
  it('a member who left cannot sign in, and their open session stops working', async () => {
    const s = await setup();
    const email = `e1-${s.p.programId}@example.test`;
    const session = await t.loginMember(email);
    expect((await t.callAs(session, 'GET', '/api/v1/portal/me')).statusCode).toBe(200);
    await s.leave();
    expect((await t.callAs(session, 'GET', '/api/v1/portal/me')).statusCode).toBe(401);
    await expect(t.loginMember(email)).rejects.toThrow();
  });
});

describe('the setting', () => {
  it('is validated', async () => {
    const p = await t.newProgram();
    const r = await t.call(p, 'PATCH', '/api/v1/program', { offboardingPolicy: 'giveAway' });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors[0].path).toBe('offboardingPolicy');
  });
});
