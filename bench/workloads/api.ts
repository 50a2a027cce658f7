import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sql } from 'drizzle-orm';
import type { RuleInput } from '../../src/contracts/rules.js';
import { importMapping } from '../../src/contracts/imports.js';
import { migrateDatabase, openDatabase, type Database } from '../../src/db/database.js';
import type { RequestContext } from '../../src/lib/context.js';
import { readOnly } from '../../src/modules/imports/index.js';
import { createServices } from '../../src/services.js';
import { purchase } from '../api-data.js';
import type { BatchResult, CannonResult } from '../api-load.js';
import { child, seconds, startServerProcess, url as benchUrl, type Row, type ServerProcess, type Workload } from '../lib.js';

/**
 * What an integrator gets: HTTP against a real server process (`src/main.ts`, as `npm start`, jobs
 * on) on a fresh database of its own — a scratch PostgreSQL database (DATABASE_URL) or a PGlite data
 * directory — with every query counted (FEALTY_COUNT_QUERIES=on, read on /metrics), and the load
 * generators in another process. Sizes and durations: BENCH_QUICK=1 for a few seconds each,
 * BENCH_HTTP_SECONDS, BENCH_BATCH_CALLS, BENCH_IMPORT_LINES (see docs/performance.md).
 */
const QUICK = process.env.BENCH_QUICK === '1';
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? (QUICK ? 3 : 10));
const ACCOUNTS = 200;
const BATCH_SIZE = 500;
const BATCH_CALLERS = 4;
const BATCH_CALLS = Number(process.env.BENCH_BATCH_CALLS ?? (QUICK ? 4 : 40));
const IMPORT_LINES = Number(process.env.BENCH_IMPORT_LINES ?? (QUICK ? 2_000 : 1_000_000));
const SEQUENTIAL = QUICK ? 50 : 200; // requests sent one at a time to count statements
/** BENCH_API=adjust,batch,reads,import: some parts only (default all). */
const PARTS = (process.env.BENCH_API ?? 'adjust,batch,reads,import').split(',');
const API_KEY = 'fealty_bench_api_key_0123456789abcdef';

const rules: RuleInput[] = [
  { name: 'points per euro, split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }] },
  { name: 'big order bonus', eventType: 'purchase', condition: { '>': [{ var: 'event.amount' }, 50000] }, effects: [{ currency: 'points', to: 'account', amount: 200 }] },
  { name: 'installer filters', eventType: 'purchase', target: { types: ['installer'] }, effects: [{ currency: 'points', to: 'member', amount: { '*': [{ var: 'line.qty' }, 5] }, perLine: { '==': [{ var: 'line.category' }, 'filters'] } }] },
  { name: 'capped member bonus', eventType: 'purchase', effects: [{ currency: 'points', to: 'member', amount: 50, cap: { per: 'month', scope: 'member', max: 500 } }] },
  { name: 'commercial segment', eventType: 'purchase', target: { segments: ['commercial'] }, effects: [{ currency: 'points', to: 'account', amount: { '*': [{ var: 'event.amount' }, 0.002] } }] },
];

type Target = { env: Record<string, string>; open: (poolSize?: number) => Promise<Database>; drop: () => Promise<void>; kind: 'postgres' | 'pglite'; url?: string };

/** A fresh database for the server process: `fealty_bench_api_<pid>` next to the bench's, or a PGlite data directory. */
async function freshTarget(): Promise<Target> {
  if (!benchUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'fealty-bench-api-'));
    return { kind: 'pglite', env: { DATA_DIR: dir }, open: () => openDatabase({ dataDir: dir }), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `fealty_bench_api_${process.pid}`;
  const admin = new pg.Client({ connectionString: benchUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const u = new URL(benchUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  return {
    kind: 'postgres',
    url,
    env: { DATABASE_URL: url },
    open: (poolSize = 6) => openDatabase({ databaseUrl: url, dataDir: '', poolSize }),
    drop: async () => {
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.end();
    },
  };
}

/** The program the server will find: its API key, 200 accounts `A-<i>` with a member `M-<i>` each, 5 rules, two tiers and an accumulative table. */
async function seed(database: Database): Promise<void> {
  await migrateDatabase(database);
  const s = createServices(database);
  const { program } = await s.programs.createProgram({ name: 'bench api', apiKey: API_KEY });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
  await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
  await s.programs.createRole(ctx, { code: 'sales', name: 'Sales' });
  for (let i = 0; i < ACCOUNTS; i++) {
    await s.accounts.createAccount(ctx, { externalId: `A-${i}`, name: `Company ${i}`, type: i % 2 ? 'dealer' : 'installer', segment: i % 3 ? 'residential' : 'commercial' });
    await s.accounts.createMember(ctx, `ext:A-${i}`, { externalId: `M-${i}`, name: `Employee ${i}`, role: 'sales' });
  }
  for (const r of rules) await s.rules.create(ctx, r);
  await s.tiers.createTier(ctx, { code: 'silver', name: 'Silver', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 50000 }, benefits: { discountPercent: 3, multiplier: 1.25 } });
  await s.tiers.createTier(ctx, { code: 'gold', name: 'Gold', rank: 2, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 200000 }, benefits: { discountPercent: 7.5, multiplier: 1.5 } });
  await s.tiers.putAccumulative(ctx, { steps: [{ minSpend: 20000, discountPercent: 2 }, { minSpend: 400000, discountPercent: 8 }] });
  // One purchase per account, so that every account has its tier state and wallets before any part runs.
  const r = await s.events.processBatch(ctx, Array.from({ length: ACCOUNTS }, (_, i) => purchase('SEED', i, ACCOUNTS)));
  if (r.items.some((x) => x.status !== 'processed')) throw new Error('bench api: a seed event was rejected');
}

/** Statements sent by the server process so far (FEALTY_COUNT_QUERIES=on). */
async function queries(server: ServerProcess): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = /^fealty_db_queries_total (\d+)/m.exec(text);
  if (!m) throw new Error('the server does not count its queries (fealty_db_queries_total missing on /metrics)');
  return Number(m[1]);
}

/**
 * Statements per request: `n` requests sent one after another on an otherwise idle server, the
 * server's statement count before and after (the jobs scheduler may add one now and then).
 */
async function perRequest(server: ServerProcess, n: number, send: (i: number) => Promise<Response>): Promise<number> {
  const q0 = await queries(server);
  for (let i = 0; i < n; i++) {
    const res = await send(i);
    if (res.status >= 300) throw new Error(`${res.url} answered ${res.status}: ${await res.text()}`);
    await res.arrayBuffer();
  }
  return Math.round((((await queries(server)) - q0) / n) * 10) / 10;
}

function pgbenchPath(): string | null {
  if (spawnSync('pgbench', ['--version']).status === 0) return 'pgbench';
  for (const v of existsSync('/usr/lib/postgresql') ? readdirSync('/usr/lib/postgresql').sort().reverse() : []) {
    const p = `/usr/lib/postgresql/${v}/bin/pgbench`;
    if (existsSync(p)) return p;
  }
  return null;
}

/** pgbench's built-in tpcb-like script at 8 clients on a scratch database of its own (scale 8: a branch per client). */
async function pgbench(): Promise<{ tps: number; latencyMs: number; scale: number } | string> {
  const bin = pgbenchPath();
  if (!benchUrl) return 'skipped: needs PostgreSQL';
  if (!bin) return 'skipped: pgbench not installed';
  const scale = Number(process.env.BENCH_PGBENCH_SCALE ?? 8);
  const name = `fealty_pgbench_${process.pid}`;
  const admin = new pg.Client({ connectionString: benchUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  const u = new URL(benchUrl);
  const env = { ...process.env, PGHOST: u.hostname, PGPORT: u.port || '5432', PGUSER: decodeURIComponent(u.username || 'postgres'), PGPASSWORD: decodeURIComponent(u.password), PGDATABASE: name };
  const run = (args: string[]) =>
    new Promise<string>((resolve, reject) => {
      const p = spawn(bin, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (out += d.toString()));
      p.on('error', reject);
      p.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`pgbench ${args.join(' ')} exited with ${code}: ${out}`))));
    });
  try {
    await run(['-i', '-q', '-s', String(scale)]);
    const out = await run(['-b', 'tpcb-like', '-c', '8', '-j', '2', '-T', String(SECONDS)]);
    const tps = /tps = ([\d.]+) \(without initial connection time\)/.exec(out);
    const lat = /latency average = ([\d.]+) ms/.exec(out);
    if (!tps) throw new Error(`pgbench: no tps in ${out}`);
    return { tps: Number(tps[1]), latencyMs: lat ? Number(lat[1]) : NaN, scale };
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}

/** The reference of the batch workload: the same purchases as raw multi-row INSERTs (500 rows each, 4 in flight) into a copy of the events table. */
async function rawInsert(database: Database, run: string, n: number): Promise<number> {
  const db = database.db;
  const program = String((await db.execute(sql`select id from programs limit 1`)).rows[0].id);
  const accountId = new Map<string, string>();
  const memberId = new Map<string, string>();
  for (const r of (await db.execute(sql`select id, external_id from accounts where program_id = ${program}`)).rows) accountId.set(`ext:${String(r.external_id)}`, String(r.id));
  for (const r of (await db.execute(sql`select id, external_id from members where program_id = ${program}`)).rows) memberId.set(`ext:${String(r.external_id)}`, String(r.id));
  await db.execute(sql`create table bench_events (like events including all)`);
  let next = 0;
  const calls = Math.ceil(n / BATCH_SIZE);
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: database.kind === 'postgres' ? BATCH_CALLERS : 1 }, async () => {
      for (let c = next++; c < calls; c = next++) {
        const values = Array.from({ length: BATCH_SIZE }, (_, k) => {
          const e = purchase(run, c * BATCH_SIZE + k, ACCOUNTS);
          return sql`(${program}, ${e.id}, ${e.type}, ${e.occurredAt}, ${accountId.get(e.accountId)}, ${memberId.get(e.memberId)}, ${e.amount}, ${e.currency}, ${JSON.stringify(e)}::jsonb, '', '{}'::jsonb, '[]'::jsonb)`;
        });
        await db.execute(sql`
          insert into bench_events (program_id, id, type, occurred_at, account_id, member_id, amount, currency, payload, request_hash, answer, trace)
          values ${sql.join(values, sql`, `)}`);
      }
    }),
  );
  const rate = (calls * BATCH_SIZE) / seconds(t0);
  await db.execute(sql`drop table bench_events`);
  return rate;
}

/** An ERP export of invoice lines (semicolons, decimal commas, DD.MM.YYYY, Cyrillic headers, two lines per invoice) and its mapping. */
function importFiles(dir: string, n: number): { file: string; mapping: string; content: Buffer } {
  const lines = ['Номер;Дата;Клиент;Артикул;Количество;Сумма'];
  for (let i = 0; i < n; i++) {
    const inv = Math.floor(i / 2);
    lines.push(`INV-${inv};${String(1 + (inv % 28)).padStart(2, '0')}.10.2026;A-${inv % ACCOUNTS};SKU-${i % 50};${1 + (i % 4)};${1 + ((i * 7919) % 2000)} ${String(i % 1000).padStart(3, '0')},${String(i % 100).padStart(2, '0')}`);
  }
  const content = Buffer.from(lines.join('\r\n') + '\r\n');
  const file = join(dir, 'invoices.csv');
  writeFileSync(file, content);
  const mapping = join(dir, 'mapping.json');
  writeFileSync(
    mapping,
    JSON.stringify({
      fields: {
        id: 'Номер',
        type: { value: 'purchase' },
        occurredAt: { column: 'Дата', format: 'DD.MM.YYYY' },
        accountId: { column: 'Клиент', prefix: 'ext:' },
        'lines.sku': 'Артикул',
        'lines.qty': 'Количество',
        'lines.amount': { column: 'Сумма', scale: 2 },
        currency: { value: 'EUR' },
      },
    }),
  );
  return { file, mapping, content };
}

/** `fealty import events` as a process of its own (bin/fealty.mjs): wall time, and its peak RSS from /proc (VmHWM, sampled). */
function cliImport(env: Record<string, string>, file: string, mapping: string): Promise<{ seconds: number; peakRssMb: number; report: { progress: { processed: number; rejected: number; duplicates: number } } }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const t0 = performance.now();
    const p = spawn(process.execPath, ['bin/fealty.mjs', 'import', 'events', file, '--mapping', mapping, '--json'], { env: { ...inherited, LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    let peakKb = 0;
    const sample = () => {
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${p.pid}/status`, 'utf8'));
        if (m) peakKb = Math.max(peakKb, Number(m[1]));
      } catch {
        // gone, or no /proc
      }
    };
    const timer = setInterval(sample, 100);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      sample();
    });
    p.on('error', reject);
    p.on('close', (code) => {
      clearInterval(timer);
      if (code !== 0 && code !== 4) return reject(new Error(`fealty import exited with ${code}: ${out}`));
      resolve({ seconds: seconds(t0), peakRssMb: Math.round(peakKb / 1024), report: JSON.parse(out) });
    });
  });
}

const load = <T>(cfg: Record<string, unknown>) => child<T>('bench/api-load.ts', { apiKey: API_KEY, ...cfg });

function checked(what: string, r: CannonResult): CannonResult {
  if (r.non2xx || r.errors || !r.total) throw new Error(`${what}: ${r.non2xx} non-2xx answers, ${r.errors} errors of ${r.total}`);
  return r;
}

export const apiWorkload: Workload = {
  name: 'api',
  async run() {
    const target = await freshTarget();
    const rows: Row[] = [];
    const detail: Record<string, unknown> = { seconds: SECONDS, quick: QUICK, parts: PARTS };
    const statements: Record<string, number> = {};
    const run = `R${Date.now().toString(36)}`;
    const has = (part: string) => PARTS.includes(part);
    let batch: BatchResult | undefined;
    try {
      const setup = await target.open();
      try {
        await seed(setup);
      } finally {
        await setup.close();
      }
      const server = await startServerProcess({ ...target.env, FEALTY_JOBS: 'on', FEALTY_COUNT_QUERIES: 'on' });
      try {
        const accounts = Array.from({ length: ACCOUNTS }, (_, i) => `ext:A-${i}`);
        const headers = { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' };
        const get = (path: string) => fetch(`${server.url}${path}`, { headers: { authorization: headers.authorization } });
        const post = (path: string, body: unknown, extra: Record<string, string> = {}) => fetch(`${server.url}${path}`, { method: 'POST', headers: { ...headers, ...extra }, body: JSON.stringify(body) });

        // Statements per request, one request at a time (this also warms up the JIT, pools and key cache).
        statements.adjustment = await perRequest(server, SEQUENTIAL, (i) => post('/api/v1/adjustments', { accountId: accounts[i % ACCOUNTS], currency: 'points', amount: 5, reason: 'bench' }, { 'idempotency-key': `${run}-seq-${i}` }));
        statements.event = await perRequest(server, SEQUENTIAL, (i) => post('/api/v1/events', purchase(`${run}-single`, i, ACCOUNTS)));
        statements.discount = await perRequest(server, SEQUENTIAL, (i) => get(`/api/v1/accounts/${accounts[i % ACCOUNTS]}/discount`));
        statements.wallets = await perRequest(server, SEQUENTIAL, (i) => get(`/api/v1/members/ext:M-${i % ACCOUNTS}/wallets`));
        statements.health = await perRequest(server, SEQUENTIAL, () => get('/health'));
        detail.statementsPerRequest = statements;

        if (has('adjust')) {
          // (a) adjustments, 8 clients, a new Idempotency-Key each, vs pgbench tpcb-like at 8 clients.
          const adjust = checked('adjustments', await load<CannonResult>({ mode: 'adjust', url: server.url, accounts, connections: 8, durationSeconds: SECONDS, run }));
          const bench = await pgbench();
          const health8 = checked('health', await load<CannonResult>({ mode: 'get', url: server.url, paths: ['/health'], connections: 8, durationSeconds: SECONDS, auth: false }));
          const ref = typeof bench === 'string' ? { name: `GET /health, 8 clients (pgbench ${bench})`, rate: health8.rps } : { name: `pgbench tpcb-like, 8 clients (scale ${bench.scale}, latency avg ${bench.latencyMs} ms)`, rate: bench.tps };
          rows.push({ workload: 'HTTP POST /adjustments (8 clients, 200 accounts)', subject: `POST /adjustments (p50 ${adjust.p50} ms, ${statements.adjustment} statements/request)`, subjectRate: adjust.rps, subjectP99Ms: adjust.p99, reference: ref.name, referenceRate: ref.rate, unit: 'req/s' });
          detail.adjustments = { ...adjust, pgbench: bench, health8 };
        }

        if (has('batch')) {
          // (b) batches of 500 purchases, 4 callers in flight.
          batch = await load<BatchResult>({ mode: 'batch', url: server.url, accounts: ACCOUNTS, callers: BATCH_CALLERS, calls: BATCH_CALLS, size: BATCH_SIZE, run: `${run}-batch` });
          detail.batch = batch;
        }

        if (has('reads')) {
          // (d) the checkout discount and the wallets, 32 clients, vs GET /health at 32 clients.
          const health = checked('health', await load<CannonResult>({ mode: 'get', url: server.url, paths: ['/health'], connections: 32, durationSeconds: SECONDS, auth: false }));
          const discount = checked('discount', await load<CannonResult>({ mode: 'get', url: server.url, paths: accounts.map((a) => `/api/v1/accounts/${a}/discount`), connections: 32, durationSeconds: SECONDS, auth: true }));
          const wallets = checked('wallets', await load<CannonResult>({ mode: 'get', url: server.url, paths: accounts.map((_, i) => `/api/v1/members/ext:M-${i}/wallets`), connections: 32, durationSeconds: SECONDS, auth: true }));
          const h = `GET /health, 32 clients (p50 ${health.p50} ms)`;
          rows.push({ workload: 'HTTP GET /accounts/:id/discount (32 clients)', subject: `discount (p50 ${discount.p50} ms, ${statements.discount} statements/request)`, subjectRate: discount.rps, subjectP99Ms: discount.p99, reference: h, referenceRate: health.rps, referenceP99Ms: health.p99, unit: 'req/s' });
          rows.push({ workload: 'HTTP GET /members/:id/wallets (32 clients)', subject: `wallets (p50 ${wallets.p50} ms, ${statements.wallets} statements/request)`, subjectRate: wallets.rps, subjectP99Ms: wallets.p99, reference: h, referenceRate: health.rps, referenceP99Ms: health.p99, unit: 'req/s' });
          detail.discount = discount;
          detail.wallets = wallets;
          detail.health32 = health;
        }
      } finally {
        await server.stop();
      }

      if (batch) {
        // (b)'s reference, on the same database once the server is gone (PGlite is one process's).
        const db = await target.open(BATCH_CALLERS + 1);
        let insertRate: number;
        try {
          insertRate = await rawInsert(db, `${run}-raw`, batch.sent);
        } finally {
          await db.close();
        }
        rows.push({ workload: `HTTP POST /events/batch (${BATCH_SIZE} purchases a call, ${BATCH_CALLERS} callers, 5 rules)`, subject: `events/batch: ${batch.processed} of ${batch.sent} processed, ${batch.failed} failed (call p99 ${batch.p99} ms, ${statements.event} statements per single event)`, subjectRate: batch.processed / batch.seconds, reference: `raw INSERT, ${BATCH_SIZE} rows a statement`, referenceRate: insertRate, unit: 'events/s' });
        detail.batchReference = { insertRowsPerSecond: insertRate };
      }

      if (has('import')) {
        // (c) `fealty import events` of invoice lines, a process of its own, against read/map/validate only.
        const dir = mkdtempSync(join(tmpdir(), 'fealty-bench-import-'));
        try {
          const { file, mapping, content } = importFiles(dir, IMPORT_LINES);
          const t0 = performance.now();
          const read = await readOnly('events', content, importMapping.parse(JSON.parse(readFileSync(mapping, 'utf8'))), 'UTC');
          const readRate = read.rows / seconds(t0);
          const cli = await cliImport(target.env, file, mapping);
          const p = cli.report.progress;
          rows.push({ workload: `fealty import events (${IMPORT_LINES} invoice lines)`, subject: `CLI process: ${p.processed} processed, ${p.rejected} rejected, peak RSS ${cli.peakRssMb} MB`, subjectRate: IMPORT_LINES / cli.seconds, reference: 'read, map and validate only (in process)', referenceRate: readRate, unit: 'rows/s' });
          detail.import = { lines: IMPORT_LINES, bytes: content.length, seconds: cli.seconds, peakRssMb: cli.peakRssMb, progress: p };
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
    } finally {
      await target.drop();
    }
    console.log(`\nHTTP against a server process (${target.kind}), statements per request: ${Object.entries(statements).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    return { rows, detail: { api: detail } };
  },
};
