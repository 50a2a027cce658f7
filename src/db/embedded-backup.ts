import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock.js';
import type { DbHandle } from './pool.js';

/**
 * Backups of the embedded database (PGlite in DATA_DIR): a gzipped tarball of the whole data
 * directory (the database files and `secret.key`), as PGlite's `dumpDataDir` writes it and its
 * `loadDataDir` reads it.
 *
 * The data directory belongs to one process at a time (data-dir-lock.ts), so a backup while the
 * server runs is made by the server: it listens on a loopback-only port for that one request and
 * writes the port and a random token to `DATA_DIR/fealty.control` (mode 0600). Whoever can read
 * that file can read the database files anyway; nobody else can ask for a copy.
 */

export const CONTROL_FILE = 'fealty.control';
const LOCK_FILE = 'fealty.lock';
/** Files of a running process, never restored from a backup. */
const PROCESS_FILES = [LOCK_FILE, CONTROL_FILE];

/**
 * A consistent copy of a PGlite database. The pool has PGlite's one connection: holding it waits
 * for the transaction in flight to end and keeps the next one (a request, a job) waiting until the
 * copy is made. A checkpoint first writes every committed page to the files, so the copy opens
 * without replaying the write-ahead log.
 */
export async function dumpEmbedded(handle: DbHandle): Promise<Buffer> {
  if (!handle.pglite) throw new Error('not an embedded database');
  const client = await handle.pool.connect();
  try {
    await client.query('checkpoint');
    const blob = await handle.pglite.dumpDataDir('gzip');
    return Buffer.from(await blob.arrayBuffer());
  } finally {
    client.release();
  }
}

/** Writes a file under `<file>.partial` and renames it when complete: a copy is never half there. */
export function writeWhole(file: string, data: Buffer): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, data, { mode: 0o600 });
  renameSync(partial, file);
}

export type ControlServer = { stop(): Promise<void> };

/**
 * The server's side: a loopback listener answering `POST /backup` (with the token) with a fresh
 * copy. Anything else is a 404, a wrong token a 401.
 */
export async function startControlServer(dataDir: string, handle: DbHandle, log: { info(msg: string): void; error(obj: object, msg: string): void }): Promise<ControlServer> {
  const token = randomBytes(32);
  const file = join(resolve(dataDir), CONTROL_FILE);
  const server: Server = createServer((req, res) => {
    const given = Buffer.from((req.headers.authorization ?? '').replace(/^Bearer /, ''), 'hex');
    if (req.method !== 'POST' || req.url !== '/backup') return void res.writeHead(404).end();
    if (given.length !== token.length || !timingSafeEqual(given, token)) return void res.writeHead(401).end();
    const started = Date.now();
    dumpEmbedded(handle).then(
      (data) => {
        log.info(`backup: ${data.length} bytes of the embedded database copied in ${Date.now() - started} ms`);
        res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': data.length }).end(data);
      },
      (err: unknown) => {
        log.error({ err }, 'backup failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end(err instanceof Error ? err.message : String(err));
      },
    );
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const { port } = server.address() as AddressInfo;
  writeFileSync(file, JSON.stringify({ pid: process.pid, port, token: token.toString('hex') }) + '\n', { mode: 0o600 });
  return {
    async stop() {
      try {
        const current = readControl(dataDir);
        if (current?.pid === process.pid && current.port === port) unlinkSync(file);
      } catch {
        // already gone
      }
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

type Control = { pid: number; port: number; token: string };

function readControl(dataDir: string): Control | undefined {
  try {
    const c = JSON.parse(readFileSync(join(resolve(dataDir), CONTROL_FILE), 'utf8')) as Control;
    return Number.isInteger(c.pid) && Number.isInteger(c.port) && typeof c.token === 'string' ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The CLI's side: asks the server running on `dataDir` for a copy. `undefined` when no server
 * answers there (no control file, or a stale one left by a killed process).
 */
export async function requestBackup(dataDir: string): Promise<Buffer | undefined> {
  const control = readControl(dataDir);
  if (!control) return undefined;
  return new Promise<Buffer | undefined>((ok, fail) => {
    const req = request({ host: '127.0.0.1', port: control.port, path: '/backup', method: 'POST', headers: { authorization: `Bearer ${control.token}` } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        if (res.statusCode === 200) return ok(body);
        // Another process on the port (the server is gone and the port reused): not ours to ask.
        if (res.statusCode === 401 || res.statusCode === 404) return ok(undefined);
        fail(new Error(`the server could not make the backup: ${body.toString('utf8') || `HTTP ${res.statusCode}`}`));
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNREFUSED' ? ok(undefined) : fail(err)));
    req.end();
  });
}

/** A directory that does not exist or holds nothing. */
export function isEmptyDir(dir: string): boolean {
  return !existsSync(dir) || readdirSync(dir).length === 0;
}

/**
 * Restores a backup into `dataDir`, which must be empty unless `force` (its contents are then
 * replaced). The directory is locked meanwhile, as for any opener; the restored database is opened
 * once (PGlite checks it) and closed. Returns the number of programs it holds, as a sanity check.
 */
export async function restoreEmbedded(backup: Buffer, dataDir: string, opts: { force?: boolean } = {}): Promise<{ programs: number }> {
  const dir = resolve(dataDir);
  if (!isEmptyDir(dir) && !opts.force) {
    throw new RestoreTargetNotEmpty(dir);
  }
  mkdirSync(dir, { recursive: true });
  const unlock = lockDataDir(dir);
  try {
    for (const entry of readdirSync(dir)) if (entry !== LOCK_FILE) rmSync(join(dir, entry), { recursive: true, force: true });
    const pglite = await PGlite.create(dir, { loadDataDir: new Blob([new Uint8Array(backup)], { type: 'application/x-gzip' }) });
    let programs = 0;
    try {
      const res = await pglite.query<{ n: number }>(`select count(*)::int as n from programs`);
      programs = res.rows[0]?.n ?? 0;
      await pglite.query('checkpoint');
    } finally {
      await pglite.close();
    }
    // The copy carries the lock and control file of the process that made it: they are not ours.
    for (const f of PROCESS_FILES) if (f !== LOCK_FILE) rmSync(join(dir, f), { force: true });
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    return { programs };
  } finally {
    unlock();
  }
}

export class RestoreTargetNotEmpty extends Error {
  constructor(readonly dir: string) {
    super(`${dir} is not empty: restore into a new directory (--data-dir <dir>), or add --force to replace what is there.`);
    this.name = 'RestoreTargetNotEmpty';
  }
}
