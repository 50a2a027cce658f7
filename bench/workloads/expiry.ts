import { sql } from 'drizzle-orm';
import { inTransaction } from '../../src/db/database.js';
import { publishPosted } from '../../src/jobs/run-due.js';
import type { RequestContext } from '../../src/lib/context.js';
import { SCALE, seconds, type Services, type Workload } from '../lib.js';

const NOW = new Date('2026-07-01T00:00:00Z');

class Rollback extends Error {}

/**
 * The expiry job over 10,000 accounts and 100,000 credits per unit of BENCH_SCALE (BENCH_SCALE=10:
 * 100,000 and 1,000,000). The ledger's rows are generated with set-based SQL, consistent with what
 * the ledger itself would have written: one `earn` posting set and one lot per purchase, spread over
 * the two years before the clock, each lot expiring 12 months after its credit; then one redemption
 * per account of 30 % of its balance, taken from the lots soonest to expire first (lot consumptions,
 * partly used lots). The ledger's invariants are checked before and after. At the clock, about half
 * of the lots are past their date and a fifth of the value is still in them.
 *
 * The subject is `ledger.expireDue`, as the jobs runner calls it (with the `points.expired`
 * publisher from src/jobs/run-due.ts; no subscriber): a chunk of wallets per transaction. The reference expires the same lots in
 * five set-based statements (what is due per wallet, lot consumptions, lots, one posting per
 * wallet, balances), rolled back.
 */
export const expiryWorkload: Workload = {
  name: 'expiry',
  async run({ database, s }) {
    const A = Math.round(10_000 * SCALE);
    const E = Math.round(100_000 * SCALE);
    const { program } = await s.programs.createProgram({ name: 'bench expiry' });
    const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
    await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
    const p = program.id;
    const db = database.db;
    const t0 = performance.now();
    await db.execute(sql`
      insert into accounts (id, program_id, external_id, name, type)
      select 'xacc_' || lpad(g::text, 7, '0'), ${p}, 'X-' || g, 'Company ' || g, 'dealer' from generate_series(1, ${A}::int) g`);
    await db.execute(sql`
      insert into wallets (id, program_id, currency, owner_type, owner_id, account_id)
      select 'xwal_' || lpad(g::text, 7, '0'), ${p}, 'points', 'account', 'xacc_' || lpad(g::text, 7, '0'), 'xacc_' || lpad(g::text, 7, '0')
      from generate_series(1, ${A}::int) g
      union all select 'xsys_issuance', ${p}, 'points', 'system', 'issuance', null
      union all select 'xsys_redemption', ${p}, 'points', 'system', 'redemption', null`);
    // Each credit: when, to which account, how much (deterministic, like the tiers workload).
    await db.execute(sql`
      create table bench_credits as
      select g, timestamptz '2026-06-30 23:59:59+00' - make_interval(secs => ((g::bigint * 2654435761) % 63072000)::double precision) as at,
        'xwal_' || lpad((1 + (g::bigint * 7919) % ${A}::int)::text, 7, '0') as wallet_id, 10 + (g::bigint * 104729) % 990 as amount
      from generate_series(1, ${E}::int) g`);
    await db.execute(sql`
      insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, event_id, created_at)
      select 'xtxn_' || g, ${p}, 'earn', 'xe:' || g, '', 'XE-' || g, at from bench_credits`);
    await db.execute(sql`
      insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount, created_at)
      select ${p}, 'xtxn_' || g, w, 'available', 'points', a, at
      from bench_credits, lateral (values (wallet_id, amount), ('xsys_issuance', -amount)) v(w, a)`);
    await db.execute(sql`
      insert into lots (id, program_id, wallet_id, transaction_id, status, amount, remaining, expires_at, created_at)
      select 'xlot_' || g, ${p}, wallet_id, 'xtxn_' || g, 'available', amount, amount, at + interval '12 months', at from bench_credits`);
    // One redemption per account of 30 % of its value, consuming lots soonest expiry first (as ledger.debit does).
    await db.execute(sql`
      create table bench_redeem as
      select wallet_id, (sum(amount) * 3 / 10)::bigint as d from bench_credits group by wallet_id`);
    await db.execute(sql`
      insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, created_at)
      select 'xred_' || wallet_id, ${p}, 'redeem', 'xr:' || wallet_id, '', timestamptz '2026-06-30 23:59:59+00' from bench_redeem where d > 0`);
    await db.execute(sql`
      insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount, created_at)
      select ${p}, 'xred_' || wallet_id, w, 'available', 'points', a, timestamptz '2026-06-30 23:59:59+00'
      from bench_redeem, lateral (values (wallet_id, -d), ('xsys_redemption', d)) v(w, a) where d > 0`);
    await db.execute(sql`
      create table bench_taken as
      select l.id, l.wallet_id, least(l.amount, greatest(0, r.d - (sum(l.amount) over w - l.amount))) as taken
      from lots l join bench_redeem r on r.wallet_id = l.wallet_id
      where l.program_id = ${p}
      window w as (partition by l.wallet_id order by l.expires_at, l.created_at, l.id)`);
    await db.execute(sql`update lots l set remaining = l.amount - t.taken from bench_taken t where t.id = l.id and t.taken > 0`);
    await db.execute(sql`
      insert into lot_consumptions (program_id, transaction_id, lot_id, amount)
      select ${p}, 'xred_' || wallet_id, id, taken from bench_taken where taken > 0`);
    await db.execute(sql`
      update wallets w set available = s.total
      from (select wallet_id, sum(amount) as total from postings where program_id = ${p} group by wallet_id) s
      where s.wallet_id = w.id and w.owner_type = 'account'`);
    for (const t of ['bench_credits', 'bench_redeem', 'bench_taken']) await db.execute(sql.raw(`drop table ${t}`));
    await db.execute(sql`analyze`);
    const loadSeconds = seconds(t0);
    const before = await inTransaction(database, (tx) => s.ledger.checkInvariants(tx, p));
    if (before.length) throw new Error(`generated ledger is inconsistent: ${before.slice(0, 5).join('; ')}`);
    const due = (await db.execute(sql`
      select count(*)::int as lots, count(distinct wallet_id)::int as wallets, coalesce(sum(remaining), 0)::bigint as amount
      from lots where program_id = ${p} and status = 'available' and remaining > 0 and expires_at <= ${NOW.toISOString()}`)).rows[0];
    const dueLots = Number(due.lots);
    const dueWallets = Number(due.wallets);

    // The reference: the same expiry in five set-based statements, rolled back so the job finds the same lots.
    const r0 = performance.now();
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash, created_at) values ('xexp_ref', ${p}, 'expire', 'xexp:ref', '', ${NOW.toISOString()})`);
        await tx.execute(sql`
          create temporary table bench_due on commit drop as
          select wallet_id, sum(remaining) as amount from lots
          where program_id = ${p} and status = 'available' and remaining > 0 and expires_at <= ${NOW.toISOString()} group by wallet_id`);
        await tx.execute(sql`
          insert into lot_consumptions (program_id, transaction_id, lot_id, amount)
          select ${p}, 'xexp_ref', id, remaining from lots
          where program_id = ${p} and status = 'available' and remaining > 0 and expires_at <= ${NOW.toISOString()}`);
        await tx.execute(sql`update lots set remaining = 0 where program_id = ${p} and status = 'available' and remaining > 0 and expires_at <= ${NOW.toISOString()}`);
        await tx.execute(sql`
          insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount, created_at)
          select ${p}, 'xexp_ref', wallet_id, 'available', 'points', -amount, ${NOW.toISOString()} from bench_due`);
        await tx.execute(sql`update wallets w set available = w.available - d.amount from bench_due d where d.wallet_id = w.id`);
        throw new Rollback();
      })
      .catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
    const refSeconds = seconds(r0);

    const j0 = performance.now();
    const run = await s.ledger.expireDue(NOW, { onPostedMany: publishPosted(s, 'points.expired') });
    const jobSeconds = seconds(j0);
    const a0 = performance.now();
    const again = await s.ledger.expireDue(NOW, { onPostedMany: publishPosted(s, 'points.expired') });
    const againSeconds = seconds(a0);
    const after = await inTransaction(database, (tx) => s.ledger.checkInvariants(tx, p));
    const left = Number((await db.execute(sql`select count(*)::int as n from lots where program_id = ${p} and status = 'available' and remaining > 0 and expires_at <= ${NOW.toISOString()}`)).rows[0].n);
    if (after.length || left || run.transactions !== dueWallets || run.amount !== BigInt(String(due.amount)) || again.transactions) {
      throw new Error(`expiry broke the ledger: ${JSON.stringify({ problems: after.slice(0, 5), left, run: { ...run, amount: String(run.amount) }, dueWallets, dueAmount: String(due.amount), again: again.transactions })}`);
    }
    console.log(`\nexpiry of ${dueLots} lots in ${dueWallets} wallets (${A} accounts, ${E} credits, generated in ${loadSeconds.toFixed(1)} s): job ${jobSeconds.toFixed(2)} s, again ${againSeconds.toFixed(2)} s (nothing to do), set-based ${refSeconds.toFixed(2)} s; invariants hold`);
    const detail = { accounts: A, credits: E, loadSeconds, dueLots, dueWallets, amount: Number(run.amount), jobSeconds, againSeconds, referenceSeconds: refSeconds, invariantsAfter: after };
    return {
      rows: [
        { workload: `expiry job, ${A} accounts: wallets`, subject: 'ledger.expireDue', subjectRate: dueWallets / jobSeconds, reference: 'set-based expiry of the same rows', referenceRate: dueWallets / refSeconds, unit: 'wallets/s' },
        { workload: `expiry job, ${A} accounts: lots`, subject: 'ledger.expireDue', subjectRate: dueLots / jobSeconds, reference: 'set-based expiry of the same rows', referenceRate: dueLots / refSeconds, unit: 'lots/s' },
      ],
      detail: { expiry: detail },
    };
  },
};
