import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { hashRequest } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import { addMonths } from '../../lib/months.js';
import type { Currency } from '../programs/index.js';
import { inLockOrder, lockOrder } from './ledger.due.js';
import { ledgerError } from './ledger.errors.js';
import { guardBalanceRange, systemWalletId, toWallet, type Bucket, type WalletRow } from './ledger.repo.js';
import type { CreditLeg, LedgerResult, PostingView, WalletOwner, WriteCommon } from './ledger.types.js';

/**
 * Many credits at once, for the events batch path.
 *
 * Each input stays its own posting set under its own idempotency key (docs/decisions/0002), with
 * exactly the rows `credit()` would write: a header, a lot per credited leg (after covering a
 * negative balance), the postings, the balance changes. What changes is the number of round
 * trips: one statement for all headers, one to lock the wallets, and one for all lots, postings
 * and balance changes together, instead of about seven per credit. Everything is computed in JS from the
 * locked wallet rows, in input order, so the outcome is the same as crediting one after another.
 */
export type CreditInput = WriteCommon & { kind: 'earn' | 'adjust'; source: 'issuance' | 'adjustment'; legs: CreditLeg[] };

/**
 * System wallet ids the caller remembers across calls (`issuance|points` → id). An id learnt in a
 * savepoint that is rolled back may name a wallet that no longer exists: the caller keeps what
 * `learn` reports only once the work that learnt it has been kept (see events.reads.ts).
 */
export type SystemWalletMemo = { get(key: string): string | undefined; learn(key: string, id: string): void };

/** What the batch path needs from around it: the currencies it read once, and the one-at-a-time ledger. */
export type CreditManyOptions = {
  currencyOf(code: string): Currency | undefined;
  /** The program's time zone, in which expiry months are counted (UTC when absent). */
  timeZone?: string;
  systemWallets?: SystemWalletMemo;
  /** Answers an input whose idempotency key was already taken (replay or refusal), as it would alone. */
  ledger: { credit(tx: Tx, ctx: RequestContext, input: CreditInput): Promise<LedgerResult> };
};

/** The same check as the one-at-a-time ledger's. */
function checkAmount(amount: bigint, path: string) {
  if (amount <= 0n || amount > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw ledgerError('AMOUNT_INVALID', 'Amounts are positive integers up to 2^53−1.', [{ path, message: 'must be a positive integer' }]);
  }
}

type WalletKey = { ownerType: 'account' | 'member'; ownerId: string; accountId: string; currency: string };
const keyOf = (o: WalletOwner, currency: string): WalletKey =>
  o.type === 'account' ? { ownerType: 'account', ownerId: o.accountId, accountId: o.accountId, currency } : { ownerType: 'member', ownerId: o.memberId, accountId: o.accountId, currency };
const min = (a: bigint, b: bigint) => (a < b ? a : b);


/**
 * Locks the wallets FOR UPDATE in the global lock order with one statement, creating the missing
 * ones first (one insert). The `order by` sits below the row locking, so rows are locked in that order.
 */
async function lockWallets(tx: Tx, programId: string, keys: WalletKey[]): Promise<Map<string, WalletRow>> {
  const sorted = inLockOrder([...new Map(keys.map((k) => [lockOrder(k), k])).values()]);
  const select = async (ks: WalletKey[]) => {
    const res = await tx.execute(sql`
      select w.* from jsonb_to_recordset(${JSON.stringify(ks.map((k, i) => ({ ord: i, owner_type: k.ownerType, owner_id: k.ownerId, currency: k.currency })))}::jsonb)
        as k(ord int, owner_type text, owner_id text, currency text)
      join wallets w on w.program_id = ${programId} and w.owner_type = k.owner_type and w.owner_id = k.owner_id and w.currency = k.currency
      order by k.ord
      for update of w`);
    return res.rows.map((r) => toWallet(r as Record<string, unknown>));
  };
  const out = new Map<string, WalletRow>();
  for (const w of await select(sorted)) out.set(lockOrder(w), w);
  const missing = sorted.filter((k) => !out.has(lockOrder(k)));
  if (missing.length) {
    const values = missing.map((k) => sql`(${newId('wal')}, ${programId}, ${k.currency}, ${k.ownerType}, ${k.ownerId}, ${k.accountId})`);
    await tx.execute(sql`
      insert into wallets (id, program_id, currency, owner_type, owner_id, account_id) values ${sql.join(values, sql`, `)}
      on conflict (program_id, owner_type, owner_id, currency) do nothing`);
    for (const w of await select(missing)) out.set(lockOrder(w), w);
  }
  return out;
}

export async function creditMany(tx: Tx, ctx: RequestContext, inputs: CreditInput[], opts: CreditManyOptions): Promise<LedgerResult[]> {
  if (!inputs.length) return [];
  for (const input of inputs) input.legs.forEach((l, i) => checkAmount(l.amount, input.legs.length > 1 ? `legs.${i}.amount` : 'amount'));
  const programId = ctx.programId;

  // 1. The headers, all at once; a key already taken is answered by credit() below, as it would be alone.
  const headers = inputs.map((c) => ({
    id: newId('txn'),
    at: c.at ?? new Date(),
    requestHash: hashRequest({ kind: c.kind, request: { source: c.source, legs: c.legs }, memo: c.memo ?? null, eventId: c.eventId ?? null, redemptionId: c.redemptionId ?? null }),
  }));
  const values = inputs.map((c, i) => {
    const hd = headers[i];
    return sql`(${hd.id}, ${programId}, ${c.kind}, ${c.idempotencyKey}, ${hd.requestHash}, ${c.memo ?? null}, ${c.eventId ?? null}, ${c.redemptionId ?? null},
      null, null, ${JSON.stringify({ ...c.metadata, actor: ctx.actor })}::jsonb, ${hd.at.toISOString()})`;
  });
  const inserted = await tx.execute(sql`
    insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, memo, event_id, redemption_id, hold_id, reverses_id, metadata, created_at)
    values ${sql.join(values, sql`, `)}
    on conflict (program_id, idempotency_key) do nothing
    returning id`);
  const opened = new Set(inserted.rows.map((r) => String(r.id)));

  // 2. The wallets of every opened posting set, locked in one statement.
  const fresh = inputs.map((c, i) => (opened.has(headers[i].id) ? c : null));
  const locked = await lockWallets(
    tx,
    programId,
    fresh.flatMap((c) => (c ? c.legs.map((l) => keyOf(l.to, l.currency)) : [])),
  );

  // 3. Lots, postings and balance changes, computed in input order from the locked balances, then written in one statement.
  const lots: ReturnType<typeof sql>[] = [];
  const postings: ReturnType<typeof sql>[] = [];
  const deltas = new Map<string, Record<Bucket, bigint>>();
  /** Debt settled per wallet, and the posting sets that settle it (one per earning and wallet). */
  const settledDebt = new Map<string, bigint>();
  const settlements: ReturnType<typeof sql>[] = [];
  const systemIds = new Map<string, string>();
  const results: (LedgerResult | null)[] = [];
  for (const [i, c] of fresh.entries()) {
    if (!c) {
      results.push(null);
      continue;
    }
    const { id: transactionId, at } = headers[i];
    const views: PostingView[] = [];
    const totals = new Map<string, bigint>();
    const post = (walletId: string, meta: Pick<PostingView, 'ownerType' | 'ownerId' | 'accountId'>, bucket: Bucket, currency: string, amount: bigint, ruleId: string | null) => {
      postings.push(sql`(${programId}, ${transactionId}, ${walletId}, ${bucket}, ${currency}, ${amount.toString()}::bigint, ${ruleId}, ${at.toISOString()})`);
      views.push({ ...meta, walletId, bucket, currency, amount, ruleId });
      totals.set(currency, (totals.get(currency) ?? 0n) + amount);
    };
    for (const leg of c.legs) {
      const currency = opts.currencyOf(leg.currency);
      if (!currency) throw ledgerError('CURRENCY_UNKNOWN', `The program has no currency "${leg.currency}".`, [{ path: 'currency', message: 'unknown currency' }]);
      const sysKey = `${c.source}|${leg.currency}`;
      let sysId = systemIds.get(sysKey) ?? opts.systemWallets?.get(sysKey);
      if (!sysId) {
        sysId = await systemWalletId(tx, programId, c.source, leg.currency);
        opts.systemWallets?.learn(sysKey, sysId);
      }
      systemIds.set(sysKey, sysId);
      const w = locked.get(lockOrder(keyOf(leg.to, leg.currency)))!;
      const expiresAt = leg.expiresAt !== undefined ? leg.expiresAt : currency.expiry ? addMonths(leg.availableAt && leg.availableAt > at ? leg.availableAt : at, currency.expiry.months, opts.timeZone ?? 'UTC') : null;
      const pending = !!leg.availableAt && leg.availableAt > at;
      const ruleId = leg.ruleId ?? null;
      post(sysId, { ownerType: 'system', ownerId: c.source, accountId: null }, 'available', leg.currency, -leg.amount, ruleId);
      const lot = (status: 'pending' | 'available', amount: bigint, availableAt: Date | null) =>
        lots.push(sql`(${newId('lot')}, ${programId}, ${w.id}, ${transactionId}, ${status}, ${amount.toString()}::bigint, ${amount.toString()}::bigint,
          ${availableAt?.toISOString() ?? null}::timestamptz, ${expiresAt?.toISOString() ?? null}::timestamptz, ${at.toISOString()})`);
      const bucket: Bucket = pending ? 'pending' : 'available';
      let settle = 0n;
      if (pending) lot('pending', leg.amount, leg.availableAt!);
      else {
        // Value arriving in the available bucket first covers a negative balance, then settles what
        // the wallet owes from returns of spent value (earnings only); only the rest becomes a lot.
        const deficit = w.available < 0n ? min(-w.available, leg.amount) : 0n;
        settle = c.kind === 'earn' && w.debt > 0n ? min(w.debt, leg.amount - deficit) : 0n;
        if (leg.amount > deficit + settle) lot('available', leg.amount - deficit - settle, null);
      }
      w[bucket] += leg.amount - settle;
      const d = deltas.get(w.id) ?? { available: 0n, pending: 0n, held: 0n };
      d[bucket] += leg.amount - settle;
      deltas.set(w.id, d);
      post(w.id, { ownerType: w.ownerType, ownerId: w.ownerId, accountId: w.accountId }, bucket, leg.currency, leg.amount, ruleId);
      if (settle > 0n) {
        // The settlement is its own posting set (a `reverse`: value going back to issuance), so the
        // entries show it and a later return of this earning reverses the earning alone.
        w.debt -= settle;
        settledDebt.set(w.id, (settledDebt.get(w.id) ?? 0n) + settle);
        const sid = newId('txn');
        const memo = `debt from returns settled: ${settle} of ${leg.amount} from ${c.memo ?? c.idempotencyKey}`;
        const hash = hashRequest({ kind: 'reverse', request: { settles: c.idempotencyKey, walletId: w.id, amount: settle.toString() } });
        settlements.push(sql`(${sid}, ${programId}, 'reverse', ${`settle:${c.idempotencyKey}:${w.id}`}, ${hash}, ${memo}, ${c.eventId ?? null}, null, null, null,
          ${JSON.stringify({ ...c.metadata, actor: ctx.actor, settles: transactionId })}::jsonb, ${at.toISOString()})`);
        postings.push(sql`(${programId}, ${sid}, ${w.id}, 'available', ${leg.currency}, ${(-settle).toString()}::bigint, ${ruleId}, ${at.toISOString()})`);
        postings.push(sql`(${programId}, ${sid}, ${sysId}, 'available', ${leg.currency}, ${settle.toString()}::bigint, ${ruleId}, ${at.toISOString()})`);
      }
    }
    for (const [currency, total] of totals) {
      if (total !== 0n) throw ledgerError('UNBALANCED', `Posting set does not balance in ${currency} (off by ${total}).`);
    }
    results.push({ transactionId, kind: c.kind, at, replayed: false, holdId: null, postings: views });
  }
  // One statement for the lots, the postings and the balances (data-modifying WITH parts always run to completion).
  if (postings.length) {
    const balances = [...deltas].map(([id, d]) => ({ id, a: d.available.toString(), p: d.pending.toString(), h: d.held.toString(), s: (settledDebt.get(id) ?? 0n).toString() }));
    const lotsPart = lots.length
      ? sql`new_lots as (
          insert into lots (id, program_id, wallet_id, transaction_id, status, amount, remaining, available_at, expires_at, created_at)
          values ${sql.join(lots, sql`, `)}),`
      : sql``;
    const settlePart = settlements.length
      ? sql`new_settlements as (
          insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, memo, event_id, redemption_id, hold_id, reverses_id, metadata, created_at)
          values ${sql.join(settlements, sql`, `)}),`
      : sql``;
    await guardBalanceRange(tx.execute(sql`
      with ${lotsPart} ${settlePart} new_postings as (
        insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount, rule_id, created_at)
        values ${sql.join(postings, sql`, `)})
      update wallets w set available = w.available + d.a::bigint, pending = w.pending + d.p::bigint, held = w.held + d.h::bigint, debt = w.debt - d.s::bigint
      from jsonb_to_recordset(${JSON.stringify(balances)}::jsonb) as d(id text, a text, p text, h text, s text)
      where w.id = d.id and w.program_id = ${programId}`));
  }

  // 4. Inputs whose key was taken: replayed (or refused) one at a time, exactly as credit() answers them.
  const out: LedgerResult[] = [];
  for (const [i, r] of results.entries()) out.push(r ?? (await opts.ledger.credit(tx, ctx, inputs[i])));
  return out;
}
