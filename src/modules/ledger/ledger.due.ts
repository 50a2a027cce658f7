import { sql, type SQL } from 'drizzle-orm';
import { inTransaction, type Database, type Tx } from '../../db/database.js';
import { ledgerError } from './ledger.errors.js';
import { toWallet, type WalletRow } from './ledger.repo.js';

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

/** The ledger's global lock order of wallets: the one-at-a-time ledger (ledger.service.ts), the batch path (ledger.batch.ts) and the due jobs all lock in it. */
export const lockOrder = (k: { ownerType: string; ownerId: string; currency: string }) => `${k.ownerType}|${k.ownerId}|${k.currency}`;
/** The items sorted into the global lock order. */
export const inLockOrder = <T extends { ownerType: string; ownerId: string; currency: string }>(items: T[]): T[] =>
  items.map((d) => ({ d, key: lockOrder(d) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((x) => x.d);

/** Default wallets per transaction: big enough that round trips stop mattering, small enough that a concurrent posting waits at most a fraction of a second. */
export const DUE_CHUNK = 1000;
/** Wallets read per find, as a multiple of the chunk: the find scans every due lot, so it runs once for many chunks. */
const FIND_CHUNKS = 20;


const toDueWallet = (r: Record<string, unknown>): DueWallet => ({
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
    const sorted = inLockOrder(due);
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

/**
 * Finds wallets with lots matching `dueLots` (a condition on `lots`), up to `limit`, optionally in
 * one program: the `find` of both jobs.
 */
export async function findDueWallets(tx: Tx, limit: number, dueLots: SQL, programId: string | undefined): Promise<DueWallet[]> {
  const res = await tx.execute(sql`
    select d.program_id, d.wallet_id, w.owner_type, w.owner_id, w.currency
    from (select distinct program_id, wallet_id from lots
          where ${dueLots} ${programId ? sql`and program_id = ${programId}` : sql``}
          limit ${limit}) d
    join wallets w on w.id = d.wallet_id and w.program_id = d.program_id`);
  return res.rows.map((r) => toDueWallet(r as Record<string, unknown>));
}

/** Re-reads the due lots of the locked wallets (`dueLots` on `l`, in `order`), grouped by wallet id. */
export async function readDueLots(tx: Tx, wallets: WalletRow[], dueLots: SQL, order: SQL): Promise<Map<string, { id: string; remaining: bigint }[]>> {
  const keys = wallets.map((w) => ({ id: w.id, program_id: w.programId }));
  const res = await tx.execute(sql`
    select l.id, l.wallet_id, l.remaining from lots l
    join jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(id text, program_id text) on l.wallet_id = k.id and l.program_id = k.program_id
    where ${dueLots}
    order by ${order}`);
  const lotsOf = new Map<string, { id: string; remaining: bigint }[]>();
  for (const r of res.rows) {
    const list = lotsOf.get(String(r.wallet_id)) ?? [];
    list.push({ id: String(r.id), remaining: BigInt(String(r.remaining)) });
    lotsOf.set(String(r.wallet_id), list);
  }
  return lotsOf;
}

export type DueHeader = { ord: number; id: string; program_id: string; key: string; hash: string };

/**
 * Writes the chunk's transaction headers of one kind with one statement. Fresh keys never collide;
 * if one did, writing the rest would leave a posting set without its header, so it throws `taken`.
 */
export async function insertDueHeaders(tx: Tx, kind: PostedDetails['kind'], headers: DueHeader[], at: string, taken: string): Promise<void> {
  const inserted = await tx.execute(sql`
    insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, metadata, created_at)
    select h.id, h.program_id, ${kind}, h.key, h.hash, ${JSON.stringify({ actor: DUE_ACTOR })}::jsonb, ${at}::timestamptz
    from jsonb_to_recordset(${JSON.stringify(headers)}::jsonb) as h(ord int, id text, program_id text, key text, hash text)
    order by h.ord
    on conflict (program_id, idempotency_key) do nothing
    returning id`);
  if (inserted.rows.length !== headers.length) throw ledgerError('IDEMPOTENCY_KEY_REUSED', taken);
}

const DUE_ACTOR = { type: 'system', id: 'jobs' } as const;

/** Hands the chunk's posting sets to the caller's hooks, in the chunk's transaction. */
export async function notifyPosted(tx: Tx, hooks: { onPosted?: OnPosted; onPostedMany?: OnPostedMany }, details: PostedDetails[]): Promise<void> {
  if (hooks.onPosted) for (const d of details) await hooks.onPosted(tx, d);
  if (hooks.onPostedMany) await hooks.onPostedMany(tx, details);
}
