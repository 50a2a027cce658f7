import { sql } from 'drizzle-orm';
import type { Database } from '../../db/database.js';
import { hashRequest } from '../../lib/hash.js';
import { newId } from '../../lib/ids.js';
import { DUE_CHUNK, eachDueChunk, ownerOf, toDueWallet, type PostedDetails } from './ledger.due.js';
import { ledgerError } from './ledger.errors.js';
import type { DueOptions } from './ledger.expiry.js';

const ACTOR = { type: 'system', id: 'jobs' } as const;
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
    async (tx, limit) => {
      const res = await tx.execute(sql`
        select d.program_id, d.wallet_id, w.owner_type, w.owner_id, w.currency
        from (select distinct program_id, wallet_id from lots
              where status = 'pending' and available_at <= ${at} ${opts.programId ? sql`and program_id = ${opts.programId}` : sql``}
              limit ${limit}) d
        join wallets w on w.id = d.wallet_id and w.program_id = d.program_id`);
      return res.rows.map((r) => toDueWallet(r as Record<string, unknown>));
    },
    async (tx, _due, lock) => {
      const wallets = await lock();
      if (!wallets.length) return { transactions: 0, amount: 0n };
      const keys = wallets.map((w) => ({ id: w.id, program_id: w.programId }));
      // Re-read under the locks: another runner may have matured them meanwhile.
      const res = await tx.execute(sql`
        select l.id, l.wallet_id, l.remaining from lots l
        join jsonb_to_recordset(${JSON.stringify(keys)}::jsonb) as k(id text, program_id text) on l.wallet_id = k.id and l.program_id = k.program_id
        where l.status = 'pending' and l.available_at <= ${at}
        order by l.wallet_id, l.available_at, l.id`);
      const lotsOf = new Map<string, { id: string; remaining: bigint }[]>();
      for (const r of res.rows) {
        const list = lotsOf.get(String(r.wallet_id)) ?? [];
        list.push({ id: String(r.id), remaining: BigInt(String(r.remaining)) });
        lotsOf.set(String(r.wallet_id), list);
      }

      const headers: { ord: number; id: string; program_id: string; key: string; hash: string }[] = [];
      const lots: { id: string; program_id: string; deficit: string }[] = [];
      const postings: { ord: number; txn: string; program_id: string; wallet_id: string; bucket: 'pending' | 'available'; currency: string; amount: string }[] = [];
      const balances: { id: string; amount: string }[] = [];
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
          balances.push({ id: w.id, amount: total.toString() });
          details.push({ programId: w.programId, transactionId, kind: 'mature', owner: ownerOf(w), currency: w.currency, amount: total, at: now });
        }
        amount += total;
      }
      if (!headers.length) return { transactions: 0, amount: 0n };

      const inserted = await tx.execute(sql`
        insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, metadata, created_at)
        select h.id, h.program_id, 'mature', h.key, h.hash, ${JSON.stringify({ actor: ACTOR })}::jsonb, ${at}::timestamptz
        from jsonb_to_recordset(${JSON.stringify(headers)}::jsonb) as h(ord int, id text, program_id text, key text, hash text)
        order by h.ord
        on conflict (program_id, idempotency_key) do nothing
        returning id`);
      if (inserted.rows.length !== headers.length) throw ledgerError('IDEMPOTENCY_KEY_REUSED', 'A maturity key was already taken; retry.');
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
        from jsonb_to_recordset(${JSON.stringify(balances)}::jsonb) as b(id text, amount bigint)
        where w.id = b.id`);

      if (opts.onPosted) for (const d of details) await opts.onPosted(tx, d);
      if (opts.onPostedMany) await opts.onPostedMany(tx, details);
      return { transactions: headers.length, amount };
    },
  );
}
