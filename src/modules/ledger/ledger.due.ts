import { sql } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import type { WalletRow } from './ledger.repo.js';

/**
 * The driver shared by the time-driven jobs (expiry: ledger.expiry.ts, maturity:
 * ledger.maturity.ts): wallets with something due are handled a chunk at a time, one transaction
 * per chunk, with a handful of set-based statements per chunk instead of a dozen per wallet.
 */

/** What one maturity or expiry posted in one wallet: handed to the caller's hooks inside the ledger's transaction. */
export type PostedDetails = {
  programId: string;
  transactionId: string;
  kind: 'mature' | 'expire';
  owner: { type: 'account'; accountId: string } | { type: 'member'; memberId: string; accountId: string };
  currency: string;
  amount: bigint;
  at: Date;
};
/** Runs in the transaction of the posting set, so what it writes (a webhook message) commits or rolls back with it. */
export type OnPosted = (tx: Tx, details: PostedDetails) => Promise<void>;
/** Runs in the chunk's transaction with what each of its posting sets posted, so what it writes (webhook messages) commits or rolls back with them. */
export type OnPostedMany = (tx: Tx, details: PostedDetails[]) => Promise<void>;

/** A wallet with something due, as the find query answers it: enough to sort it into the global lock order. */
export type DueWallet = { programId: string; walletId: string; ownerType: string; ownerId: string; currency: string };

/** The same global lock order as the one-at-a-time ledger (ledger.service.ts lockOrder) and the batch path. */
const lockOrder = (k: { ownerType: string; ownerId: string; currency: string }) => `${k.ownerType}|${k.ownerId}|${k.currency}`;
const big = (v: unknown): bigint => (typeof v === 'bigint' ? v : BigInt(String(v)));

/** Default wallets per transaction: big enough that round trips stop mattering, small enough that a concurrent posting waits at most a fraction of a second. */
export const DUE_CHUNK = 1000;
/** Wallets read per find, as a multiple of the chunk: the find scans every due lot, so it runs once for many chunks. */
const FIND_CHUNKS = 20;

export const toWallet = (r: Record<string, unknown>): WalletRow => ({
  id: String(r.id),
  programId: String(r.program_id),
  currency: String(r.currency),
  ownerType: r.owner_type as WalletRow['ownerType'],
  ownerId: String(r.owner_id),
  accountId: (r.account_id as string | null) ?? null,
  available: big(r.available),
  pending: big(r.pending),
  held: big(r.held),
});

export const toDueWallet = (r: Record<string, unknown>): DueWallet => ({
  programId: String(r.program_id),
  walletId: String(r.wallet_id),
  ownerType: String(r.owner_type),
  ownerId: String(r.owner_id),
  currency: String(r.currency),
});

export const ownerOf = (w: WalletRow): PostedDetails['owner'] =>
  w.ownerType === 'member' ? { type: 'member', memberId: w.ownerId, accountId: w.accountId ?? '' } : { type: 'account', accountId: w.ownerId };

/**
 * Locks the wallets FOR UPDATE with one statement, in the global lock order (the `order by` sits
 * below the row locking, so rows are locked in that order): a concurrent posting set locks its
 * wallets in the same order, so the two never wait on each other in a cycle.
 */
async function lockSorted(tx: Tx, due: DueWallet[]): Promise<WalletRow[]> {
  const keys = due.map((d, ord) => ({ ord, id: d.walletId, program_id: d.programId }));
  const res = await tx.execute(sql`
    select w.* from jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(ord int, id text, program_id text)
    join wallets w on w.id = k.id and w.program_id = k.program_id
    order by k.ord
    for update of w`);
  return res.rows.map((r) => toWallet(r as Record<string, unknown>));
}

/**
 * `find` lists wallets with something due (up to `limit`); they are sorted into the lock order and
 * cut into chunks; `work` runs in one transaction per chunk, locks the chunk's wallets with `lock`
 * (after finding or creating the system wallets it needs, which take no wallet lock), re-reads
 * what is due under the locks (another runner may have done it meanwhile) and answers how many
 * posting sets it wrote and their amount. Stops when nothing is found or a round makes no progress.
 */
export async function eachDueChunk(
  database: Database,
  chunk: number,
  find: (tx: Tx, limit: number) => Promise<DueWallet[]>,
  work: (tx: Tx, due: DueWallet[], lock: () => Promise<WalletRow[]>) => Promise<{ transactions: number; amount: bigint }>,
): Promise<{ transactions: number; amount: bigint }> {
  const size = Math.max(1, Math.floor(chunk));
  let transactions = 0;
  let amount = 0n;
  for (;;) {
    const due = await inTransaction(database, (tx) => find(tx, size * FIND_CHUNKS));
    if (!due.length) break;
    const sorted = due.map((d) => ({ d, key: lockOrder(d) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.d);
    let progressed = false;
    for (let i = 0; i < sorted.length; i += size) {
      const slice = sorted.slice(i, i + size);
      const r = await inTransaction(database, (tx) => work(tx, slice, () => lockSorted(tx, slice)));
      if (r.transactions > 0) {
        progressed = true;
        transactions += r.transactions;
        amount += r.amount;
      }
    }
    if (!progressed) break;
  }
  return { transactions, amount };
}
