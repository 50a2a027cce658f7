import pg from 'pg';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PglitePgConnection } from '@electric-sql/pglite/node-postgres';
import { lockDataDir } from './data-dir-lock.js';

/** int8 columns come back as bigint: value is never a float, not even by accident. */
pg.types.setTypeParser(20, (v: string) => BigInt(v));

/**
 * FEALTY_COUNT_QUERIES=on (a debugging aid, off by default): every statement sent on Fealty's
 * pools is counted, BEGIN and COMMIT included, and /metrics shows the count as
 * `fealty_db_queries_total`; the benchmarks divide it by the requests sent (statements per request).
 */
export const countingQueries = process.env.FEALTY_COUNT_QUERIES === 'on';
let queries = 0;
export const queriesSent = (): number => queries;

function counted(pool: pg.Pool): pg.Pool {
  if (!countingQueries) return pool;
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    client.query = ((...args: unknown[]) => {
      queries++;
      return query(...args);
    }) as typeof client.query;
  });
  return pool;
}

export type DbHandle = {
  kind: 'pglite' | 'postgres';
  pool: pg.Pool;
  /** Present in embedded mode: the PGlite instance behind the pool. */
  pglite?: PGlite;
  close(): Promise<void>;
};

/** How long a query waits for a connection before failing (database unreachable, or pool exhausted). */
export const CONNECT_TIMEOUT_MS = 10_000;
let lastLostLog = 0;

/** A PostgreSQL server: one pg.Pool over the URL. */
export function openPostgres(url: string, max = 10): DbHandle {
  // connectionTimeoutMillis: with the database unreachable (or the pool exhausted that long) a
  // request fails and is answered 503 instead of hanging; keepAlive finds a dead peer.
  const pool = counted(new pg.Pool({ connectionString: url, max, connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true }));
  // An idle client whose connection dies (the database restarted, a proxy cut it) is reported
  // here; the pool drops it and opens a fresh one for the next query. Without a listener the
  // error would be thrown at the process and stop the server.
  const lost = (err: Error) => {
    if (Date.now() - lastLostLog > 5000) {
      lastLostLog = Date.now();
      process.stderr.write(`fealty: a database connection was lost (${err.message || (err as NodeJS.ErrnoException).code}); it is replaced on the next query\n`);
    }
  };
  pool.on('error', lost);
  // A client checked out (inside a transaction, between two statements) has no listener of the
  // pool's: its connection dying would be thrown at the process too. With this one the next
  // statement fails instead ("not queryable", answered 503), and the pool drops the client when
  // it is released.
  pool.on('connect', (client) => client.on('error', lost));
  return {
    kind: 'postgres',
    pool,
    close: () => pool.end(),
  };
}

/**
 * The embedded database: the same pg.Pool interface over PGlite. PGlite is a single
 * connection, so the pool has one client and transactions run one after another.
 * A data directory on disk is locked for this process (see data-dir-lock.ts).
 */
export async function openPglite(opts: { dataDir?: string; loadDataDir?: Blob | File } = {}): Promise<DbHandle> {
  let unlock: (() => void) | undefined;
  if (opts.dataDir && !opts.dataDir.startsWith('memory://')) {
    mkdirSync(opts.dataDir, { recursive: true });
    unlock = lockDataDir(opts.dataDir);
  }
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(opts.dataDir, opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {});
  } catch (err) {
    unlock?.();
    throw err;
  }
  // Each client gets its own protocol connection over the one PGlite instance: pg-pool ends
  // a client after an error, and a shared connection object would stay ended for the next one.
  // pg hands a query's type-parser object to `parse` as `types`; PGlite's serializer expects
  // an array of parameter type oids there (pg's own serializer ignores a non-array).
  // The named statements live in PGlite's one backend session, not in a client: a client that
  // replaces an ended one (after an error, or when the pool let an idle one go) must know them
  // too, or its first named query prepares again and fails with "already exists".
  const parsedStatements: Record<string, string> = {};
  class SafeConnection extends PglitePgConnection {
    constructor(config: ConstructorParameters<typeof PglitePgConnection>[0]) {
      super(config);
      this.parsedStatements = parsedStatements;
    }
    override parse(query: { types?: unknown }): void {
      super.parse(Array.isArray(query.types) ? query : { ...query, types: undefined });
    }
  }
  class PgliteClient extends pg.Client {
    constructor(config?: pg.ClientConfig) {
      super({ ...config, connection: new SafeConnection({ pglite }) } as pg.ClientConfig);
    }
  }
  const pool = counted(new pg.Pool({ Client: PgliteClient, max: 1, user: 'postgres', database: 'postgres' }));
  return {
    kind: 'pglite',
    pool,
    pglite,
    async close() {
      try {
        await pool.end();
        await pglite.close();
      } finally {
        unlock?.();
      }
    },
  };
}
