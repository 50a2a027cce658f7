import { sql } from 'drizzle-orm';
import { inTransaction } from '../../src/db/database.js';
import { CONCURRENCY, SCALE, rate, type Workload } from '../lib.js';

/** Single-posting ledger transactions vs a TPC-B transaction (pgbench's default script) from Node, same pool and concurrency. */
export const ledgerWorkload: Workload = {
  name: 'ledger',
  async run({ database, s, ctx }) {
    await database.db.execute(sql`create table if not exists bench_branches (bid int primary key, bbalance int not null default 0)`);
    await database.db.execute(sql`create table if not exists bench_tellers (tid int primary key, bid int, tbalance int not null default 0)`);
    await database.db.execute(sql`create table if not exists bench_accounts (aid int primary key, bid int, abalance int not null default 0)`);
    await database.db.execute(sql`create table if not exists bench_history (tid int, bid int, aid int, delta int, mtime timestamptz)`);
    await database.db.execute(sql`insert into bench_branches select g from generate_series(1, 1) g on conflict do nothing`);
    await database.db.execute(sql`insert into bench_tellers select g, 1 from generate_series(1, 10) g on conflict do nothing`);
    await database.db.execute(sql`insert into bench_accounts select g, 1 from generate_series(1, 100000) g on conflict do nothing`);
    const N1 = Math.round(2000 * SCALE);
    let seed = 1;
    const rnd = (m: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % m) + 1;
    const tpcb = await rate(N1, CONCURRENCY, () =>
      inTransaction(database, async (tx) => {
        const aid = rnd(100000), tid = rnd(10), delta = rnd(10000) - 5000;
        await tx.execute(sql`update bench_accounts set abalance = abalance + ${delta} where aid = ${aid}`);
        await tx.execute(sql`select abalance from bench_accounts where aid = ${aid}`);
        await tx.execute(sql`update bench_tellers set tbalance = tbalance + ${delta} where tid = ${tid}`);
        await tx.execute(sql`update bench_branches set bbalance = bbalance + ${delta} where bid = 1`);
        await tx.execute(sql`insert into bench_history (tid, bid, aid, delta, mtime) values (${tid}, 1, ${aid}, ${delta}, now())`);
      }),
    );
    const accountIds = (await s.accounts.listAccounts(ctx.programId, { limit: 500 })).items.map((a) => a.id);
    const postings = await rate(N1, CONCURRENCY, (i) =>
      inTransaction(database, (tx) =>
        s.ledger.credit(tx, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: `b1:${i}`, legs: [{ to: { type: 'account', accountId: accountIds[i % accountIds.length] }, currency: 'points', amount: 10n }] }),
      ),
    );
    return { rows: [{ workload: 'ledger postings (1 per transaction)', subject: 'ledger.credit', subjectRate: postings, reference: 'TPC-B transaction', referenceRate: tpcb, unit: 'tx/s' }] };
  },
};
