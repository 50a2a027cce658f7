import { sql } from 'drizzle-orm';
import type { Database, Tx } from '../../db/database.js';
import { hashRequest } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import {
  DUE_CHUNK,
  eachDueChunk,
  findDueWallets,
  insertDueHeaders,
  notifyPosted,
  ownerOf,
  readDueLots,
  type DueHeader,
  type OnPosted,
  type OnPostedMany,
  type PostedDetails,
} from './ledger.due.js';
import { systemWalletId } from './ledger.repo.js';

export type DueOptions = {
  programId?: string;
  /** Wallets per transaction (default 1,000). */
  batch?: number;
  /** Called once per posting set, in the chunk's transaction. */
  onPosted?: OnPosted;
  /** Called once per chunk with all of its posting sets, in the chunk's transaction (the jobs runner's webhook messages). */
  onPostedMany?: OnPostedMany;
};

/**
 * Expires what is left of lots past their date: per wallet, one `expire` posting set (the wallet's
 * available −total, the expiry system wallet +total), each lot's rest recorded as a lot consumption
 * and taken from the lot, the balance lowered. Exactly what the one-wallet-at-a-time version wrote,
 * but a chunk of wallets per transaction with one statement for each kind of row.
 *
 * Safe to run twice or concurrently: the wallets are locked and their due lots re-read under the
 * locks, so a lot another runner expired meanwhile is not found again. Each posting set has its own
 * fresh idempotency key, as before: it is the locks, not the key, that decide what is left to do.
 */
export async function expireDue(database: Database, now: Date, opts: DueOptions = {}): Promise<{ transactions: number; amount: bigint }> {
  const at = now.toISOString();
  return eachDueChunk(
    database,
    opts.batch ?? DUE_CHUNK,
    (tx, limit) => findDueWallets(tx, limit, sql`status = 'available' and remaining > 0 and expires_at <= ${at}`, opts.programId),
    async (tx, due, lock) => {
      // The expiry wallets first: creating one takes no wallet lock, so it cannot wait on a posting that holds one.
      const systems = new Map<string, string>();
      for (const d of due) {
        const k = `${d.programId}|${d.currency}`;
        if (!systems.has(k)) systems.set(k, await systemWalletId(tx, d.programId, 'expiry', d.currency));
      }
      const wallets = await lock();
      if (!wallets.length) return { transactions: 0, amount: 0n };
      // Re-read under the locks, in the order the one-at-a-time version took them.
      const lotsOf = await readDueLots(tx, wallets, sql`l.status = 'available' and l.remaining > 0 and l.expires_at <= ${at}`, sql`l.wallet_id, l.expires_at, l.id`);

      const headers: DueHeader[] = [];
      const lots: { ord: number; id: string; txn: string; program_id: string; amount: string }[] = [];
      const postings: { ord: number; txn: string; program_id: string; wallet_id: string; currency: string; amount: string }[] = [];
      const balances: { id: string; program_id: string; amount: string }[] = [];
      const details: PostedDetails[] = [];
      let amount = 0n;
      for (const w of wallets) {
        const due = lotsOf.get(w.id);
        if (!due?.length) continue;
        const total = due.reduce((s, l) => s + l.remaining, 0n);
        const transactionId = newId('txn');
        // The same header `begin` writes for an expiry: a fresh key, the lots in the request hash.
        const hash = hashRequest({ kind: 'expire', request: { lots: due.map((l) => l.id) }, memo: null, eventId: null, redemptionId: null });
        headers.push({ ord: headers.length, id: transactionId, program_id: w.programId, key: newId('expire'), hash });
        for (const l of due) lots.push({ ord: lots.length, id: l.id, txn: transactionId, program_id: w.programId, amount: l.remaining.toString() });
        postings.push({ ord: postings.length, txn: transactionId, program_id: w.programId, wallet_id: w.id, currency: w.currency, amount: (-total).toString() });
        postings.push({ ord: postings.length, txn: transactionId, program_id: w.programId, wallet_id: systems.get(`${w.programId}|${w.currency}`)!, currency: w.currency, amount: total.toString() });
        balances.push({ id: w.id, program_id: w.programId, amount: total.toString() });
        details.push({ programId: w.programId, transactionId, kind: 'expire', owner: ownerOf(w), currency: w.currency, amount: total, at: now });
        amount += total;
      }
      if (!headers.length) return { transactions: 0, amount: 0n };

      await insertDueHeaders(tx, 'expire', headers, at, 'An expiry key was already taken; retry.');
      // Lots, consumptions, postings and balances in one statement (data-modifying WITH parts always run to completion).
      await tx.execute(sql`
        with d as (select * from jsonb_to_recordset(${JSON.stringify(lots)}::jsonb) as d(ord int, id text, txn text, program_id text, amount bigint)),
        taken as (
          update lots l set remaining = l.remaining - d.amount from d where l.id = d.id and l.program_id = d.program_id),
        consumed as (
          insert into lot_consumptions (program_id, transaction_id, lot_id, amount)
          select d.program_id, d.txn, d.id, d.amount from d order by d.ord),
        posted as (
          insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount, created_at)
          select p.program_id, p.txn, p.wallet_id, 'available', p.currency, p.amount, ${at}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(postings)}::jsonb) as p(ord int, txn text, program_id text, wallet_id text, currency text, amount bigint)
          order by p.ord)
        update wallets w set available = w.available - b.amount
        from jsonb_to_recordset(${JSON.stringify(balances)}::jsonb) as b(id text, program_id text, amount bigint)
        where w.id = b.id and w.program_id = b.program_id`);

      await notifyPosted(tx, opts, details);
      return { transactions: headers.length, amount };
    },
  );
}
