import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';

/** What a `fealty` child process answered. */
export type CliRun = { code: number; stdout: string; stderr: string };

export type CliHarness = {
  /** The repository root (the child's working directory) and bin/fealty.mjs. */
  root: string;
  bin: string;
  /** The temporary folder of this test file; removed by `tearDown`. */
  dir: string;
  /** The CLI's DATA_DIR (PGlite), inside `dir`. */
  dataDir: string;
  /** With DATABASE_URL: the scratch database of this test file and its URL; else '' (PGlite). */
  scratch: string;
  databaseUrl: string;
  /** The environment the child runs with. */
  env: NodeJS.ProcessEnv;
  /** Runs `fealty <args>` as an operator would (a child process through bin/fealty.mjs); never rejects. */
  run(args: string[], extraEnv?: Record<string, string>): Promise<CliRun>;
  /** Opens the CLI's database in this process; with PGlite no command can run until it is closed. */
  withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  /** A client on the PostgreSQL server of DATABASE_URL (only with DATABASE_URL). */
  admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T>;
  /** Creates the scratch database (with DATABASE_URL); call in beforeAll. */
  setUp(): Promise<void>;
  /** Drops the scratch database and removes `dir`; call in afterAll. */
  tearDown(): Promise<void>;
};

/**
 * The real command on a fresh data dir, or with DATABASE_URL a scratch PostgreSQL database of its
 * own (`fealty_<name>_<pid>`), for the tests that run the CLI as a child process.
 */
export function cliHarness(
  name: string,
  opts: { timeout: number; maxBuffer?: number; poolSize?: number; dataSubdir?: string },
): CliHarness {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const bin = join(root, 'bin', 'fealty.mjs');
  const adminUrl = process.env.DATABASE_URL;
  const scratch = `fealty_${name}_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), `fealty-${name}-`));
  const dataDir = opts.dataSubdir ? join(dir, opts.dataSubdir) : dir;
  const databaseUrl = adminUrl ? Object.assign(new URL(adminUrl), { pathname: `/${scratch}` }).toString() : '';
  const env = { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' };

  const run = (args: string[], extraEnv: Record<string, string> = {}) =>
    new Promise<CliRun>((resolve) => {
      const options = { cwd: root, env: { ...env, ...extraEnv }, timeout: opts.timeout, ...(opts.maxBuffer ? { maxBuffer: opts.maxBuffer } : {}) };
      execFile(process.execPath, [bin, ...args], options, (err, stdout, stderr) => {
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr });
      });
    });

  async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
    const database = await openDatabase({ databaseUrl: databaseUrl || undefined, dataDir, poolSize: opts.poolSize ?? 1 });
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  }

  async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  return {
    root,
    bin,
    dir,
    dataDir,
    scratch,
    databaseUrl,
    env,
    run,
    withDatabase,
    admin,
    async setUp() {
      if (adminUrl) await admin((c) => c.query(`create database ${scratch}`));
    },
    async tearDown() {
      if (adminUrl) await admin((c) => c.query(`drop database if exists ${scratch} with (force)`));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
