/**
 * The benchmark suite: fixed, seeded workloads, each with a reference measured in the same
 * run on the same database, reported as a ratio. `npm run bench` (PGlite) or
 * `DATABASE_URL=postgres://… npm run bench`. Results: a table on stdout and JSON in bench/results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { inTransaction, migrateDatabase, wrap, type Database } from '../src/db/database.js';
import { openPglite, openPostgres } from '../src/db/pool.js';
import { createServices } from '../src/services.js';
import type { RequestContext } from '../src/lib/context.js';
import type { RuleInput } from '../src/contracts/rules.js';

type Row = { workload: string; subject: string; subjectRate: number; reference: string; referenceRate: number; unit: string };

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const url = process.env.DATABASE_URL;
const CONCURRENCY = url ? 8 : 1; // PGlite is one connection: concurrency would only queue

async function openBenchDatabase(): Promise<{ database: Database; drop: () => Promise<void> }> {
  if (!url) return { database: wrap(await openPglite({ dataDir: 'memory://' })), drop: async () => {} };
  const name = `fealty_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const u = new URL(url);
  u.pathname = `/${name}`;
  const database = wrap(openPostgres(u.toString(), CONCURRENCY + 2));
  return {
    database,
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** Runs `n` jobs with `c` concurrent workers; returns jobs per second. */
async function rate(n: number, c: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (let i = next++; i < n; i = next++) await job(i);
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

async function main() {
  const { database, drop } = await openBenchDatabase();
  await migrateDatabase(database);
  const s = createServices(database);
  const { program } = await s.programs.createProgram({ name: 'bench' });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
  await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
  await s.programs.createRole(ctx, { code: 'sales', name: 'Sales' });
  const ACCOUNTS = 200;
  for (let i = 0; i < ACCOUNTS; i++) {
    await s.accounts.createAccount(ctx, { externalId: `C-${i}`, name: `Company ${i}`, type: i % 2 ? 'dealer' : 'installer', segment: i % 3 ? 'residential' : 'commercial' });
    await s.accounts.createMember(ctx, `ext:C-${i}`, { externalId: `E-${i}`, name: `Employee ${i}`, role: 'sales' });
  }
  const rows: Row[] = [];

  // 1. Single-posting ledger transactions vs a TPC-B transaction (pgbench's default script) from Node.
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
  const accountIds = (await s.accounts.listAccounts(program.id, { limit: 500 })).items.map((a) => a.id);
  const postings = await rate(N1, CONCURRENCY, (i) =>
    inTransaction(database, (tx) =>
      s.ledger.credit(tx, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: `b1:${i}`, legs: [{ to: { type: 'account', accountId: accountIds[i % accountIds.length] }, currency: 'points', amount: 10n }] }),
    ),
  );
  rows.push({ workload: 'ledger postings (1 per transaction)', subject: 'ledger.credit', subjectRate: postings, reference: 'TPC-B transaction', referenceRate: tpcb, unit: 'tx/s' });

  // 2. Events through POST /events/batch with 5 active rules vs the same number of plain ledger postings.
  const rulesBody: RuleInput[] = [
    { name: 'points per euro, split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }] },
    { name: 'big order bonus', eventType: 'purchase', condition: { '>': [{ var: 'event.amount' }, 50000] }, effects: [{ currency: 'points', to: 'account', amount: 200 }] },
    { name: 'installer filters', eventType: 'purchase', target: { types: ['installer'] }, effects: [{ currency: 'points', to: 'member', amount: { '*': [{ var: 'line.qty' }, 5] }, perLine: { '==': [{ var: 'line.category' }, 'filters'] } }] },
    { name: 'capped member bonus', eventType: 'purchase', effects: [{ currency: 'points', to: 'member', amount: 50, cap: { per: 'month', scope: 'member', max: 500 } }] },
    { name: 'commercial segment', eventType: 'purchase', target: { segments: ['commercial'] }, effects: [{ currency: 'points', to: 'account', amount: { '*': [{ var: 'event.amount' }, 0.002] } }] },
  ];
  for (const r of rulesBody) await s.rules.create(ctx, r);
  const N2 = Math.round(2000 * SCALE);
  const BATCH = 500;
  // Through the service the route calls: HTTP parsing of a 500-event body is not what is measured here.
  const events2 = await rate(N2 / BATCH, 1, async (b) => {
    const items = Array.from({ length: BATCH }, (_, k) => {
      const i = b * BATCH + k;
      return { id: `EV2-${i}`, type: 'purchase', occurredAt: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(), accountId: `ext:C-${i % ACCOUNTS}`, memberId: `ext:E-${i % ACCOUNTS}`, amount: 1000 + ((i * 7919) % 100000), currency: 'EUR', lines: [{ sku: 'F-1', category: 'filters', qty: 1 + (i % 5), amount: 1000 }] };
    });
    const r = await s.events.processBatch(ctx, items);
    if (r.items.some((x) => x.status !== 'processed')) throw new Error('bench event rejected');
  });
  const plain = await rate(N2, 1, (i) =>
    inTransaction(database, (tx) =>
      s.ledger.credit(tx, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: `b2:${i}`, legs: [{ to: { type: 'account', accountId: accountIds[i % accountIds.length] }, currency: 'points', amount: 10n }] }),
    ),
  );
  rows.push({ workload: 'events with 5 rules (batches of 500)', subject: 'events.processBatch', subjectRate: events2 * BATCH, reference: 'plain ledger postings', referenceRate: plain, unit: 'events/s' });

  const kind = database.kind;
  console.log(`\nFealty benchmarks on ${kind} (scale ${SCALE}, concurrency ${CONCURRENCY})\n`);
  console.log(['workload', 'subject', 'reference', 'ratio'].join(' | '));
  for (const r of rows) {
    console.log(`${r.workload} | ${r.subjectRate.toFixed(0)} ${r.unit} | ${r.reference}: ${r.referenceRate.toFixed(0)} ${r.unit} | ${(r.subjectRate / r.referenceRate).toFixed(2)}`);
  }
  mkdirSync('bench/results', { recursive: true });
  const file = `bench/results/${kind}-latest.json`;
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), db: kind, scale: SCALE, concurrency: CONCURRENCY, node: process.version, rows }, null, 2) + '\n');
  console.log(`\nwritten ${file}`);
  await database.close();
  await drop();
}

await main();
