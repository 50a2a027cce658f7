import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { databaseCheck, runDoctorChecks } from '../../src/cli/doctor-checks.js';
import { openDatabase, type Database } from '../../src/db/database.js';
import { repoRoot, startServerProcess, type ServerProcess } from '../support/server-process.js';

/**
 * `fealty backup` / `fealty restore` on the embedded database, with the real server process
 * running and writing meanwhile: the copy restores into a fresh directory, opens, passes every
 * doctor check, and holds exactly the balances of the database it was made from.
 */
const dir = mkdtempSync(join(tmpdir(), 'fealty-backup-'));
const dataDir = join(dir, 'data');
const apiKey = 'backup-test-key-0123456789abcdef';
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.kill();
  rmSync(dir, { recursive: true, force: true });
});

type Run = { code: number; stdout: string; stderr: string };
const fealty = (args: string[], env: Record<string, string> = {}) =>
  new Promise<Run>((resolve) => {
    const full: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    delete full.DATABASE_URL;
    Object.assign(full, env);
    execFile(process.execPath, [join(repoRoot, 'bin', 'fealty.mjs'), ...args], { cwd: repoRoot, env: full, timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
    );
  });

const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server!.base}/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
    body: body ? JSON.stringify(body) : undefined,
  });

type WalletRow = { id: string; owner_id: string; available: bigint; pending: bigint; held: bigint };
const walletsOf = async (database: Database) =>
  (await database.handle.pool.query<WalletRow>(`select id, owner_id, available, pending, held from wallets order by id`)).rows;
const adjustmentKeys = async (database: Database) =>
  new Set((await database.handle.pool.query<{ k: string }>(`select idempotency_key as k from ledger_transactions where idempotency_key like 'adjustment:%'`)).rows.map((r) => r.k.slice('adjustment:'.length)));

async function withDataDir<T>(path: string, fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openDatabase({ dataDir: path });
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function doctorClean(database: Database, where: string) {
  const checks = [await databaseCheck(database, where), ...(await runDoctorChecks(database, {}))];
  expect(checks.filter((c) => !c.ok).map((c) => ({ name: c.name, problems: c.problems.slice(0, 3) }))).toEqual([]);
  return checks.length;
}

const ACCOUNTS = 6;

describe('fealty backup and restore (embedded database)', () => {
  it('copies the database while the server runs and writes, and the copy restores with identical balances and a clean doctor', { timeout: 180_000 }, async () => {
    server = await startServerProcess({ DATA_DIR: dataDir, FEALTY_BOOTSTRAP_KEY: apiKey, FEALTY_JOBS: 'off', DATABASE_URL: undefined });
    expect((await call('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' })).status).toBe(201);
    for (let a = 0; a < ACCOUNTS; a++) expect((await call('POST', '/accounts', { externalId: `B-${a}`, name: `Backup ${a}`, type: 'dealer' })).status).toBe(201);

    // Writes before, during and after the first backup: credits and debits, and events.
    const acked = new Map<string, { at: number; amount: number }>();
    let n = 0;
    let writing = true;
    const writer = async (w: number) => {
      while (writing) {
        const i = n++;
        const key = `bk-${w}-${i}`;
        const amount = i % 5 === 4 ? -1 : 1 + (i % 7) * 10;
        const res = await call('POST', '/adjustments', { accountId: `ext:B-${i % ACCOUNTS}`, currency: 'points', amount, reason: 'backup test' }, { 'idempotency-key': key });
        if (res.status === 201) acked.set(key, { at: Date.now(), amount });
        const ev = await call('POST', '/events/batch', { events: [{ id: `ev-${w}-${i}`, type: 'purchase', occurredAt: new Date().toISOString(), accountId: `ext:B-${i % ACCOUNTS}`, amount: 100 + i, currency: 'EUR' }] });
        expect(ev.status).toBe(200);
      }
    };
    const writers = [0, 1, 2].map(writer);
    while (acked.size < 60) await new Promise((r) => setTimeout(r, 50));

    const underLoad = join(dir, 'under-load.tar.gz');
    const startedAt = Date.now();
    const backup = await fealty(['backup', underLoad, '--json']);
    expect(backup.code, backup.stderr).toBe(0);
    expect(JSON.parse(backup.stdout)).toMatchObject({ file: underLoad, database: 'pglite', via: 'server' });
    const ackedBefore = [...acked].filter(([, v]) => v.at < startedAt).map(([k]) => k);
    while (acked.size < ackedBefore.length + 60) await new Promise((r) => setTimeout(r, 50));
    writing = false;
    await Promise.all(writers);

    // The copy made under load: a consistent cut — every credit acknowledged before the backup
    // started is in it, each wallet holds exactly the credits the copy has, and doctor is clean.
    const restoredUnderLoad = join(dir, 'restored-under-load');
    const restore = await fealty(['restore', underLoad, '--data-dir', restoredUnderLoad, '--json']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toEqual({ dataDir: restoredUnderLoad, programs: 1 });
    expect(readdirSync(restoredUnderLoad)).not.toContain('fealty.lock');
    expect(readdirSync(restoredUnderLoad)).not.toContain('fealty.control');
    await withDataDir(restoredUnderLoad, async (database) => {
      const keys = await adjustmentKeys(database);
      for (const k of ackedBefore) expect(keys.has(k), k).toBe(true);
      expect(keys.size).toBeLessThan(acked.size);
      const perAccount = new Map<string, bigint>();
      for (const k of keys) {
        const idx = Number(k.split('-')[2]);
        const account = `B-${idx % ACCOUNTS}`;
        perAccount.set(account, (perAccount.get(account) ?? 0n) + BigInt(idx % 5 === 4 ? -1 : 1 + (idx % 7) * 10));
      }
      const rows = (await database.handle.pool.query<{ external_id: string; available: bigint }>(
        `select a.external_id, w.available from wallets w join accounts a on a.id = w.owner_id where w.owner_type = 'account' order by a.external_id`,
      )).rows;
      expect(rows.map((r) => [r.external_id, r.available])).toEqual([...perAccount].sort(([a], [b]) => a.localeCompare(b)));
      await doctorClean(database, restoredUnderLoad);
    });

    // A second copy of the server at rest: identical wallets, every bucket, to the source.
    const atRest = join(dir, 'at-rest.tar.gz');
    expect((await fealty(['backup', atRest])).code).toBe(0);
    expect((await fealty(['backup', atRest])).stderr).toContain('exists');
    const restoredAtRest = join(dir, 'restored-at-rest');
    const plain = await fealty(['restore', atRest, '--data-dir', restoredAtRest]);
    expect(plain.stdout).toContain('Restored');
    // A directory with something in it is refused without --force, and left as it was.
    const refused = await fealty(['restore', atRest, '--data-dir', restoredUnderLoad]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('is not empty');
    // The running server's own directory is refused even with --force.
    const busy = await fealty(['restore', atRest, '--force']);
    expect(busy.code).toBe(1);
    expect(busy.stderr).toContain('in use by another process');
    expect(await server.stop()).toBe(0);
    expect(existsSync(join(dataDir, 'fealty.control'))).toBe(false);

    const source = await withDataDir(dataDir, async (database) => ({ wallets: await walletsOf(database), keys: await adjustmentKeys(database) }));
    expect(source.keys.size).toBe(acked.size);
    await withDataDir(restoredAtRest, async (database) => {
      expect(await walletsOf(database)).toEqual(source.wallets);
      expect(await adjustmentKeys(database)).toEqual(source.keys);
      const events = await database.handle.pool.query<{ n: number }>(`select count(*)::int as n from events`);
      expect(events.rows[0].n).toBe(n);
      await doctorClean(database, restoredAtRest);
    });

    // With the server stopped the command opens the directory itself; --force replaces a directory.
    const offline = await fealty(['backup', join(dir, 'offline.tar.gz'), '--json']);
    expect(JSON.parse(offline.stdout)).toMatchObject({ via: 'direct' });
    const forced = await fealty(['restore', join(dir, 'offline.tar.gz'), '--data-dir', restoredUnderLoad, '--force']);
    expect(forced.code, forced.stderr).toBe(0);
    await withDataDir(restoredUnderLoad, async (database) => expect(await walletsOf(database)).toEqual(source.wallets));

    // The restored directory serves: the server starts on it and answers with the same balance.
    server = await startServerProcess({ DATA_DIR: restoredAtRest, FEALTY_BOOTSTRAP_KEY: apiKey, FEALTY_JOBS: 'off', DATABASE_URL: undefined });
    expect(server.output()).not.toContain('First start');
    const account = (await (await call('GET', '/accounts/ext:B-0')).json()) as { id: string };
    const wallets = (await (await call('GET', '/accounts/ext:B-0/wallets')).json()) as { available: number }[];
    expect(BigInt(wallets[0].available)).toBe(source.wallets.find((w) => w.owner_id === account.id)!.available);
    expect(await server.stop()).toBe(0);
  });

  it('with DATABASE_URL, restore points to pg_restore', async () => {
    const res = await fealty(['restore', join(dir, 'none.tar.gz')], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('pg_restore');
  });
});
