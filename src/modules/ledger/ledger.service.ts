import type { Database, Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { hashRequest } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import type { Currency, ProgramsService } from '../programs/index.js';
import { creditMany } from './ledger.batch.js';
import { ledgerChecks } from './ledger.doctor.js';
import { lockOrder } from './ledger.due.js';
import { ledgerError } from './ledger.errors.js';
import { expireDue as expireDueChunked, type DueOptions } from './ledger.expiry.js';
import { matureDue as matureDueChunked } from './ledger.maturity.js';
import * as repo from './ledger.repo.js';
import type { Bucket, SystemWalletName, WalletRow } from './ledger.repo.js';

import type { CreditLeg, LedgerResult, PostingView, TransactionKind, WalletOwner, WriteCommon } from './ledger.types.js';

export type { CreditLeg, LedgerResult, PostingView, TransactionKind, WalletOwner, WriteCommon } from './ledger.types.js';

// What maturity and expiry hand to their hooks is defined with them (ledger.due.ts).
export type { OnPosted, PostedDetails } from './ledger.due.js';

type Fraction = { numerator: bigint; denominator: bigint };

const ownerKey = (o: WalletOwner) => (o.type === 'account' ? { ownerType: 'account' as const, ownerId: o.accountId } : { ownerType: 'member' as const, ownerId: o.memberId });
const abs = (v: bigint) => (v < 0n ? -v : v);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** round-half-up(value × n ÷ d) for value ≥ 0, in integers. */
function scaleHalfUp(value: bigint, f: Fraction): bigint {
  return (2n * value * f.numerator + f.denominator) / (2n * f.denominator);
}

/**
 * Collects the postings of one posting set and the balance changes they make, checks they
 * balance per currency, then writes them in a few statements.
 */
class PostingSet {
  readonly postings: repo.NewPosting[] = [];
  private readonly walletMeta = new Map<string, { ownerType: PostingView['ownerType']; ownerId: string; accountId: string | null }>();

  /** `w` is a locked user wallet (its balances are tracked as we go) or a system wallet id. */
  post(w: WalletRow | { systemId: string; name: SystemWalletName; currency: string }, bucket: Bucket, amount: bigint, ruleId?: string | null) {
    if (amount === 0n) return;
    if ('systemId' in w) {
      this.postings.push({ walletId: w.systemId, bucket, currency: w.currency, amount, ruleId });
      this.walletMeta.set(w.systemId, { ownerType: 'system', ownerId: w.name, accountId: null });
      return;
    }
    w[bucket] += amount;
    this.postings.push({ walletId: w.id, bucket, currency: w.currency, amount, ruleId });
    this.walletMeta.set(w.id, { ownerType: w.ownerType, ownerId: w.ownerId, accountId: w.accountId });
  }

  async write(tx: Tx, programId: string, transactionId: string, at: Date): Promise<PostingView[]> {
    const totals = new Map<string, bigint>();
    for (const p of this.postings) totals.set(p.currency, (totals.get(p.currency) ?? 0n) + p.amount);
    for (const [currency, total] of totals) {
      if (total !== 0n) throw ledgerError('UNBALANCED', `Posting set does not balance in ${currency} (off by ${total}).`);
    }
    await repo.insertPostings(tx, programId, transactionId, this.postings, at);
    const deltas = new Map<string, { available: bigint; pending: bigint; held: bigint }>();
    for (const p of this.postings) {
      if (this.walletMeta.get(p.walletId)?.ownerType === 'system') continue;
      const d = deltas.get(p.walletId) ?? { available: 0n, pending: 0n, held: 0n };
      d[p.bucket] += p.amount;
      deltas.set(p.walletId, d);
    }
    for (const [walletId, d] of deltas) await repo.addToBalances(tx, programId, walletId, d);
    return this.postings.map((p) => ({ ...this.walletMeta.get(p.walletId)!, walletId: p.walletId, bucket: p.bucket, currency: p.currency, amount: p.amount, ruleId: p.ruleId ?? null }));
  }
}

export function createLedgerService(database: Database, deps: { programs: ProgramsService }) {
  const { programs } = deps;

  async function currencyOf(tx: Tx, programId: string, code: string, path = 'currency') {
    const c = await programs.findCurrencyIn(tx, programId, code);
    if (!c) throw ledgerError('CURRENCY_UNKNOWN', `The program has no currency "${code}".`, [{ path, message: 'unknown currency' }]);
    return c;
  }

  function checkAmount(amount: bigint, path = 'amount') {
    if (amount <= 0n || amount > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw ledgerError('AMOUNT_INVALID', 'Amounts are positive integers up to 2^53−1.', [{ path, message: 'must be a positive integer' }]);
    }
  }

  /**
   * Opens a posting set under its idempotency key. Returns the stored result instead when the
   * key was used before with the same request, and refuses it with another request.
   */
  async function begin(
    tx: Tx,
    ctx: RequestContext,
    kind: TransactionKind,
    c: WriteCommon,
    request: unknown,
    refs: { holdId?: string | null; reversesId?: string | null } = {},
  ): Promise<{ id: string; at: Date } | { replay: LedgerResult }> {
    if (!c.idempotencyKey) throw ledgerError('IDEMPOTENCY_KEY_REQUIRED', 'Every ledger write needs an idempotency key.');
    const requestHash = hashRequest({ kind, request, memo: c.memo ?? null, eventId: c.eventId ?? null, redemptionId: c.redemptionId ?? null });
    const at = c.at ?? new Date();
    const row = await repo.insertTransaction(tx, {
      id: newId('txn'),
      programId: ctx.programId,
      kind,
      idempotencyKey: c.idempotencyKey,
      requestHash,
      memo: c.memo ?? null,
      eventId: c.eventId ?? null,
      redemptionId: c.redemptionId ?? null,
      holdId: refs.holdId ?? null,
      reversesId: refs.reversesId ?? null,
      metadata: { ...c.metadata, actor: ctx.actor },
      createdAt: at,
    });
    if (row) return { id: row.id, at };
    const existing = await repo.findTransactionByKey(tx, ctx.programId, c.idempotencyKey);
    if (!existing) throw ledgerError('IDEMPOTENCY_KEY_REUSED', 'The idempotency key is being used by a request that did not finish; retry.');
    if (existing.requestHash !== requestHash) {
      throw ledgerError('IDEMPOTENCY_KEY_REUSED', 'This idempotency key was already used with a different request.');
    }
    return { replay: await load(tx, ctx.programId, existing, true) };
  }

  async function load(tx: Tx, programId: string, t: repo.TransactionRow, replayed: boolean): Promise<LedgerResult> {
    const postings = await repo.postingsOf(tx, programId, [t.id]);
    return {
      transactionId: t.id,
      kind: t.kind as TransactionKind,
      at: t.createdAt,
      replayed,
      holdId: t.holdId,
      postings: postings.map((p) => ({ walletId: p.walletId, ownerType: p.ownerType, ownerId: p.ownerId, accountId: p.accountId, bucket: p.bucket, currency: p.currency, amount: p.amount, ruleId: p.ruleId })),
    };
  }

  /** Locks the owners' wallets in one global order, creating missing ones. */
  async function lockWallets(tx: Tx, programId: string, wanted: { owner: WalletOwner; currency: string }[]): Promise<Map<string, WalletRow>> {
    const keyed = new Map<string, { ownerType: 'account' | 'member'; ownerId: string; accountId: string; currency: string }>();
    for (const w of wanted) {
      const k = { ...ownerKey(w.owner), accountId: w.owner.accountId, currency: w.currency };
      keyed.set(lockOrder(k), k);
    }
    const out = new Map<string, WalletRow>();
    for (const key of [...keyed.keys()].sort()) {
      const k = keyed.get(key)!;
      out.set(key, await repo.lockWallet(tx, programId, k.ownerType, k.ownerId, k.accountId, k.currency));
    }
    return out;
  }
  const walletFor = (locked: Map<string, WalletRow>, owner: WalletOwner, currency: string) => locked.get(lockOrder({ ...ownerKey(owner), currency }))!;

  async function system(tx: Tx, programId: string, name: SystemWalletName, currency: string) {
    return { systemId: await repo.systemWalletId(tx, programId, name, currency), name, currency };
  }

  /**
   * Takes `amount` from the wallet's open lots, soonest expiry first. Without lots to cover it
   * the debit is refused, unless the program allows negative balances.
   */
  async function consume(tx: Tx, w: WalletRow, amount: bigint, allowNegative: boolean, path = 'amount') {
    if (!allowNegative && w.available < amount) {
      throw ledgerError('INSUFFICIENT_BALANCE', `Insufficient balance: ${w.available} ${w.currency} available, ${amount} needed.`, [
        { path, message: `only ${w.available} available` },
      ]);
    }
    const taken: (repo.Consumption & { expiresAt: Date | null })[] = [];
    let left = amount;
    for (const lot of left > 0n ? await repo.openLots(tx, w.programId, w.id) : []) {
      if (left === 0n) break;
      const take = min(lot.remaining, left);
      await repo.adjustLot(tx, w.programId, lot.id, -take);
      taken.push({ lotId: lot.id, amount: take, expiresAt: lot.expiresAt });
      left -= take;
    }
    return taken;
  }

  /**
   * Value arriving in a wallet's available bucket first covers a negative balance; the rest
   * goes to the given lots (given back) and then to a new lot.
   */
  async function receive(
    tx: Tx,
    programId: string,
    transactionId: string,
    w: WalletRow,
    amount: bigint,
    opts: { restore?: repo.Consumption[]; newLot?: { expiresAt: Date | null }; at: Date },
  ): Promise<repo.Consumption[]> {
    let deficit = w.available < 0n ? min(-w.available, amount) : 0n;
    let left = amount - deficit;
    const restored: repo.Consumption[] = [];
    for (const c of opts.restore ?? []) {
      if (left === 0n && deficit === 0n) break;
      let give = min(c.amount, left + deficit);
      // The part that covers the deficit is not given back to the lot: it was spent already.
      const toDeficit = min(deficit, give);
      deficit -= toDeficit;
      give -= toDeficit;
      if (give > 0n) {
        await repo.adjustLot(tx, programId, c.lotId, give);
        left -= give;
      }
      restored.push({ lotId: c.lotId, amount: -(give + toDeficit) });
    }
    if (left > 0n) {
      await repo.insertLots(tx, programId, transactionId, [{ walletId: w.id, status: 'available', amount: left, remaining: left, availableAt: null, expiresAt: opts.newLot?.expiresAt ?? null }], opts.at);
    }
    return restored;
  }

  const api = {
    /**
     * Credits one or more wallets from a system wallet (issuance for earnings, adjustment for
     * manual credits). Each credit becomes a lot; a future `availableAt` makes it pending.
     */
    async credit(tx: Tx, ctx: RequestContext, input: WriteCommon & { kind: 'earn' | 'adjust'; source: 'issuance' | 'adjustment'; legs: CreditLeg[] }): Promise<LedgerResult> {
      // One write path for credits: one at a time is a batch of one (ledger.batch.ts).
      input.legs.forEach((l, i) => checkAmount(l.amount, input.legs.length > 1 ? `legs.${i}.amount` : 'amount'));
      const currencies = new Map<string, Currency>();
      for (const l of input.legs) if (!currencies.has(l.currency)) currencies.set(l.currency, await currencyOf(tx, ctx.programId, l.currency));
      const replay = async (t: Tx, c: RequestContext, i: typeof input): Promise<LedgerResult> => {
        const opened = await begin(t, c, i.kind, i, { source: i.source, legs: i.legs });
        if ('replay' in opened) return opened.replay;
        // The batch saw the key taken, so it was committed: begin cannot open it again.
        throw ledgerError('IDEMPOTENCY_KEY_REUSED', 'The idempotency key is being used by a request that did not finish; retry.');
      };
      // Expiry months are counted on the program's wall clock; its time zone is read only when a currency expires.
      const timeZone = [...currencies.values()].some((c) => c.expiry) ? (await programs.getProgramIn(tx, ctx.programId)).timeZone : undefined;
      const [r] = await creditMany(tx, ctx, [input], { currencyOf: (code) => currencies.get(code), ledger: { credit: replay }, timeZone });
      return r;
    },

    /** Debits a wallet into a system wallet (redemption or adjustment), consuming lots oldest-expiry first. */
    async debit(tx: Tx, ctx: RequestContext, input: WriteCommon & { kind: 'redeem' | 'adjust'; from: WalletOwner; currency: string; amount: bigint; sink: 'redemption' | 'adjustment' }): Promise<LedgerResult> {
      checkAmount(input.amount);
      const opened = await begin(tx, ctx, input.kind, input, { from: input.from, currency: input.currency, amount: input.amount, sink: input.sink });
      if ('replay' in opened) return opened.replay;
      await currencyOf(tx, ctx.programId, input.currency);
      const program = await programs.getProgramIn(tx, ctx.programId);
      const locked = await lockWallets(tx, ctx.programId, [{ owner: input.from, currency: input.currency }]);
      const w = walletFor(locked, input.from, input.currency);
      const taken = await consume(tx, w, input.amount, program.allowNegative);
      await repo.insertConsumptions(tx, ctx.programId, opened.id, taken);
      const set = new PostingSet();
      set.post(w, 'available', -input.amount);
      set.post(await system(tx, ctx.programId, input.sink, input.currency), 'available', input.amount);
      const postings = await set.write(tx, ctx.programId, opened.id, opened.at);
      return { transactionId: opened.id, kind: input.kind, at: opened.at, replayed: false, holdId: null, postings };
    },

    /**
     * Moves value between two wallets of the same company (company ↔ employee). The value keeps
     * its expiry dates: the receiving lots mirror the lots it came from.
     */
    async transfer(tx: Tx, ctx: RequestContext, input: WriteCommon & { from: WalletOwner; to: WalletOwner; currency: string; amount: bigint }): Promise<LedgerResult> {
      checkAmount(input.amount);
      if (input.from.accountId !== input.to.accountId) {
        throw ledgerError('TRANSFER_ACROSS_ACCOUNTS', 'Transfers move value only between wallets of the same account.', [{ path: 'to', message: 'belongs to another account' }]);
      }
      if (lockOrder({ ...ownerKey(input.from), currency: '' }) === lockOrder({ ...ownerKey(input.to), currency: '' })) {
        throw ledgerError('TRANSFER_SAME_WALLET', 'The source and destination are the same wallet.', [{ path: 'to', message: 'same as from' }]);
      }
      const opened = await begin(tx, ctx, 'transfer', input, { from: input.from, to: input.to, currency: input.currency, amount: input.amount });
      if ('replay' in opened) return opened.replay;
      await currencyOf(tx, ctx.programId, input.currency);
      const program = await programs.getProgramIn(tx, ctx.programId);
      const locked = await lockWallets(tx, ctx.programId, [
        { owner: input.from, currency: input.currency },
        { owner: input.to, currency: input.currency },
      ]);
      const src = walletFor(locked, input.from, input.currency);
      const dst = walletFor(locked, input.to, input.currency);
      const taken = await consume(tx, src, input.amount, program.allowNegative);
      await repo.insertConsumptions(tx, ctx.programId, opened.id, taken);
      // Mirror the source lots' expiry dates; value not covered by lots (a negative source) never expires.
      const byExpiry = new Map<string, { expiresAt: Date | null; amount: bigint }>();
      let covered = 0n;
      for (const t of taken) {
        const k = t.expiresAt?.toISOString() ?? 'never';
        const e = byExpiry.get(k) ?? { expiresAt: t.expiresAt, amount: 0n };
        e.amount += t.amount;
        covered += t.amount;
        byExpiry.set(k, e);
      }
      if (covered < input.amount) {
        const e = byExpiry.get('never') ?? { expiresAt: null, amount: 0n };
        e.amount += input.amount - covered;
        byExpiry.set('never', e);
      }
      const set = new PostingSet();
      set.post(src, 'available', -input.amount);
      for (const part of byExpiry.values()) {
        await receive(tx, ctx.programId, opened.id, dst, part.amount, { newLot: { expiresAt: part.expiresAt }, at: opened.at });
        set.post(dst, 'available', part.amount);
      }
      const postings = await set.write(tx, ctx.programId, opened.id, opened.at);
      return { transactionId: opened.id, kind: 'transfer', at: opened.at, replayed: false, holdId: null, postings };
    },

    /** Reserves value: available → held in the same wallet. Commit spends it; release gives it back to the same lots. */
    async hold(tx: Tx, ctx: RequestContext, input: WriteCommon & { from: WalletOwner; currency: string; amount: bigint }): Promise<LedgerResult> {
      checkAmount(input.amount);
      const holdId = newId('hld');
      const opened = await begin(tx, ctx, 'hold', input, { from: input.from, currency: input.currency, amount: input.amount }, { holdId });
      if ('replay' in opened) return opened.replay;
      await currencyOf(tx, ctx.programId, input.currency);
      const program = await programs.getProgramIn(tx, ctx.programId);
      const locked = await lockWallets(tx, ctx.programId, [{ owner: input.from, currency: input.currency }]);
      const w = walletFor(locked, input.from, input.currency);
      const taken = await consume(tx, w, input.amount, program.allowNegative);
      await repo.insertConsumptions(tx, ctx.programId, opened.id, taken);
      await repo.insertHold(tx, ctx.programId, { id: holdId, walletId: w.id, currency: input.currency, amount: input.amount, holdTransactionId: opened.id }, opened.at);
      const set = new PostingSet();
      set.post(w, 'available', -input.amount);
      set.post(w, 'held', input.amount);
      const postings = await set.write(tx, ctx.programId, opened.id, opened.at);
      return { transactionId: opened.id, kind: 'hold', at: opened.at, replayed: false, holdId, postings };
    },

    /** Spends held value: held → the redemption system wallet. */
    async commitHold(tx: Tx, ctx: RequestContext, input: WriteCommon & { holdId: string }): Promise<LedgerResult> {
      return settle(tx, ctx, input, 'committed');
    },

    /** Gives held value back: held → available, to the lots it was taken from. */
    async releaseHold(tx: Tx, ctx: RequestContext, input: WriteCommon & { holdId: string }): Promise<LedgerResult> {
      return settle(tx, ctx, input, 'released');
    },

    /**
     * Reverses a posting set, fully or so that `fraction` of it has been reversed in total
     * (partial returns add up: each call brings the cumulative reversal to round-half-up(original × fraction)).
     * What a wallet received is taken back from the lots it created first; what a wallet gave is
     * given back to the lots it came from.
     */
    async reverse(tx: Tx, ctx: RequestContext, input: WriteCommon & { transactionId: string; fraction?: Fraction; takeOnlyWhatIsThere?: boolean }): Promise<LedgerResult> {
      const fraction = input.fraction ?? { numerator: 1n, denominator: 1n };
      if (fraction.denominator <= 0n || fraction.numerator < 0n || fraction.numerator > fraction.denominator) {
        throw ledgerError('AMOUNT_INVALID', 'A reversal covers between none and all of the original.', [{ path: 'fraction', message: 'must be within 0..1' }]);
      }
      const opened = await begin(tx, ctx, 'reverse', input, { transactionId: input.transactionId, fraction, takeOnlyWhatIsThere: !!input.takeOnlyWhatIsThere }, { reversesId: input.transactionId });
      if ('replay' in opened) return opened.replay;
      const original = await repo.lockTransaction(tx, ctx.programId, input.transactionId);
      if (!original) throw ledgerError('TRANSACTION_NOT_FOUND', 'No such posting set in this program.');
      if (!['earn', 'adjust', 'redeem', 'transfer'].includes(original.kind)) {
        throw ledgerError('NOT_REVERSIBLE', `A "${original.kind}" posting set cannot be reversed${original.kind === 'hold' ? '; release the hold instead' : ''}.`);
      }
      const program = await programs.getProgramIn(tx, ctx.programId);
      const prior = (await repo.reversalsOf(tx, ctx.programId, original.id)).filter((id) => id !== opened.id);
      const origPostings = await repo.postingsOf(tx, ctx.programId, [original.id]);
      const priorPostings = await repo.postingsOf(tx, ctx.programId, prior);

      // What each user wallet got (+) or gave (−) in the original, and what was already undone.
      type Side = { walletId: string; ownerType: 'account' | 'member'; ownerId: string; accountId: string; currency: string; net: bigint; undone: bigint; ruleId: string | null };
      const sides = new Map<string, Side>();
      const systemOf = new Map<string, { systemId: string; name: SystemWalletName; currency: string }>();
      for (const p of origPostings) {
        if (p.ownerType === 'system') {
          systemOf.set(p.currency, { systemId: p.walletId, name: p.ownerId as SystemWalletName, currency: p.currency });
          continue;
        }
        const s = sides.get(p.walletId) ?? { walletId: p.walletId, ownerType: p.ownerType, ownerId: p.ownerId, accountId: p.accountId ?? p.ownerId, currency: p.currency, net: 0n, undone: 0n, ruleId: p.ruleId };
        s.net += p.amount;
        sides.set(p.walletId, s);
      }
      for (const p of priorPostings) {
        const s = sides.get(p.walletId);
        if (s) s.undone -= p.amount;
      }
      const ordered = [...sides.values()].filter((s) => s.net !== 0n).sort((a, b) => (lockOrder(a) < lockOrder(b) ? -1 : 1));
      const locked = new Map<string, WalletRow>();
      for (const s of ordered) locked.set(s.walletId, (await repo.lockWalletById(tx, ctx.programId, s.walletId))!);

      // A committed hold spent lots in the hold's posting set: that is where they are given back to.
      let consumedIn = [original.id];
      if (original.holdId) {
        const hold = await repo.findHold(tx, ctx.programId, original.holdId);
        if (hold) consumedIn = [hold.holdTransactionId];
      }
      const set = new PostingSet();
      const perCurrency = new Map<string, bigint>();
      let shortfall = 0n;
      for (const s of ordered) {
        const target = scaleHalfUp(abs(s.net), fraction);
        const delta = target - abs(s.undone);
        if (delta <= 0n) continue;
        const w = locked.get(s.walletId)!;
        if (s.net > 0n) {
          // Take back what this wallet received: from the lots the original created, then from other lots.
          let left = delta;
          let short = 0n;
          for (const lot of await repo.lotsOfTransaction(tx, ctx.programId, original.id)) {
            if (left === 0n) break;
            if (lot.walletId !== w.id || lot.remaining === 0n) continue;
            const take = min(lot.remaining, left);
            await repo.adjustLot(tx, ctx.programId, lot.id, -take);
            if (lot.status === 'pending') set.post(w, 'pending', -take, s.ruleId);
            else {
              // Taking from a lot of this posting set needs no balance check: the value is still there.
              await repo.insertConsumptions(tx, ctx.programId, opened.id, [{ lotId: lot.id, amount: take }]);
              set.post(w, 'available', -take, s.ruleId);
            }
            left -= take;
          }
          if (left > 0n && input.takeOnlyWhatIsThere && !program.allowNegative && w.available < left) {
            // Spent already: take what is there; the caller records the rest as debt.
            const there = w.available > 0n ? w.available : 0n;
            short = left - there;
            left = there;
          }
          if (left > 0n) {
            const taken = await consume(tx, w, left, program.allowNegative);
            await repo.insertConsumptions(tx, ctx.programId, opened.id, taken);
            set.post(w, 'available', -left, s.ruleId);
          }
          if (short > 0n) {
            // Owed from now on: the wallet's next earnings settle it first (ledger.batch.ts).
            await repo.addDebt(tx, ctx.programId, w.id, short);
            w.debt += short;
          }
          shortfall += short;
          perCurrency.set(s.currency, (perCurrency.get(s.currency) ?? 0n) - (delta - short));
        } else {
          // Give back what this wallet gave: to the lots it came from (net of earlier give-backs).
          const taken = await repo.netConsumptions(tx, ctx.programId, [...consumedIn, ...prior]);
          const own = taken.filter((c) => c.amount > 0n);
          const restoredRows = await receive(tx, ctx.programId, opened.id, w, delta, { restore: await onlyWalletLots(tx, ctx.programId, own, w.id), newLot: { expiresAt: null }, at: opened.at });
          await repo.insertConsumptions(tx, ctx.programId, opened.id, restoredRows);
          set.post(w, 'available', delta, s.ruleId);
          perCurrency.set(s.currency, (perCurrency.get(s.currency) ?? 0n) + delta);
        }
      }
      for (const [currency, net] of perCurrency) {
        if (net === 0n) continue;
        const sys = systemOf.get(currency);
        if (!sys) throw ledgerError('UNBALANCED', `Reversal of ${original.id} does not balance in ${currency}.`);
        set.post(sys, 'available', -net);
      }
      const postings = await set.write(tx, ctx.programId, opened.id, opened.at);
      return { transactionId: opened.id, kind: 'reverse', at: opened.at, replayed: false, holdId: null, postings, shortfall };
    },

    /**
     * Offboarding: empties a leaving member's wallets, one posting set per currency (key
     * `<idempotencyKey>:<currency>`, so a repeat moves nothing twice). `moveToCompany`: every lot with
     * value left, pending or available, reappears on the company wallet with the same dates (pending
     * stays pending until its date, then expires on its own schedule); `forfeit`: the lots are emptied
     * into the expiry system wallet. Held value (open holds) and a negative balance stay where they
     * are: the caller settles holds first, and debt is the member's, not the company's.
     */
    async offboard(tx: Tx, ctx: RequestContext, input: WriteCommon & { member: { memberId: string; accountId: string }; policy: 'moveToCompany' | 'forfeit' }): Promise<LedgerResult[]> {
      const memberOwner: WalletOwner = { type: 'member', memberId: input.member.memberId, accountId: input.member.accountId };
      const companyOwner: WalletOwner = { type: 'account', accountId: input.member.accountId };
      const kind: TransactionKind = input.policy === 'moveToCompany' ? 'offboard_transfer' : 'offboard_forfeit';
      const out: LedgerResult[] = [];
      for (const wallet of await repo.walletsOfOwner(tx, ctx.programId, 'member', input.member.memberId)) {
        const currency = wallet.currency;
        const c = { ...input, idempotencyKey: `${input.idempotencyKey}:${currency}` };
        // Locked before the key is taken: what is moved is read under the lock, so a concurrent credit is either in or after.
        const owners = input.policy === 'moveToCompany' ? [memberOwner, companyOwner] : [memberOwner];
        const locked = await lockWallets(tx, ctx.programId, owners.map((owner) => ({ owner, currency })));
        const src = walletFor(locked, memberOwner, currency);
        const lots = await repo.lotsWithValue(tx, ctx.programId, src.id);
        if (!lots.length) continue;
        const opened = await begin(tx, ctx, kind, c, { member: memberOwner, currency, policy: input.policy });
        if ('replay' in opened) {
          out.push(opened.replay);
          continue;
        }
        const set = new PostingSet();
        const dst = input.policy === 'moveToCompany' ? walletFor(locked, companyOwner, currency) : null;
        const sink = dst ? null : await system(tx, ctx.programId, 'expiry', currency);
        // One posting per wallet and bucket: the entries show what left and arrived, the lots carry the dates.
        const moved = { available: 0n, pending: 0n };
        for (const lot of lots) {
          const bucket = lot.status === 'pending' ? 'pending' : 'available';
          await repo.adjustLot(tx, ctx.programId, lot.id, -lot.remaining);
          if (bucket === 'available') await repo.insertConsumptions(tx, ctx.programId, opened.id, [{ lotId: lot.id, amount: lot.remaining }]);
          if (dst && bucket === 'pending') {
            await repo.insertLots(tx, ctx.programId, opened.id, [{ walletId: dst.id, status: 'pending', amount: lot.remaining, remaining: lot.remaining, availableAt: lot.availableAt, expiresAt: lot.expiresAt }], opened.at);
          } else if (dst) {
            await receive(tx, ctx.programId, opened.id, dst, lot.remaining, { newLot: { expiresAt: lot.expiresAt }, at: opened.at });
            // receive() reads the balance to cover a deficit first: keep it current lot by lot.
            dst.available += lot.remaining;
          }
          moved[bucket] += lot.remaining;
        }
        if (dst) dst.available -= moved.available;
        for (const bucket of ['available', 'pending'] as const) {
          set.post(src, bucket, -moved[bucket]);
          if (dst) set.post(dst, bucket, moved[bucket]);
        }
        const total = moved.available + moved.pending;
        if (sink) set.post(sink, 'available', total);
        const postings = await set.write(tx, ctx.programId, opened.id, opened.at);
        out.push({ transactionId: opened.id, kind, at: opened.at, replayed: false, holdId: null, postings });
      }
      return out;
    },

    /** Makes pending credits available when their date has come, a chunk of wallets per transaction (ledger.maturity.ts). Safe to run twice or concurrently. */
    async matureDue(now: Date, opts: DueOptions = {}): Promise<{ transactions: number; amount: bigint }> {
      return matureDueChunked(database, now, opts);
    },

    /** Expires what is left of lots past their date (an `expire` posting set per wallet, a chunk of wallets per transaction: ledger.expiry.ts). Safe to run twice. */
    async expireDue(now: Date, opts: DueOptions = {}): Promise<{ transactions: number; amount: bigint }> {
      return expireDueChunked(database, now, opts);
    },

    /** Wallets of an account or member, with what is pending, held and expiring. */
    async walletsOf(tx: Tx, programId: string, owner: WalletOwner) {
      const k = ownerKey(owner);
      const wallets = await repo.walletsOfOwner(tx, programId, k.ownerType, k.ownerId);
      const expiring = await repo.expiringOf(tx, programId, wallets.map((w) => w.id));
      return wallets.map((w) => ({
        walletId: w.id,
        currency: w.currency,
        available: w.available,
        pending: w.pending,
        held: w.held,
        expiring: expiring.filter((e) => e.walletId === w.id).map((e) => ({ amount: e.amount, expiresAt: e.expiresAt })),
      }));
    },

    /** Ledger history of an account or member, newest first. */
    async entriesOf(tx: Tx, programId: string, owner: WalletOwner, opts: { limit: number; beforeId?: bigint; currency?: string }) {
      const k = ownerKey(owner);
      const wallets = await repo.walletsOfOwner(tx, programId, k.ownerType, k.ownerId);
      return repo.entriesOf(tx, programId, wallets.map((w) => w.id), opts);
    },

    async getTransaction(tx: Tx, programId: string, id: string): Promise<LedgerResult> {
      const t = await repo.findTransaction(tx, programId, id);
      if (!t) throw ledgerError('TRANSACTION_NOT_FOUND', 'No such posting set in this program.');
      return load(tx, programId, t, false);
    },

    /** Checks the ledger's invariants for a program (see ledger.doctor.ts); an empty list means all hold. */
    async checkInvariants(tx: Tx, programId: string): Promise<string[]> {
      const { allowNegative } = await programs.getProgramIn(tx, programId);
      return (await ledgerChecks(tx, programId, { allowNegative })).flatMap((c) => c.problems.map((p) => p.message));
    },
  };

  async function onlyWalletLots(tx: Tx, programId: string, consumptions: repo.Consumption[], walletId: string): Promise<repo.Consumption[]> {
    const lots = await repo.lotsByIds(tx, programId, consumptions.map((c) => c.lotId));
    const mine = new Set(lots.filter((l) => l.walletId === walletId).map((l) => l.id));
    return consumptions.filter((c) => mine.has(c.lotId));
  }

  async function settle(tx: Tx, ctx: RequestContext, input: WriteCommon & { holdId: string }, outcome: 'committed' | 'released'): Promise<LedgerResult> {
    const kind = outcome === 'committed' ? 'redeem' : 'release';
    const opened = await begin(tx, ctx, kind, input, { holdId: input.holdId, outcome }, { holdId: input.holdId });
    if ('replay' in opened) return opened.replay;
    const hold = await repo.findHold(tx, ctx.programId, input.holdId);
    if (!hold) throw ledgerError('HOLD_NOT_FOUND', 'No such hold in this program.');
    const w = await repo.lockWalletById(tx, ctx.programId, hold.walletId);
    // Re-read the hold under the wallet lock: a concurrent commit/release may have settled it.
    const current = await repo.findHold(tx, ctx.programId, input.holdId);
    if (!w || !current || current.status !== 'held') throw ledgerError('HOLD_NOT_OPEN', `The hold is already ${current?.status ?? 'gone'}.`);
    const set = new PostingSet();
    set.post(w, 'held', -hold.amount); 
    if (outcome === 'committed') {
      set.post(await system(tx, ctx.programId, 'redemption', hold.currency), 'available', hold.amount);
    } else {
      const taken = await repo.netConsumptions(tx, ctx.programId, [hold.holdTransactionId]);
      const restored = await receive(tx, ctx.programId, opened.id, w, hold.amount, { restore: taken, newLot: { expiresAt: null }, at: opened.at });
      await repo.insertConsumptions(tx, ctx.programId, opened.id, restored);
      set.post(w, 'available', hold.amount);
    }
    await repo.settleHold(tx, ctx.programId, hold.id, outcome, opened.id, opened.at);
    const postings = await set.write(tx, ctx.programId, opened.id, opened.at);
    return { transactionId: opened.id, kind, at: opened.at, replayed: false, holdId: hold.id, postings };
  }

  return api;
}

export type LedgerService = ReturnType<typeof createLedgerService>;
