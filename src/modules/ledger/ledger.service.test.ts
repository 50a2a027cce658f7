import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, type Database } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase } from '../../../test/support/database.js';
import type { OnPosted, PostedDetails, WalletOwner } from './ledger.service.js';

let database: Database;
let s: Services;
let ctx: RequestContext;
const company: WalletOwner = { type: 'account', accountId: 'acc_A' };
const alice: WalletOwner = { type: 'member', memberId: 'mbr_alice', accountId: 'acc_A' };
const other: WalletOwner = { type: 'member', memberId: 'mbr_bob', accountId: 'acc_B' };
const T0 = new Date('2026-01-01T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
let n = 0;
const key = () => `k${n++}`;

beforeAll(async () => {
  database = await createTestDatabase();
  s = createServices(database);
});
afterAll(() => database.close());
beforeEach(async () => {
  const { program } = await s.programs.createProgram({ name: 'Ledger test' });
  ctx = { programId: program.id, actor: { type: 'system', id: 'test' } };
  await s.programs.createCurrency(ctx, { code: 'pts', name: 'Points', kind: 'points' });
});

const tx = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(database, fn);
const wallet = async (o: WalletOwner) => (await tx((t) => s.ledger.walletsOf(t, ctx.programId, o))).find((w) => w.currency === 'pts');
const credit = (to: WalletOwner, amount: bigint, extra: { expiresAt?: Date | null; availableAt?: Date; at?: Date } = {}) =>
  tx((t) => s.ledger.credit(t, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: key(), at: extra.at ?? T0, legs: [{ to, currency: 'pts', amount, expiresAt: extra.expiresAt, availableAt: extra.availableAt }] }));
const invariants = () => tx((t) => s.ledger.checkInvariants(t, ctx.programId));

describe('ledger', () => {
  it('credits and debits with balanced postings and materialised balances', async () => {
    await credit(company, 1000n);
    const d = await tx((t) => s.ledger.debit(t, ctx, { kind: 'redeem', from: company, currency: 'pts', amount: 400n, sink: 'redemption', idempotencyKey: key() }));
    expect(d.postings.map((p) => [p.ownerType, p.amount])).toEqual([
      ['account', -400n],
      ['system', 400n],
    ]);
    expect(await wallet(company)).toMatchObject({ available: 600n, pending: 0n, held: 0n });
    expect(await invariants()).toEqual([]);
  });

  it('refuses a debit beyond the balance with INSUFFICIENT_BALANCE and changes nothing', async () => {
    await credit(company, 100n);
    await expect(tx((t) => s.ledger.debit(t, ctx, { kind: 'redeem', from: company, currency: 'pts', amount: 101n, sink: 'redemption', idempotencyKey: key() }))).rejects.toMatchObject({
      code: 'INSUFFICIENT_BALANCE',
      status: 409,
    });
    expect(await wallet(company)).toMatchObject({ available: 100n });
    expect(await invariants()).toEqual([]);
  });

  it('allows negative balances when the program says so, and later credits cover the debt first', async () => {
    await s.programs.updateProgram(ctx, { allowNegative: true });
    await credit(company, 100n, { expiresAt: day(10) });
    await tx((t) => s.ledger.debit(t, ctx, { kind: 'redeem', from: company, currency: 'pts', amount: 150n, sink: 'redemption', idempotencyKey: key() }));
    expect(await wallet(company)).toMatchObject({ available: -50n });
    await credit(company, 80n, { expiresAt: day(5) });
    expect(await wallet(company)).toMatchObject({ available: 30n, expiring: [{ amount: 30n, expiresAt: day(5) }] });
    expect(await invariants()).toEqual([]);
  });

  it('replays an idempotent write and refuses the same key with another request', async () => {
    const k = key();
    const a = await tx((t) => s.ledger.credit(t, ctx, { kind: 'adjust', source: 'adjustment', idempotencyKey: k, legs: [{ to: company, currency: 'pts', amount: 10n }] }));
    const b = await tx((t) => s.ledger.credit(t, ctx, { kind: 'adjust', source: 'adjustment', idempotencyKey: k, legs: [{ to: company, currency: 'pts', amount: 10n }] }));
    expect(b.replayed).toBe(true);
    expect(b.transactionId).toBe(a.transactionId);
    expect(await wallet(company)).toMatchObject({ available: 10n });
    await expect(
      tx((t) => s.ledger.credit(t, ctx, { kind: 'adjust', source: 'adjustment', idempotencyKey: k, legs: [{ to: company, currency: 'pts', amount: 11n }] })),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('consumes lots soonest-expiry first, then oldest, and expires what is left at the date', async () => {
    await credit(company, 100n, { expiresAt: null });
    await credit(company, 100n, { expiresAt: day(30) });
    await credit(company, 100n, { expiresAt: day(10) });
    await tx((t) => s.ledger.debit(t, ctx, { kind: 'redeem', from: company, currency: 'pts', amount: 150n, sink: 'redemption', idempotencyKey: key(), at: day(1) }));
    expect((await wallet(company))!.expiring).toEqual([{ amount: 50n, expiresAt: day(30) }]);
    expect(await s.ledger.expireDue(day(29), { programId: ctx.programId })).toEqual({ transactions: 0, amount: 0n });
    expect(await s.ledger.expireDue(day(30), { programId: ctx.programId })).toEqual({ transactions: 1, amount: 50n });
    expect(await s.ledger.expireDue(day(30), { programId: ctx.programId })).toEqual({ transactions: 0, amount: 0n });
    expect(await wallet(company)).toMatchObject({ available: 100n, expiring: [] });
    expect(await invariants()).toEqual([]);
  });

  it('uses the currency expiry rule when a credit gives none', async () => {
    await s.programs.createCurrency(ctx, { code: 'miles', name: 'Miles', kind: 'points', expiry: { months: 12 } });
    await tx((t) => s.ledger.credit(t, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: key(), at: T0, legs: [{ to: company, currency: 'miles', amount: 5n }] }));
    const w = (await tx((t) => s.ledger.walletsOf(t, ctx.programId, company))).find((x) => x.currency === 'miles');
    expect(w!.expiring).toEqual([{ amount: 5n, expiresAt: new Date('2027-01-01T00:00:00Z') }]);
  });

  it('keeps pending credits out of the available balance until they mature', async () => {
    await credit(alice, 70n, { availableAt: day(14) });
    expect(await wallet(alice)).toMatchObject({ available: 0n, pending: 70n });
    await expect(tx((t) => s.ledger.debit(t, ctx, { kind: 'redeem', from: alice, currency: 'pts', amount: 1n, sink: 'redemption', idempotencyKey: key() }))).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect((await s.ledger.matureDue(day(13), { programId: ctx.programId })).transactions).toBe(0);
    expect(await s.ledger.matureDue(day(14), { programId: ctx.programId })).toEqual({ transactions: 1, amount: 70n });
    expect(await s.ledger.matureDue(day(14), { programId: ctx.programId })).toEqual({ transactions: 0, amount: 0n });
    expect(await wallet(alice)).toMatchObject({ available: 70n, pending: 0n });
    expect(await invariants()).toEqual([]);
  });

  it('hands each maturity and expiry to onPosted inside its own transaction', async () => {
    await credit(alice, 70n, { availableAt: day(14), expiresAt: day(40) });
    await credit(company, 30n, { expiresAt: day(20) });
    const seen: PostedDetails[] = [];
    const record: OnPosted = async (_tx, d) => {
      seen.push(d);
    };
    await s.ledger.matureDue(day(14), { programId: ctx.programId, onPosted: record });
    await s.ledger.expireDue(day(20), { programId: ctx.programId, onPosted: record });
    expect(seen).toEqual([
      { programId: ctx.programId, transactionId: expect.stringMatching(/^txn_/), kind: 'mature', owner: alice, currency: 'pts', amount: 70n, at: day(14) },
      { programId: ctx.programId, transactionId: expect.stringMatching(/^txn_/), kind: 'expire', owner: company, currency: 'pts', amount: 30n, at: day(20) },
    ]);

    // A hook that fails takes the posting set down with it: they share the transaction.
    const failing: OnPosted = async () => {
      throw new Error('hook failed');
    };
    await expect(s.ledger.expireDue(day(40), { programId: ctx.programId, onPosted: failing })).rejects.toThrow('hook failed');
    expect(await wallet(alice)).toMatchObject({ available: 70n });
    expect(await s.ledger.expireDue(day(40), { programId: ctx.programId, onPosted: record })).toEqual({ transactions: 1, amount: 70n });
    expect(seen).toHaveLength(3);
    expect(await invariants()).toEqual([]);
  });

  it('holds value, then commits or releases it back to the same lots', async () => {
    await credit(alice, 100n, { expiresAt: day(5) });
    await credit(alice, 100n, { expiresAt: day(50) });
    const h = await tx((t) => s.ledger.hold(t, ctx, { from: alice, currency: 'pts', amount: 120n, idempotencyKey: key() }));
    expect(await wallet(alice)).toMatchObject({ available: 80n, held: 120n });
    await tx((t) => s.ledger.releaseHold(t, ctx, { holdId: h.holdId!, idempotencyKey: key() }));
    expect(await wallet(alice)).toMatchObject({ available: 200n, held: 0n, expiring: [{ amount: 100n, expiresAt: day(5) }, { amount: 100n, expiresAt: day(50) }] });
    await expect(tx((t) => s.ledger.commitHold(t, ctx, { holdId: h.holdId!, idempotencyKey: key() }))).rejects.toMatchObject({ code: 'HOLD_NOT_OPEN' });
    const h2 = await tx((t) => s.ledger.hold(t, ctx, { from: alice, currency: 'pts', amount: 50n, idempotencyKey: key() }));
    await tx((t) => s.ledger.commitHold(t, ctx, { holdId: h2.holdId!, idempotencyKey: key() }));
    expect(await wallet(alice)).toMatchObject({ available: 150n, held: 0n });
    expect(await invariants()).toEqual([]);
  });

  it('transfers inside one account keeping expiry dates, and refuses across accounts', async () => {
    await credit(company, 100n, { expiresAt: day(20) });
    await tx((t) => s.ledger.transfer(t, ctx, { from: company, to: alice, currency: 'pts', amount: 60n, idempotencyKey: key() }));
    expect(await wallet(alice)).toMatchObject({ available: 60n, expiring: [{ amount: 60n, expiresAt: day(20) }] });
    await expect(tx((t) => s.ledger.transfer(t, ctx, { from: company, to: other, currency: 'pts', amount: 1n, idempotencyKey: key() }))).rejects.toMatchObject({
      code: 'TRANSFER_ACROSS_ACCOUNTS',
    });
    expect(await invariants()).toEqual([]);
  });

  it('reverses in parts that add up, rounding half up, and never beyond the original', async () => {
    const e = await credit(company, 101n);
    const half = { numerator: 1n, denominator: 2n };
    await tx((t) => s.ledger.reverse(t, ctx, { transactionId: e.transactionId, fraction: half, idempotencyKey: key() }));
    expect(await wallet(company)).toMatchObject({ available: 50n }); // 101 − round-half-up(50.5) = 101 − 51
    await tx((t) => s.ledger.reverse(t, ctx, { transactionId: e.transactionId, fraction: half, idempotencyKey: key() }));
    expect(await wallet(company)).toMatchObject({ available: 50n }); // cumulative 1/2 again: nothing more
    await tx((t) => s.ledger.reverse(t, ctx, { transactionId: e.transactionId, idempotencyKey: key() }));
    expect(await wallet(company)).toMatchObject({ available: 0n });
    expect(await invariants()).toEqual([]);
  });

  it('reverses a pending credit from the pending bucket and a transfer back to its source lots', async () => {
    const p = await credit(alice, 40n, { availableAt: day(10) });
    await tx((t) => s.ledger.reverse(t, ctx, { transactionId: p.transactionId, idempotencyKey: key() }));
    expect(await wallet(alice)).toMatchObject({ available: 0n, pending: 0n });
    await credit(company, 100n, { expiresAt: day(20) });
    const tr = await tx((t) => s.ledger.transfer(t, ctx, { from: company, to: alice, currency: 'pts', amount: 100n, idempotencyKey: key() }));
    await tx((t) => s.ledger.reverse(t, ctx, { transactionId: tr.transactionId, idempotencyKey: key() }));
    expect(await wallet(company)).toMatchObject({ available: 100n, expiring: [{ amount: 100n, expiresAt: day(20) }] });
    expect(await wallet(alice)).toMatchObject({ available: 0n });
    expect(await invariants()).toEqual([]);
  });

  it('refuses to reverse a credit whose value was spent when negatives are off', async () => {
    const e = await credit(company, 100n);
    await tx((t) => s.ledger.debit(t, ctx, { kind: 'redeem', from: company, currency: 'pts', amount: 90n, sink: 'redemption', idempotencyKey: key() }));
    await expect(tx((t) => s.ledger.reverse(t, ctx, { transactionId: e.transactionId, idempotencyKey: key() }))).rejects.toMatchObject({ code: 'INSUFFICIENT_BALANCE' });
    expect(await wallet(company)).toMatchObject({ available: 10n });
  });
});
