import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { fileURLToPath } from 'node:url';
import { openPglite, openPostgres, type DbHandle } from './pool.js';

export type Db = NodePgDatabase;
/** A transaction. Repos take one as their first argument: there is no silent fallback to the pool. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export type Database = {
  kind: DbHandle['kind'];
  db: Db;
  handle: DbHandle;
  close(): Promise<void>;
};

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

export function wrap(handle: DbHandle): Database {
  return { kind: handle.kind, db: drizzle(handle.pool), handle, close: () => handle.close() };
}

export async function openDatabase(opts: { databaseUrl?: string; dataDir: string; poolSize?: number }): Promise<Database> {
  const handle = opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize) : await openPglite({ dataDir: opts.dataDir });
  return wrap(handle);
}

/**
 * Applies pending migrations. An advisory lock keeps two processes starting against the
 * same PostgreSQL from migrating at once.
 */
export async function migrateDatabase(database: Database): Promise<void> {
  const client = await database.handle.pool.connect();
  try {
    await client.query('select pg_advisory_lock(7346251)');
    try {
      await migrate(drizzle(client), { migrationsFolder });
    } finally {
      await client.query('select pg_advisory_unlock(7346251)');
    }
  } finally {
    client.release();
  }
}

const RETRYABLE = new Set(['40001', '40P01']); // serialization failure, deadlock

/**
 * Runs `fn` in one transaction; retries it on deadlock or serialization failure, which
 * PostgreSQL resolves by aborting one side (the work is redone from the start).
 */
export async function inTransaction<T>(database: Database, fn: (tx: Tx) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await database.db.transaction(fn);
    } catch (err) {
      const code = pgErrorCode(err);
      if (!code || !RETRYABLE.has(code) || attempt >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
}

/** The SQLSTATE of a PostgreSQL error, looking through drizzle's wrapping. */
export function pgErrorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The constraint a PostgreSQL error names, looking through drizzle's wrapping. */
export function pgConstraint(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e && typeof e === 'object'; i++) {
    const c = (e as { constraint?: unknown }).constraint;
    if (typeof c === 'string') return c;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Connection-level failures: the database is unreachable or went away, not the query's fault. */
const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
// SQLSTATE: class 08 (connection exception), the server shutting down or starting, out of connections.
const UNAVAILABLE_STATES = /^(08...|57P01|57P02|57P03|53300)$/;
const CONNECTION_MESSAGES = /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable|terminating connection due to administrator command/i;

/**
 * Whether an error means "the database cannot be reached right now" (answered 503 with
 * Retry-After) rather than a bug, looking through drizzle's wrapping and pg's AggregateErrors.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 4) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || UNAVAILABLE_STATES.test(e.code))) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isDatabaseUnavailable(x, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}
