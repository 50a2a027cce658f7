import { sql } from 'drizzle-orm';
import { pgConstraint, pgErrorCode, type Tx } from '../../db/database.js';
import { ledgerError } from './ledger.errors.js';
import { newId } from '../../lib/ids.js';

export type Bucket = 'available' | 'pending' | 'held';
export type OwnerType = 'account' | 'member' | 'system';
export type SystemWalletName = 'issuance' | 'redemption' | 'expiry' | 'adjustment';

export type WalletRow = {
  id: string;
  programId: string;
  currency: string;
  ownerType: OwnerType;
  ownerId: string;
  accountId: string | null;
  available: bigint;
  pending: bigint;
  held: bigint;
  /** Owed from returns of spent value; the next earnings settle it (ledger.batch.ts). */
  debt: bigint;
};

export type TransactionRow = {
  id: string;
  programId: string;
  kind: string;
  idempotencyKey: string;
  requestHash: string;
  memo: string | null;
  eventId: string | null;
  redemptionId: string | null;
  holdId: string | null;
  reversesId: string | null;
  metadata: Record<string, unknown>;
  createdAt: Date;
};

export type PostingRow = {
  id: bigint;
  transactionId: string;
  walletId: string;
  bucket: Bucket;
  currency: string;
  amount: bigint;
  ruleId: string | null;
  ownerType: OwnerType;
  ownerId: string;
  accountId: string | null;
};

export type LotRow = {
  id: string;
  walletId: string;
  transactionId: string;
  status: 'pending' | 'available';
  amount: bigint;
  remaining: bigint;
  availableAt: Date | null;
  expiresAt: Date | null;
  createdAt: Date;
};

type Raw = Record<string, unknown>;
const date = (v: unknown): Date | null => (v == null ? null : v instanceof Date ? v : new Date(String(v)));
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(String(v)));

/** A `wallets` row as the database answers it (also for the set-based paths: ledger.due.ts, ledger.batch.ts). */
export const toWallet = (r: Raw): WalletRow => ({
  id: String(r.id),
  programId: String(r.program_id),
  currency: String(r.currency),
  ownerType: r.owner_type as OwnerType,
  ownerId: String(r.owner_id),
  accountId: (r.account_id as string | null) ?? null,
  available: big(r.available),
  pending: big(r.pending),
  held: big(r.held),
  debt: r.debt === undefined || r.debt === null ? 0n : big(r.debt),
});

const toTransaction = (r: Raw): TransactionRow => ({
  id: String(r.id),
  programId: String(r.program_id),
  kind: String(r.kind),
  idempotencyKey: String(r.idempotency_key),
  requestHash: String(r.request_hash),
  memo: (r.memo as string | null) ?? null,
  eventId: (r.event_id as string | null) ?? null,
  redemptionId: (r.redemption_id as string | null) ?? null,
  holdId: (r.hold_id as string | null) ?? null,
  reversesId: (r.reverses_id as string | null) ?? null,
  metadata: (r.metadata as Record<string, unknown>) ?? {},
  createdAt: date(r.created_at)!,
});

const toLot = (r: Raw): LotRow => ({
  id: String(r.id),
  walletId: String(r.wallet_id),
  transactionId: String(r.transaction_id),
  status: r.status as LotRow['status'],
  amount: big(r.amount),
  remaining: big(r.remaining),
  availableAt: date(r.available_at),
  expiresAt: date(r.expires_at),
  createdAt: date(r.created_at)!,
});

const toPosting = (r: Raw): PostingRow => ({
  id: big(r.id),
  transactionId: String(r.transaction_id),
  walletId: String(r.wallet_id),
  bucket: r.bucket as Bucket,
  currency: String(r.currency),
  amount: big(r.amount),
  ruleId: (r.rule_id as string | null) ?? null,
  ownerType: r.owner_type as OwnerType,
  ownerId: String(r.owner_id),
  accountId: (r.account_id as string | null) ?? null,
});

// ---- transactions -------------------------------------------------------------------------

/**
 * Inserts the posting set's header, or returns null when the idempotency key is taken.
 * On PostgreSQL a concurrent insert of the same key waits here until the first commits
 * (then this one sees the conflict) or rolls back (then this one proceeds).
 */
export async function insertTransaction(
  tx: Tx,
  row: Omit<TransactionRow, 'createdAt' | 'metadata'> & { metadata?: Record<string, unknown>; createdAt?: Date },
): Promise<TransactionRow | null> {
  const res = await tx.execute(sql`
    insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, memo, event_id, redemption_id, hold_id, reverses_id, metadata, created_at)
    values (${row.id}, ${row.programId}, ${row.kind}, ${row.idempotencyKey}, ${row.requestHash}, ${row.memo}, ${row.eventId}, ${row.redemptionId},
            ${row.holdId}, ${row.reversesId}, ${JSON.stringify(row.metadata ?? {})}::jsonb, ${(row.createdAt ?? new Date()).toISOString()})
    on conflict (program_id, idempotency_key) do nothing
    returning *`);
  return res.rows[0] ? toTransaction(res.rows[0]) : null;
}

export async function findTransactionByKey(tx: Tx, programId: string, key: string): Promise<TransactionRow | undefined> {
  const res = await tx.execute(sql`select * from ledger_transactions where program_id = ${programId} and idempotency_key = ${key}`);
  return res.rows[0] ? toTransaction(res.rows[0]) : undefined;
}

export async function findTransaction(tx: Tx, programId: string, id: string): Promise<TransactionRow | undefined> {
  const res = await tx.execute(sql`select * from ledger_transactions where program_id = ${programId} and id = ${id}`);
  return res.rows[0] ? toTransaction(res.rows[0]) : undefined;
}

/** Locks the original posting set while it is being reversed, so two partial reversals serialise. */
export async function lockTransaction(tx: Tx, programId: string, id: string): Promise<TransactionRow | undefined> {
  const res = await tx.execute(sql`select * from ledger_transactions where program_id = ${programId} and id = ${id} for update`);
  return res.rows[0] ? toTransaction(res.rows[0]) : undefined;
}

export async function reversalsOf(tx: Tx, programId: string, id: string): Promise<string[]> {
  const res = await tx.execute(sql`select id from ledger_transactions where program_id = ${programId} and reverses_id = ${id}`);
  return res.rows.map((r) => String(r.id));
}

// ---- wallets ------------------------------------------------------------------------------

const lockSql = (programId: string, ownerType: OwnerType, ownerId: string, currency: string) => sql`
  select * from wallets where program_id = ${programId} and owner_type = ${ownerType} and owner_id = ${ownerId} and currency = ${currency} for update`;

/**
 * Returns the wallet locked FOR UPDATE, creating it on first use. Callers lock wallets in
 * one global order (see sortWalletKeys) so two transactions never wait on each other in a cycle.
 */
export async function lockWallet(tx: Tx, programId: string, ownerType: OwnerType, ownerId: string, accountId: string | null, currency: string): Promise<WalletRow> {
  const found = await tx.execute(lockSql(programId, ownerType, ownerId, currency));
  if (found.rows[0]) return toWallet(found.rows[0]);
  await tx.execute(sql`
    insert into wallets (id, program_id, currency, owner_type, owner_id, account_id)
    values (${newId('wal')}, ${programId}, ${currency}, ${ownerType}, ${ownerId}, ${accountId})
    on conflict (program_id, owner_type, owner_id, currency) do nothing`);
  const again = await tx.execute(lockSql(programId, ownerType, ownerId, currency));
  return toWallet(again.rows[0]);
}

/** A system wallet's id, created on first use. System wallets are never locked: they have no balance to check. */
export async function systemWalletId(tx: Tx, programId: string, name: SystemWalletName, currency: string): Promise<string> {
  for (;;) {
    const found = await tx.execute(sql`
      select id from wallets where program_id = ${programId} and owner_type = 'system' and owner_id = ${name} and currency = ${currency}`);
    if (found.rows[0]) return String(found.rows[0].id);
    const ins = await tx.execute(sql`
      insert into wallets (id, program_id, currency, owner_type, owner_id, account_id)
      values (${newId('wal')}, ${programId}, ${currency}, 'system', ${name}, null)
      on conflict (program_id, owner_type, owner_id, currency) do nothing returning id`);
    if (ins.rows[0]) return String(ins.rows[0].id);
  }
}

export async function lockWalletById(tx: Tx, programId: string, walletId: string): Promise<WalletRow | undefined> {
  const res = await tx.execute(sql`select * from wallets where program_id = ${programId} and id = ${walletId} for update`);
  return res.rows[0] ? toWallet(res.rows[0]) : undefined;
}

export async function walletsOfOwner(tx: Tx, programId: string, ownerType: OwnerType, ownerId: string): Promise<WalletRow[]> {
  const res = await tx.execute(sql`
    select * from wallets where program_id = ${programId} and owner_type = ${ownerType} and owner_id = ${ownerId} order by currency`);
  return res.rows.map(toWallet);
}

/** A write that would take a balance bucket beyond ±(2^53−1) (the wallets_balance_range CHECK) is a domain error, not a 500. */
export async function guardBalanceRange<T>(write: Promise<T>): Promise<T> {
  try {
    return await write;
  } catch (err) {
    if (pgErrorCode(err) === '23514' && pgConstraint(err) === 'wallets_balance_range') {
      throw ledgerError('BALANCE_OUT_OF_RANGE', 'The resulting balance would exceed 2^53−1 (9,007,199,254,740,991), the largest amount the API can carry.', [{ path: 'amount', message: 'the balance would leave the safe range' }]);
    }
    throw err;
  }
}

export async function addToBalances(tx: Tx, programId: string, walletId: string, d: { available: bigint; pending: bigint; held: bigint }): Promise<void> {
  await guardBalanceRange(
    tx.execute(sql`
      update wallets set available = available + ${d.available.toString()}::bigint, pending = pending + ${d.pending.toString()}::bigint,
        held = held + ${d.held.toString()}::bigint
      where program_id = ${programId} and id = ${walletId}`),
  );
}

// ---- postings -----------------------------------------------------------------------------

export type NewPosting = { walletId: string; bucket: Bucket; currency: string; amount: bigint; ruleId?: string | null };

export async function insertPostings(tx: Tx, programId: string, transactionId: string, rows: NewPosting[], at: Date): Promise<void> {
  if (!rows.length) return;
  const values = rows.map(
    (p) => sql`(${programId}, ${transactionId}, ${p.walletId}, ${p.bucket}, ${p.currency}, ${p.amount.toString()}::bigint, ${p.ruleId ?? null}, ${at.toISOString()})`,
  );
  await tx.execute(sql`
    insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount, rule_id, created_at)
    values ${sql.join(values, sql`, `)}`);
}

export async function postingsOf(tx: Tx, programId: string, transactionIds: string[]): Promise<PostingRow[]> {
  if (!transactionIds.length) return [];
  const res = await tx.execute(sql`
    select p.*, w.owner_type, w.owner_id, w.account_id from postings p join wallets w on w.program_id = p.program_id and w.id = p.wallet_id
    where p.program_id = ${programId} and p.transaction_id in ${transactionIds}
    order by p.id`);
  return res.rows.map(toPosting);
}

// ---- lots ---------------------------------------------------------------------------------

export type NewLot = {
  walletId: string;
  status: 'pending' | 'available';
  amount: bigint;
  remaining: bigint;
  availableAt: Date | null;
  expiresAt: Date | null;
};

export async function insertLots(tx: Tx, programId: string, transactionId: string, rows: NewLot[], at: Date): Promise<string[]> {
  if (!rows.length) return [];
  const ids = rows.map(() => newId('lot'));
  const values = rows.map(
    (l, i) => sql`(${ids[i]}, ${programId}, ${l.walletId}, ${transactionId}, ${l.status}, ${l.amount.toString()}::bigint, ${l.remaining.toString()}::bigint,
      ${l.availableAt?.toISOString() ?? null}::timestamptz, ${l.expiresAt?.toISOString() ?? null}::timestamptz, ${at.toISOString()})`,
  );
  await tx.execute(sql`
    insert into lots (id, program_id, wallet_id, transaction_id, status, amount, remaining, available_at, expires_at, created_at)
    values ${sql.join(values, sql`, `)}`);
  return ids;
}

/** Open lots of a wallet in the order debits consume them: soonest expiry first, then oldest. */
export async function openLots(tx: Tx, programId: string, walletId: string): Promise<LotRow[]> {
  const res = await tx.execute(sql`
    select * from lots where program_id = ${programId} and wallet_id = ${walletId} and status = 'available' and remaining > 0
    order by expires_at asc nulls last, created_at asc, id asc`);
  return res.rows.map(toLot);
}

/** Every lot of a wallet with value left, pending or available, in the order debits consume them (offboarding moves them all). */
export async function lotsWithValue(tx: Tx, programId: string, walletId: string): Promise<LotRow[]> {
  const res = await tx.execute(sql`
    select * from lots where program_id = ${programId} and wallet_id = ${walletId} and remaining > 0
    order by expires_at asc nulls last, created_at asc, id asc`);
  return res.rows.map(toLot);
}

export async function lotsOfTransaction(tx: Tx, programId: string, transactionId: string): Promise<LotRow[]> {
  const res = await tx.execute(sql`select * from lots where program_id = ${programId} and transaction_id = ${transactionId} order by id`);
  return res.rows.map(toLot);
}

export async function lotsByIds(tx: Tx, programId: string, ids: string[]): Promise<LotRow[]> {
  if (!ids.length) return [];
  const res = await tx.execute(sql`select * from lots where program_id = ${programId} and id in ${ids}`);
  return res.rows.map(toLot);
}

export async function adjustLot(tx: Tx, programId: string, lotId: string, delta: bigint, status?: 'available'): Promise<void> {
  await tx.execute(sql`
    update lots set remaining = remaining + ${delta.toString()}::bigint ${status ? sql`, status = ${status}` : sql``} where program_id = ${programId} and id = ${lotId}`);
}

export type Consumption = { lotId: string; amount: bigint };

export async function insertConsumptions(tx: Tx, programId: string, transactionId: string, rows: Consumption[]): Promise<void> {
  if (!rows.length) return;
  const values = rows.map((c) => sql`(${programId}, ${transactionId}, ${c.lotId}, ${c.amount.toString()}::bigint)`);
  await tx.execute(sql`insert into lot_consumptions (program_id, transaction_id, lot_id, amount) values ${sql.join(values, sql`, `)}`);
}

/** Net amount taken from each lot by these posting sets (takes minus give-backs), in the order taken. */
export async function netConsumptions(tx: Tx, programId: string, transactionIds: string[]): Promise<Consumption[]> {
  if (!transactionIds.length) return [];
  const res = await tx.execute(sql`
    select lot_id, sum(amount) as amount, min(id) as first from lot_consumptions
    where program_id = ${programId} and transaction_id in ${transactionIds} group by lot_id order by first`);
  return res.rows.map((r) => ({ lotId: String(r.lot_id), amount: big(r.amount) }));
}

// ---- holds --------------------------------------------------------------------------------

export type HoldRow = {
  id: string;
  walletId: string;
  currency: string;
  amount: bigint;
  status: 'held' | 'committed' | 'released';
  holdTransactionId: string;
  settleTransactionId: string | null;
};

const toHold = (r: Raw): HoldRow => ({
  id: String(r.id),
  walletId: String(r.wallet_id),
  currency: String(r.currency),
  amount: big(r.amount),
  status: r.status as HoldRow['status'],
  holdTransactionId: String(r.hold_transaction_id),
  settleTransactionId: (r.settle_transaction_id as string | null) ?? null,
});

export async function insertHold(tx: Tx, programId: string, h: Omit<HoldRow, 'status' | 'settleTransactionId'>, at: Date): Promise<void> {
  await tx.execute(sql`
    insert into holds (id, program_id, wallet_id, currency, amount, status, hold_transaction_id, created_at)
    values (${h.id}, ${programId}, ${h.walletId}, ${h.currency}, ${h.amount.toString()}::bigint, 'held', ${h.holdTransactionId}, ${at.toISOString()})`);
}

export async function findHold(tx: Tx, programId: string, id: string): Promise<HoldRow | undefined> {
  const res = await tx.execute(sql`select * from holds where program_id = ${programId} and id = ${id}`);
  return res.rows[0] ? toHold(res.rows[0]) : undefined;
}

export async function settleHold(tx: Tx, programId: string, id: string, status: 'committed' | 'released', transactionId: string, at: Date): Promise<void> {
  await tx.execute(sql`update holds set status = ${status}, settle_transaction_id = ${transactionId}, settled_at = ${at.toISOString()} where program_id = ${programId} and id = ${id}`);
}

// ---- reading ------------------------------------------------------------------------------

/** Amounts that will expire, per date, for the wallets given (what the owner should spend first). */
export async function expiringOf(tx: Tx, programId: string, walletIds: string[]): Promise<{ walletId: string; expiresAt: Date; amount: bigint }[]> {
  if (!walletIds.length) return [];
  const res = await tx.execute(sql`
    select wallet_id, expires_at, sum(remaining) as amount from lots
    where program_id = ${programId} and wallet_id in ${walletIds} and status = 'available' and remaining > 0 and expires_at is not null
    group by wallet_id, expires_at order by expires_at`);
  return res.rows.map((r) => ({ walletId: String(r.wallet_id), expiresAt: date(r.expires_at)!, amount: big(r.amount) }));
}

export type EntryRow = PostingRow & {
  at: Date;
  kind: string;
  memo: string | null;
  eventId: string | null;
  redemptionId: string | null;
  reversesId: string | null;
};

export async function entriesOf(
  tx: Tx,
  programId: string,
  walletIds: string[],
  opts: { limit: number; beforeId?: bigint; currency?: string },
): Promise<EntryRow[]> {
  if (!walletIds.length) return [];
  const res = await tx.execute(sql`
    select p.*, w.owner_type, w.owner_id, w.account_id, t.kind, t.memo, t.event_id, t.redemption_id, t.reverses_id, t.created_at as at
    from postings p join wallets w on w.program_id = p.program_id and w.id = p.wallet_id join ledger_transactions t on t.program_id = p.program_id and t.id = p.transaction_id
    where p.program_id = ${programId} and p.wallet_id in ${walletIds}
      ${opts.beforeId ? sql`and p.id < ${opts.beforeId.toString()}::bigint` : sql``}
      ${opts.currency ? sql`and p.currency = ${opts.currency}` : sql``}
    order by p.id desc limit ${opts.limit}`);
  return res.rows.map((r) => ({
    ...toPosting(r),
    at: date(r.at)!,
    kind: String(r.kind),
    memo: (r.memo as string | null) ?? null,
    eventId: (r.event_id as string | null) ?? null,
    redemptionId: (r.redemption_id as string | null) ?? null,
    reversesId: (r.reverses_id as string | null) ?? null,
  }));
}

/** Adds to what the wallet owes (a return that could take back only part of what it reversed). */
export async function addDebt(tx: Tx, programId: string, walletId: string, amount: bigint): Promise<void> {
  await tx.execute(sql`update wallets set debt = debt + ${amount.toString()}::bigint where program_id = ${programId} and id = ${walletId}`);
}
