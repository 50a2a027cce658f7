import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inTransaction, type Database } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase } from '../../../test/support/database.js';
import type { PostedDetails } from './ledger.due.js';
import type { WalletOwner } from './ledger.service.js';

/** Expiry and maturity a chunk of wallets per transaction (ledger.expiry.ts, ledger.maturity.ts). */
let database: Database;
let s: Services;
let ctx: RequestContext;
const T0 = new Date('2026-01-01T00:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
let n = 0;
const key = () => `x${n++}`;
const account = (i: number): WalletOwner => ({ type: 'account', accountId: `acc_${i}` });
const member = (i: number): WalletOwner => ({ type: 'member', memberId: `mbr_${i}`, accountId: `acc_${i}` });

beforeAll(async () => {
  database = await createTestDatabase();
  s = createServices(database);
});
afterAll(() => database.close());
beforeEach(async () => {
  const { program } = await s.programs.createProgram({ name: 'Expiry chunks' });
  ctx = { programId: program.id, actor: { type: 'system', id: 'test' } };
  await s.programs.createCurrency(ctx, { code: 'pts', name: 'Points', kind: 'points' });
  await s.programs.createCurrency(ctx, { code: 'mi', name: 'Miles', kind: 'points' });
});

const tx = <T>(fn: Parameters<typeof inTransaction<T>>[1]) => inTransaction(database, fn);
const credit = (to: WalletOwner, amount: bigint, extra: { currency?: string; expiresAt?: Date | null; availableAt?: Date } = {}) =>
  tx((t) =>
    s.ledger.credit(t, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: key(), at: T0, legs: [{ to, currency: extra.currency ?? 'pts', amount, expiresAt: extra.expiresAt, availableAt: extra.availableAt }] }),
  );
const debit = (from: WalletOwner, amount: bigint, at = day(1)) =>
  tx((t) => s.ledger.debit(t, ctx, { kind: 'redeem', from, currency: 'pts', amount, sink: 'redemption', idempotencyKey: key(), at }));
const wallet = async (o: WalletOwner, currency = 'pts') => (await tx((t) => s.ledger.walletsOf(t, ctx.programId, o))).find((w) => w.currency === currency);
const invariants = () => tx((t) => s.ledger.checkInvariants(t, ctx.programId));

describe('chunked expiry', () => {
  it('expires each wallet once across chunks: what is left of due lots only, held and pending value kept, one posting set and one hook call per chunk', async () => {
    // Six wallets with something due, in two currencies, accounts and members; batch of 2 → several chunks.
    for (let i = 0; i < 4; i++) {
      await credit(account(i), 100n, { expiresAt: day(10) });
      await credit(account(i), 50n, { expiresAt: day(30) }); // not due yet
    }
    await debit(account(0), 30n); // partly used: 70 of the due lot is left
    await debit(account(1), 100n); // the due lot is used up: only the later one stays, nothing to expire
    await credit(member(5), 40n, { expiresAt: day(10) });
    const h = await tx((t) => s.ledger.hold(t, ctx, { from: member(5), currency: 'pts', amount: 15n, idempotencyKey: key() })); // held: not expired
    await credit(member(6), 20n, { currency: 'mi', expiresAt: day(5) });
    await credit(member(6), 25n, { currency: 'mi', expiresAt: day(9) });
    await credit(member(7), 60n, { availableAt: day(20), expiresAt: day(8) }); // pending: not expired until it has matured

    const chunks: PostedDetails[][] = [];
    const r = await s.ledger.expireDue(day(10), { programId: ctx.programId, batch: 2, onPostedMany: async (_t, d) => void chunks.push(d) });
    expect(r).toEqual({ transactions: 5, amount: 70n + 100n + 100n + 25n + 45n });
    expect(chunks.every((c) => c.length <= 2)).toBe(true);
    const seen = chunks.flat();
    const byOwner = (x: { owner: WalletOwner; currency: string }) => `${x.owner.type === 'member' ? x.owner.memberId : x.owner.accountId}|${x.currency}`;
    expect(new Map(seen.map((d) => [byOwner(d), d.amount]))).toEqual(
      new Map([
        ['acc_0|pts', 70n],
        ['acc_2|pts', 100n],
        ['acc_3|pts', 100n],
        ['mbr_5|pts', 25n],
        ['mbr_6|mi', 45n],
      ]),
    );
    expect(seen.find((d) => byOwner(d) === 'mbr_5|pts')!.owner).toEqual(member(5));
    expect(r.amount).toBe(seen.reduce((x, d) => x + d.amount, 0n));
    expect(seen.every((d) => d.kind === 'expire' && d.at.getTime() === day(10).getTime() && d.programId === ctx.programId)).toBe(true);

    expect(await wallet(account(0))).toMatchObject({ available: 50n, expiring: [{ amount: 50n, expiresAt: day(30) }] });
    expect(await wallet(account(1))).toMatchObject({ available: 50n });
    expect(await wallet(member(5))).toMatchObject({ available: 0n, held: 15n });
    expect(await wallet(member(6), 'mi')).toMatchObject({ available: 0n, expiring: [] });
    expect(await wallet(member(7))).toMatchObject({ available: 0n, pending: 60n });

    // Each posting set: the wallet −total, the expiry wallet +total, and a lot consumption per lot.
    const one = await tx((t) => s.ledger.getTransaction(t, ctx.programId, seen.find((d) => d.currency === 'mi')!.transactionId));
    expect(one.kind).toBe('expire');
    expect(one.postings.map((p) => [p.ownerType, p.ownerId, p.currency, p.amount])).toEqual([
      ['member', 'mbr_6', 'mi', -45n],
      ['system', 'expiry', 'mi', 45n],
    ]);
    const consumed = await database.db.execute(sql`select amount from lot_consumptions where program_id = ${ctx.programId} and transaction_id = ${one.transactionId} order by id`);
    expect(consumed.rows.map((x) => BigInt(String(x.amount)))).toEqual([20n, 25n]);

    // Again: nothing. The released hold gives back to its (expired) lot, which the next run expires.
    expect(await s.ledger.expireDue(day(10), { programId: ctx.programId, batch: 2 })).toEqual({ transactions: 0, amount: 0n });
    await tx((t) => s.ledger.releaseHold(t, ctx, { holdId: h.holdId!, idempotencyKey: key(), at: day(11) }));
    expect(await s.ledger.expireDue(day(11), { programId: ctx.programId })).toEqual({ transactions: 1, amount: 15n });
    // The pending credit matures at day 20 and, being past its date, expires then.
    expect(await s.ledger.matureDue(day(20), { programId: ctx.programId, batch: 2 })).toEqual({ transactions: 1, amount: 60n });
    expect(await s.ledger.expireDue(day(20), { programId: ctx.programId, batch: 2 })).toEqual({ transactions: 1, amount: 60n });
    expect(await invariants()).toEqual([]);
  });

  it('rolls the whole chunk back when the hook fails, and does it all on the next run', async () => {
    for (let i = 0; i < 3; i++) await credit(account(i), 10n, { expiresAt: day(1) });
    await expect(
      s.ledger.expireDue(day(1), {
        programId: ctx.programId,
        onPostedMany: async () => {
          throw new Error('hook failed');
        },
      }),
    ).rejects.toThrow('hook failed');
    expect(await wallet(account(0))).toMatchObject({ available: 10n });
    expect(await s.ledger.expireDue(day(1), { programId: ctx.programId })).toEqual({ transactions: 3, amount: 30n });
    expect(await invariants()).toEqual([]);
  });

  it('expires once and never deadlocks when runs race each other and postings on the same wallets', async () => {
    const owners = Array.from({ length: 12 }, (_, i) => (i % 2 ? member(i) : account(i)));
    for (const o of owners) {
      await credit(o, 100n, { expiresAt: day(5) });
      await credit(o, 100n, { expiresAt: day(50) });
    }
    const results = await Promise.all([
      s.ledger.expireDue(day(5), { programId: ctx.programId, batch: 5 }),
      s.ledger.expireDue(day(5), { programId: ctx.programId, batch: 3 }),
      // Postings that lock the same wallets in the ledger's order, in reverse so that they meet the runs head on.
      ...[...owners].reverse().map((o) => debit(o, 10n, day(5))),
    ]);
    const [a, b] = results as [{ transactions: number; amount: bigint }, { transactions: number; amount: bigint }];
    expect(a.transactions + b.transactions).toBe(12);
    // A debit before the expiry took 10 from the due lot (soonest first: 90 expire, 100 stay); after it, from the later lot (100 expire, 90 stay).
    let expired = 0n;
    for (const o of owners) {
      const left = (await wallet(o))!.available;
      expect([90n, 100n]).toContain(left);
      expired += 190n - left;
    }
    expect(a.amount + b.amount).toBe(expired);
    expect(await s.ledger.expireDue(day(5), { programId: ctx.programId })).toEqual({ transactions: 0, amount: 0n });
    expect(await invariants()).toEqual([]);
  });
});

describe('chunked maturity', () => {
  it('matures each wallet once across chunks, covering a negative balance first, one hook call per chunk', async () => {
    await s.programs.updateProgram(ctx, { allowNegative: true });
    await credit(account(0), 30n, { availableAt: day(5) });
    await credit(account(0), 40n, { availableAt: day(6) });
    await debit(account(1), 25n); // negative: −25
    await credit(account(1), 10n, { availableAt: day(5), expiresAt: day(40) });
    await credit(account(1), 50n, { availableAt: day(5), expiresAt: day(60) });
    await credit(member(2), 70n, { availableAt: day(9) }); // not due
    await credit(member(3), 5n, { availableAt: day(6) });

    const chunks: PostedDetails[][] = [];
    const r = await s.ledger.matureDue(day(6), { programId: ctx.programId, batch: 2, onPostedMany: async (_t, d) => void chunks.push(d) });
    expect(r).toEqual({ transactions: 3, amount: 70n + 60n + 5n });
    expect(chunks.every((c) => c.length <= 2)).toBe(true);
    expect(chunks.flat().every((d) => d.kind === 'mature')).toBe(true);
    expect(await wallet(account(0))).toMatchObject({ available: 70n, pending: 0n });
    // −25 + 10 + 50 = 35: the first lot covers 10 of the debt, the second 15, leaving 35 in it.
    expect(await wallet(account(1))).toMatchObject({ available: 35n, pending: 0n, expiring: [{ amount: 35n, expiresAt: day(60) }] });
    expect(await wallet(member(2))).toMatchObject({ available: 0n, pending: 70n });
    expect(await s.ledger.matureDue(day(6), { programId: ctx.programId })).toEqual({ transactions: 0, amount: 0n });
    expect(await invariants()).toEqual([]);
  });
});
