/**
 * What the workloads share: the run's settings, the scratch database, rates, and the HTTP load
 * generator. A workload is a `Workload` (bench/workloads/index.ts lists them in run order).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import pg from 'pg';
import { wrap, type Database } from '../src/db/database.js';
import { openPglite, openPostgres } from '../src/db/pool.js';
import type { createServices } from '../src/services.js';
import type { RequestContext } from '../src/lib/context.js';

export type Services = ReturnType<typeof createServices>;

/** One line of the results table: the subject, its reference measured in the same run, and their ratio. */
export type Row = { workload: string; subject: string; subjectRate: number; reference: string; referenceRate: number; unit: string; subjectP99Ms?: number; referenceP99Ms?: number };

/** What every workload gets: the migrated scratch database, services on it, and the shared program. */
export type BenchContext = {
  database: Database;
  s: Services;
  /** The shared program: `ACCOUNTS` accounts `C-<i>` with one member `E-<i>` each, a `points` currency. */
  ctx: RequestContext;
  apiKey: string;
  accounts: number;
  /** The scratch database's URL (PostgreSQL only): what spawned servers connect to. */
  databaseUrl?: string;
};

export type WorkloadResult = { rows: Row[]; detail?: Record<string, unknown> };

export type Workload = {
  /** The `BENCH_ONLY` name. */
  name: string;
  run(b: BenchContext): Promise<WorkloadResult>;
};

export const SCALE = Number(process.env.BENCH_SCALE ?? 1);
export const url = process.env.DATABASE_URL;
export const CONCURRENCY = url ? 8 : 1; // PGlite is one connection: concurrency would only queue
export const HTTP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);

export async function openBenchDatabase(): Promise<{ database: Database; databaseUrl?: string; drop: () => Promise<void> }> {
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
    databaseUrl: u.toString(),
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
export async function rate(n: number, c: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: c }, async () => {
      for (let i = next++; i < n; i = next++) await job(i);
    }),
  );
  return n / ((performance.now() - t0) / 1000);
}

export const seconds = (t0: number) => (performance.now() - t0) / 1000;

export type LoadResult = { rps: number; p50: number; p99: number; total: number; non2xx: number; errors: number };

/** autocannon in a child process (bench/http-load.ts) against a listening server: 32 connections, GET, rotating over `paths`. */
export function load(base: string, paths: string[], headers: Record<string, string>): Promise<LoadResult> {
  const cfg = { url: base, paths, headers, connections: 32, durationSeconds: HTTP_SECONDS };
  return child<LoadResult>('bench/http-load.ts', cfg);
}

/** Runs a bench script in its own Node process (its own core for the load generator); its stdout is the JSON answer. */
export function child<T>(script: string, cfg: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', script, JSON.stringify(cfg)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(JSON.parse(out) as T) : reject(new Error(`${script} exited with ${code}`))));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export type ServerProcess = { url: string; proc: ChildProcess; stop: () => Promise<void> };

/**
 * A real server process (`node --import tsx src/main.ts`, as `npm start`), ready when /health
 * answers: no demo, no web app, warnings only; `env` adds the database (DATABASE_URL or
 * DATA_DIR) and anything else. The bench's own DATABASE_URL is not passed on unless given.
 */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...inherited, PORT: String(port), HOST: '127.0.0.1', FEALTY_DEMO: 'off', FEALTY_WEB: 'off', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`server on port ${port} exited with ${proc.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error(`server on port ${port} did not start in 60 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    proc,
    stop: async () => {
      if (proc.exitCode !== null) return;
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

