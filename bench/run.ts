/**
 * The benchmark suite: fixed, seeded workloads, each with a reference measured in the same
 * run on the same database, reported as a ratio. `npm run bench` (PGlite) or
 * `DATABASE_URL=postgres://… npm run bench`. Results: a table on stdout and JSON in bench/results/.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import { inTransaction, migrateDatabase, wrap, type Database } from '../src/db/database.js';
import { openPglite, openPostgres } from '../src/db/pool.js';
import { buildApp } from '../src/http/app.js';
import { createTiersService } from '../src/modules/tiers/index.js';
import { createServices } from '../src/services.js';
import type { RequestContext } from '../src/lib/context.js';
import type { RuleInput } from '../src/contracts/rules.js';

type Row = { workload: string; subject: string; subjectRate: number; reference: string; referenceRate: number; unit: string; subjectP99Ms?: number; referenceP99Ms?: number };

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const url = process.env.DATABASE_URL;
const CONCURRENCY = url ? 8 : 1; // PGlite is one connection: concurrency would only queue
/** `BENCH_ONLY=tiers` (or `ledger,events,checkout,tiers`) runs only those workloads. */
const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const runs = (workload: string) => !ONLY || ONLY.includes(workload);
const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);

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
      // pool.end() resolves before the server has seen every client go: forcing the drop then
      // would kill a closing connection, whose error nobody listens to any more.
      for (let i = 0; i < 50; i++) {
        const { rows } = await admin.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
        if (rows[0].n === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
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
  const { program, apiKey } = await s.programs.createProgram({ name: 'bench' });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
  await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
  await s.programs.createRole(ctx, { code: 'sales', name: 'Sales' });
  const ACCOUNTS = 200;
  for (let i = 0; i < ACCOUNTS; i++) {
    await s.accounts.createAccount(ctx, { externalId: `C-${i}`, name: `Company ${i}`, type: i % 2 ? 'dealer' : 'installer', segment: i % 3 ? 'residential' : 'commercial' });
    await s.accounts.createMember(ctx, `ext:C-${i}`, { externalId: `E-${i}`, name: `Employee ${i}`, role: 'sales' });
  }
  const rows: Row[] = [];
  const extra: Record<string, unknown> = {};

  if (runs('ledger')) {
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
  }

  if (runs('events')) {
    // 2. Events through POST /events/batch with 5 active rules vs the same number of plain ledger postings.
    const accountIds = (await s.accounts.listAccounts(program.id, { limit: 500 })).items.map((a) => a.id);
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
  }

  if (runs('checkout')) rows.push(await checkoutWorkload(database, s, ctx, apiKey, ACCOUNTS));
  if (runs('tiers')) {
    const r = await reevaluationWorkload(database, s);
    rows.push(r.row);
    extra.reevaluation = r.detail;
  }

  const kind = database.kind;
  console.log(`\nFealty benchmarks on ${kind} (scale ${SCALE}, concurrency ${CONCURRENCY})\n`);
  console.log(['workload', 'subject', 'reference', 'ratio'].join(' | '));
  for (const r of rows) {
    const p99 = (ms: number | undefined) => (ms === undefined ? '' : `, p99 ${ms} ms`);
    console.log(`${r.workload} | ${r.subjectRate.toFixed(0)} ${r.unit}${p99(r.subjectP99Ms)} | ${r.reference}: ${r.referenceRate.toFixed(0)} ${r.unit}${p99(r.referenceP99Ms)} | ${(r.subjectRate / r.referenceRate).toFixed(2)}`);
  }
  mkdirSync('bench/results', { recursive: true });
  // A partial run (BENCH_ONLY) does not overwrite the full suite's latest results.
  const file = `bench/results/${kind}${ONLY ? `-${ONLY.join('-')}` : ''}-latest.json`;
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), db: kind, scale: SCALE, concurrency: CONCURRENCY, node: process.version, rows, ...extra }, null, 2) + '\n');
  console.log(`\nwritten ${file}`);
  await database.close();
  await drop();
}

type LoadResult = { rps: number; p50: number; p99: number; total: number; non2xx: number; errors: number };

/** autocannon in a child process (bench/http-load.ts) against the listening server. */
function load(base: string, paths: string[], headers: Record<string, string>): Promise<LoadResult> {
  const cfg = { url: base, paths, headers, connections: 32, durationSeconds: HTTP_SECONDS };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/http-load.ts', JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as LoadResult) : reject(new Error(`http-load exited with ${code}`))));
  });
}

/**
 * 3. The checkout path: `GET /accounts/:id/discount` over HTTP from 32 concurrent clients on a
 * real listening server, against `GET /health` (one `select 1`) on the same server.
 */
async function checkoutWorkload(database: Database, s: ReturnType<typeof createServices>, ctx: RequestContext, apiKey: string, accounts: number): Promise<Row> {
  await s.tiers.createTier(ctx, { code: 'silver', name: 'Silver', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 50000 }, benefits: { discountPercent: 3, multiplier: 1.25 } });
  await s.tiers.createTier(ctx, { code: 'gold', name: 'Gold', rank: 2, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 200000 }, benefits: { discountPercent: 7.5, multiplier: 1.5 } });
  await s.tiers.putAccumulative(ctx, { steps: [{ minSpend: 20000, discountPercent: 2 }, { minSpend: 400000, discountPercent: 8 }] });
  // One purchase per account, so that every account has the state row the checkout reads.
  const r = await s.events.processBatch(ctx, Array.from({ length: accounts }, (_, i) => ({ id: `EV3-${i}`, type: 'purchase', occurredAt: new Date().toISOString(), accountId: `ext:C-${i}`, amount: 1000 * (i + 1), currency: 'EUR' })));
  if (r.items.some((x) => x.status !== 'processed')) throw new Error('bench event rejected');
  const app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 1024 * 1024, dbKind: database.kind }, services: s, logger: false });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const health = await load(base, ['/health'], {});
    const discount = await load(base, Array.from({ length: accounts }, (_, i) => `/api/v1/accounts/ext:C-${i}/discount`), { authorization: `Bearer ${apiKey}` });
    if (health.non2xx || discount.non2xx || health.errors || discount.errors) throw new Error(`HTTP load had failures: ${JSON.stringify({ health, discount })}`);
    return { workload: 'checkout discount over HTTP (32 clients)', subject: 'GET /accounts/:id/discount', subjectRate: discount.rps, reference: 'GET /health', referenceRate: health.rps, unit: 'req/s', subjectP99Ms: discount.p99, referenceP99Ms: health.p99 };
  } finally {
    await app.close();
  }
}

/**
 * 4. The tier evaluation job over many accounts: 10,000 accounts and 100,000 purchases per unit of
 * BENCH_SCALE (BENCH_SCALE=10: 100,000 and 1,000,000), generated with SQL, spread over two years.
 * Four runs: the first promotes, three months later windows have moved (grace periods start),
 * after the grace the downgrades, then a run that finds nothing to do. The series runs twice: the
 * job alone (no webhook publisher), then as the server runs it, each change also written to the
 * webhook outbox. The reference is one aggregate over the same buckets (the least any evaluation reads).
 */
async function reevaluationWorkload(database: Database, s: ReturnType<typeof createServices>): Promise<{ row: Row; detail: Record<string, unknown> }> {
  const accounts = Math.round(10_000 * SCALE);
  const events = Math.round(100_000 * SCALE);
  const { program } = await s.programs.createProgram({ name: 'bench tiers' });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
  const ladder = [
    ['silver', 1, 150000, 3],
    ['gold', 2, 300000, 6],
    ['platinum', 3, 600000, 10],
  ] as const;
  for (const [code, rank, min, discountPercent] of ladder) {
    await s.tiers.createTier(ctx, { code, name: code, rank, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min }, benefits: { discountPercent }, graceDays: 30 });
  }
  const p = program.id;
  const t0 = performance.now();
  const db = database.db;
  await db.execute(sql`
    insert into accounts (id, program_id, external_id, name, type)
    select 'bacc_' || lpad(g::text, 7, '0'), ${p}, 'B-' || g, 'Company ' || g, case when g % 3 = 0 then 'installer' else 'dealer' end
    from generate_series(1, ${accounts}::int) g`);
  // Deterministic spread: each purchase to a pseudo-random account at a pseudo-random second of the two years before July 2026.
  await db.execute(sql`
    insert into events (program_id, id, type, occurred_at, account_id, amount, currency, payload, request_hash, answer, trace)
    select ${p}, 'BE-' || g, 'purchase',
      timestamptz '2026-06-30 23:59:59+00' - make_interval(secs => ((g::bigint * 2654435761) % 63072000)::double precision),
      'bacc_' || lpad((1 + (g::bigint * 7919) % ${accounts}::int)::text, 7, '0'),
      1000 + (g::bigint * 104729) % 99000, 'EUR', '{}'::jsonb, '', '{}'::jsonb, '[]'::jsonb
    from generate_series(1, ${events}::int) g`);
  // What the write path keeps per account and month, and the state row of each account.
  await db.execute(sql`
    insert into tier_metric_buckets (program_id, account_id, month, spend, units, points)
    select program_id, account_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM'), sum(amount), count(*), sum(amount / 100)
    from events where program_id = ${p} group by 1, 2, 3`);
  await db.execute(sql`
    insert into account_tier_state (account_id, program_id, external_id, account_type, lifetime_spend)
    select a.id, a.program_id, a.external_id, a.type, coalesce((select sum(b.spend) from tier_metric_buckets b where b.account_id = a.id), 0)
    from accounts a where a.program_id = ${p}`);
  await db.execute(sql`analyze`);
  const loadSeconds = (performance.now() - t0) / 1000;

  const series = async (tiers: { reevaluate: typeof s.tiers.reevaluate }) => {
    const out = [];
    for (const at of ['2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z', '2026-11-15T00:00:00Z', '2026-11-15T00:00:00Z']) {
      const start = performance.now();
      const r = await tiers.reevaluate(new Date(at), { programId: p });
      out.push({ at, seconds: (performance.now() - start) / 1000, ...r });
    }
    return out;
  };
  const alone = await series(createTiersService(database, { audit: s.audit, programs: s.programs }));
  // Back to no tier, so that the second series makes the same changes.
  await db.execute(sql`update account_tier_state set tier_code = null, tier_since = null, below_since = null, tier_discount_bp = 0, version = version + 1 where program_id = ${p}`);
  await db.execute(sql`delete from tier_changes where program_id = ${p}`);
  const withOutbox = await series(s.tiers);
  const refStart = performance.now();
  await db.execute(sql`select account_id, sum(spend) from tier_metric_buckets where program_id = ${p} group by account_id`);
  const refSeconds = (performance.now() - refStart) / 1000;
  const slowest = Math.max(...alone.map((r) => r.seconds));
  const detail = { accounts, events, loadSeconds, runs: alone, runsWithWebhookOutbox: withOutbox, referenceSeconds: refSeconds };
  console.log(`\ntier re-evaluation of ${accounts} accounts, ${events} events (data generated in ${loadSeconds.toFixed(1)} s), job alone | with the webhook outbox:`);
  alone.forEach((r, i) => console.log(`  at ${r.at}: ${r.seconds.toFixed(2)} s | ${withOutbox[i].seconds.toFixed(2)} s — promoted ${r.promoted}, grace started ${r.graceStarted}, downgraded ${r.downgraded}`));
  return {
    row: { workload: `tier re-evaluation, ${accounts} accounts (slowest of 4 runs)`, subject: 'tiers.reevaluate', subjectRate: accounts / slowest, reference: 'one aggregate over the buckets', referenceRate: accounts / refSeconds, unit: 'accounts/s' },
    detail,
  };
}

await main();
