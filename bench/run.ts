/**
 * The benchmark suite: fixed, seeded workloads, each with a reference measured in the same
 * run on the same database, reported as a ratio. `npm run bench` (PGlite) or
 * `DATABASE_URL=postgres://… npm run bench`. Results: a table on stdout and JSON in bench/results/.
 * The workloads are in bench/workloads/ (index.ts lists them); `BENCH_ONLY=a,b` runs some of them.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { migrateDatabase } from '../src/db/database.js';
import { createServices } from '../src/services.js';
import type { RequestContext } from '../src/lib/context.js';
import { CONCURRENCY, SCALE, openBenchDatabase, seconds, type Row } from './lib.js';
import { WORKLOADS } from './workloads/index.js';

/** Two decimals, or two significant digits below 0.1 (a ratio of 0.003 is not 0.00). */
const ratio = (x: number) => (x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

const ONLY = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : null;
const ACCOUNTS = 200;

async function main() {
  const unknown = ONLY?.filter((n) => !WORKLOADS.some((w) => w.name === n)) ?? [];
  if (unknown.length) throw new Error(`BENCH_ONLY: no workload ${unknown.join(', ')} (there are ${WORKLOADS.map((w) => w.name).join(', ')})`);
  const started = performance.now();
  const { database, databaseUrl, drop } = await openBenchDatabase();
  await migrateDatabase(database);
  const s = createServices(database);
  // The shared program: 200 accounts with one member each.
  const { program, apiKey } = await s.programs.createProgram({ name: 'bench' });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
  await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
  await s.programs.createRole(ctx, { code: 'sales', name: 'Sales' });
  for (let i = 0; i < ACCOUNTS; i++) {
    await s.accounts.createAccount(ctx, { externalId: `C-${i}`, name: `Company ${i}`, type: i % 2 ? 'dealer' : 'installer', segment: i % 3 ? 'residential' : 'commercial' });
    await s.accounts.createMember(ctx, `ext:C-${i}`, { externalId: `E-${i}`, name: `Employee ${i}`, role: 'sales' });
  }
  const rows: Row[] = [];
  const extra: Record<string, unknown> = {};
  const timings: Record<string, number> = {};
  const load: Record<string, number[]> = { start: loadavg() };
  try {
    for (const w of WORKLOADS) {
      if (ONLY && !ONLY.includes(w.name)) continue;
      const t0 = performance.now();
      const r = await w.run({ database, s, ctx, apiKey, accounts: ACCOUNTS, databaseUrl });
      timings[w.name] = Math.round(seconds(t0) * 10) / 10;
      load[w.name] = loadavg();
      rows.push(...r.rows);
      Object.assign(extra, r.detail);
      console.log(`  (${w.name}: ${timings[w.name]} s)`);
    }
  } finally {
    await database.close();
    await drop();
  }

  const kind = database.kind;
  console.log(`\nFealty benchmarks on ${kind} (scale ${SCALE}, concurrency ${CONCURRENCY}, ${seconds(started).toFixed(0)} s, load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})\n`);
  console.log(['workload', 'subject', 'reference', 'ratio'].join(' | '));
  for (const r of rows) {
    const p99 = (ms: number | undefined) => (ms === undefined ? '' : `, p99 ${ms} ms`);
    console.log(`${r.workload} | ${r.subject}: ${r.subjectRate.toFixed(0)} ${r.unit}${p99(r.subjectP99Ms)} | ${r.reference}: ${r.referenceRate.toFixed(0)} ${r.unit}${p99(r.referenceP99Ms)} | ${ratio(r.subjectRate / r.referenceRate)}`);
  }
  mkdirSync('bench/results', { recursive: true });
  // A partial run (BENCH_ONLY) does not overwrite the full suite's latest results.
  const parts = process.env.BENCH_API ? `-${process.env.BENCH_API.split(',').join('-')}` : ''; // some parts of the api workload
  const file = `bench/results/${kind}${ONLY ? `-${ONLY.join('-')}` : ''}${parts}-latest.json`;
  writeFileSync(
    file,
    JSON.stringify({ at: new Date().toISOString(), db: kind, scale: SCALE, concurrency: CONCURRENCY, node: process.version, seconds: Math.round(seconds(started)), secondsPerWorkload: timings, loadAverage: load, rows, ...extra }, null, 2) + '\n',
  );
  console.log(`\nwritten ${file}`);
}

await main();
