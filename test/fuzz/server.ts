import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { loadConfig } from '../../src/config.js';
import { startServer, type Server } from '../../src/server.js';

/**
 * A real Fealty server for the fuzzer, on a free port of 127.0.0.1: PGlite in a temporary data
 * directory, or, when DATABASE_URL is set, a database of its own created on that server and dropped
 * afterwards. Rate limits are off (the fuzzer would only meet 429s), jobs are off (nothing is ever
 * delivered to the addresses it invents), and the test endpoints are on so that a member can sign in.
 */
export type FuzzServer = { server: Server; url: string; kind: 'pglite' | 'postgres'; stop(): Promise<void> };

export async function startFuzzServer(): Promise<FuzzServer> {
  const dir = mkdtempSync(join(tmpdir(), 'fealty-fuzz-'));
  const base = process.env.DATABASE_URL;
  let dbUrl: string | undefined;
  let dropDb: (() => Promise<void>) | undefined;
  if (base) {
    const name = `fealty_fuzz_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(base);
    u.pathname = `/${name}`;
    dbUrl = u.toString();
    dropDb = async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    };
  }
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: join(dir, 'data'),
    ...(dbUrl ? { DATABASE_URL: dbUrl, FEALTY_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') } : {}),
    FEALTY_DEMO: 'off',
    FEALTY_WEB: 'off',
    FEALTY_JOBS: 'off',
    LOG_LEVEL: process.env.FUZZ_LOG_LEVEL ?? 'silent',
    FEALTY_RATE_LIMIT: '0',
    FEALTY_RATE_LIMIT_SIGN_IN: '0',
    FEALTY_TEST_ENDPOINTS: 'on',
    FEALTY_WEBHOOKS_ALLOW_PRIVATE: 'on',
  });
  const server = await startServer(config, { logger: process.env.FUZZ_LOG_LEVEL ? undefined : false });
  return {
    server,
    url: server.url,
    kind: config.dbKind,
    async stop() {
      await server.stop();
      await dropDb?.();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a rejected request must leave as it was: row counts of every table, and the sums of every balance bucket. */
export async function stateOf(s: Server): Promise<Record<string, string>> {
  const db = s.database.db;
  const tables = await db.execute<{ table_name: string }>(sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`);
  const union = tables.rows.map((r) => `select '${r.table_name}' as t, count(*)::text as n from "${r.table_name.replace(/"/g, '""')}"`).join(' union all ');
  const counts = await db.execute<{ t: string; n: string }>(sql.raw(union));
  const out: Record<string, string> = Object.fromEntries(counts.rows.map((r) => [`rows ${r.t}`, String(r.n)]));
  const sums = await db.execute<Record<string, string>>(
    sql`select coalesce(sum(available), 0)::text as available, coalesce(sum(pending), 0)::text as pending, coalesce(sum(held), 0)::text as held, coalesce(sum(abs(available)) + sum(abs(pending)) + sum(abs(held)), 0)::text as magnitude from wallets`,
  );
  for (const [k, v] of Object.entries(sums.rows[0] ?? {})) out[`wallets ${k}`] = String(v);
  const postings = await db.execute<{ n: string; s: string }>(sql`select count(*)::text as n, coalesce(sum(abs(amount)), 0)::text as s from postings`);
  out['postings sum(abs(amount))'] = String(postings.rows[0]?.s);
  return out;
}
