import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { hashRequest } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import { DUE_CHUNK, eachDueChunk, findDueWallets, insertDueHeaders, notifyPosted, ownerOf, readDueLots, type DueHeader, type PostedDetails } from './ledger.due.js';
import type { DueOptions } from './ledger.expiry.js';

const min = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Makes pending credits available when their date has come: per wallet, one `mature` posting set
 * with, for each due lot, pending −r and available +r; the lot becomes available, less what covers
 * a negative available balance first (programs that allow negatives). Exactly what the
 * one-wallet-at-a-time version wrote, but a chunk of wallets per transaction with one statement for
 * each kind of row. Safe to run twice or concurrently (wallets locked, due lots re-read under the locks).
 */
export async function matureDue(database: Database, now: Date, opts: DueOptions = {}): Promise<{ transactions: number; amount: bigint }> {
  const at = now.toISOString();
  return eachDueChunk(
    database,
    opts.batch ?? DUE_CHUNK,
    (tx, limit) => findDueWallets(tx, limit, sql`status = 'pending' and available_at <= ${at}`, opts.programId),
    async (tx, _due, lock) => {
      const wallets = await lock();
      if (!wallets.length) return { transactions: 0, amount: 0n };
      // Re-read under the locks: another runner may have matured them meanwhile.
      const lotsOf = await readDueLots(tx, wallets, sql`l.status = 'pending' and l.available_at <= ${at}`, sql`l.wallet_id, l.available_at, l.id`);

      const headers: DueHeader[] = [];
      const lots: { id: string; program_id: string; deficit: string }[] = [];
      const postings: { ord: number; txn: string; program_id: string; wallet_id: string; bucket: 'pending' | 'available'; currency: string; amount: string }[] = [];
      const balances: { id: string; program_id: string; amount: string }[] = [];
      const details: PostedDetails[] = [];
      let amount = 0n;
      for (const w of wallets) {
        const due = lotsOf.get(w.id);
        if (!due?.length) continue;
        const transactionId = newId('txn');
        const hash = hashRequest({ kind: 'mature', request: { lots: due.map((l) => l.id) }, memo: null, eventId: null, redemptionId: null });
        headers.push({ ord: headers.length, id: transactionId, program_id: w.programId, key: newId('mature'), hash });
        let available = w.available;
        let total = 0n;
        for (const lot of due) {
          const r = lot.remaining;
          // Cover a negative available balance first (programs that allow negatives): that part was spent already.
          const deficit = r > 0n && available < 0n ? min(-available, r) : 0n;
          lots.push({ id: lot.id, program_id: w.programId, deficit: deficit.toString() });
          if (r === 0n) continue;
          postings.push({ ord: postings.length, txn: transactionId, program_id: w.programId, wallet_id: w.id, bucket: 'pending', currency: w.currency, amount: (-r).toString() });
          postings.push({ ord: postings.length, txn: transactionId, program_id: w.programId, wallet_id: w.id, bucket: 'available', currency: w.currency, amount: r.toString() });
          available += r;
          total += r;
        }
        if (total > 0n) {
          balances.push({ id: w.id, program_id: w.programId, amount: total.toString() });
          details.push({ programId: w.programId, transactionId, kind: 'mature', owner: ownerOf(w), currency: w.currency, amount: total, at: now });
        }
        amount += total;
      }
      if (!headers.length) return { transactions: 0, amount: 0n };

      await insertDueHeaders(tx, 'mature', headers, at, 'A maturity key was already taken; retry.');
      // Lots, postings and balances in one statement (data-modifying WITH parts always run to completion).
      await tx.execute(sql`
        with matured as (
          update lots l set status = 'available', remaining = l.remaining - d.deficit
          from jsonb_to_recordset(${JSON.stringify(lots)}::jsonb) as d(id text, program_id text, deficit bigint)
          where l.id = d.id and l.program_id = d.program_id),
        posted as (
          insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount, created_at)
          select p.program_id, p.txn, p.wallet_id, p.bucket, p.currency, p.amount, ${at}::timestamptz
          from jsonb_to_recordset(${JSON.stringify(postings)}::jsonb) as p(ord int, txn text, program_id text, wallet_id text, bucket text, currency text, amount bigint)
          order by p.ord)
        update wallets w set pending = w.pending - b.amount, available = w.available + b.amount
        from jsonb_to_recordset(${JSON.stringify(balances)}::jsonb) as b(id text, program_id text, amount bigint)
        where w.id = b.id and w.program_id = b.program_id`);

      await notifyPosted(tx, opts, details);
      return { transactions: headers.length, amount };
    },
  );
}
