import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, migrateDatabase, openDatabase } from '../db/database.js';
import { createServices } from '../services.js';
import { createTestApp, type TestApp, type TestProgram } from '../../test/support/app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../test/support/webhook-receiver.js';
import { runDue, type RunDueReport } from './run-due.js';
import { startJobs } from './scheduler.js';

/**
 * The jobs against a settable clock: awards with a 14-day return window mature on their day,
 * a month later they expire, each exactly once however often and however concurrently the jobs
 * run, and each posting set is published as one webhook message.
 */

let t: TestApp;
let rx: WebhookReceiver;
let clock: Date;
beforeAll(async () => {
  clock = new Date('2026-01-01T08:00:00Z');
  t = await createTestApp({ now: () => clock });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await rx.close();
  await t.close();
});

const api = async (p: TestProgram, method: string, url: string, body?: unknown, expected = 200) => {
  const r = await t.call(p, method, `/api/v1${url}`, body);
  if (r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
};

type Wallet = { currency: string; available: number; pending: number };
const wallet = async (p: TestProgram, account: string): Promise<Wallet | undefined> => ((await api(p, 'GET', `/accounts/ext:${account}/wallets`)) as Wallet[]).find((w) => w.currency === 'points');

/** Messages the receiver got on `path`, by type, as [account, amount]. */
const published = (path: string, type: string) =>
  rx
    .received(path)
    .map((r) => JSON.parse(r.body) as { type: string; data: { accountId: string; amount: number; currency: string } })
    .filter((m) => m.type === type)
    .map((m) => [m.data.accountId, m.data.amount]);

describe('runDue', () => {
  let p: TestProgram;
  const accounts = ['C-1', 'C-2', 'C-3', 'C-4', 'C-5'];
  const ids = new Map<string, string>();

  beforeAll(async () => {
    p = await t.newProgram('Jobs');
    await api(p, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points', expiry: { months: 1 } }, 201);
    await api(p, 'POST', '/rules', { name: 'Ten per purchase after the return window', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: 10, availableAfterDays: 14 }] }, 201);
    const hook = await api(p, 'POST', '/webhooks', { url: rx.url('/jobs'), eventTypes: ['points.matured', 'points.expired'] }, 201);
    rx.trust('/jobs', hook.secret);
    for (const [i, a] of accounts.entries()) {
      ids.set(a, (await api(p, 'POST', '/accounts', { externalId: a, name: `Dealer ${a}`, type: 'dealer' }, 201)).id);
      await api(p, 'POST', '/events', { id: `INV-${i}`, type: 'purchase', occurredAt: '2026-01-01T07:00:00Z', accountId: `ext:${a}`, amount: 1000, currency: 'EUR' }, 201);
    }
  });

  it('leaves pending credits alone before their day', async () => {
    const r = await runDue(t.services, new Date('2026-01-14T23:59:59Z'));
    expect(r).toMatchObject({ matured: { transactions: 0, amount: 0 }, expired: { transactions: 0, amount: 0 }, errors: [] });
    expect(await wallet(p, 'C-1')).toMatchObject({ available: 0, pending: 10 });
  });

  it('matures them once on their day, even run twice, and publishes one points.matured per posting set', async () => {
    const day = new Date('2026-01-15T08:00:00Z');
    const first = await runDue(t.services, day);
    const second = await runDue(t.services, day);
    expect(first).toMatchObject({ at: day.toISOString(), matured: { transactions: 5, amount: 50 }, errors: [] });
    // The messages were written in the maturity's transactions and sent in the same run.
    expect(first.webhooks).toEqual({ claimed: 5, delivered: 5, retrying: 0, failed: 0 });
    expect(second).toMatchObject({ matured: { transactions: 0, amount: 0 }, webhooks: { claimed: 0 }, errors: [] });
    for (const a of accounts) expect(await wallet(p, a)).toMatchObject({ available: 10, pending: 0 });

    expect(published('/jobs', 'points.matured').sort()).toEqual(accounts.map((a) => [ids.get(a), 10]).sort());
    const [m] = rx.received('/jobs').map((r) => JSON.parse(r.body));
    expect(m).toEqual({
      type: 'points.matured',
      timestamp: day.toISOString(),
      data: { transactionId: expect.stringMatching(/^txn_/), wallet: { accountId: expect.any(String) }, accountId: expect.any(String), memberId: null, currency: 'points', amount: 10, at: day.toISOString() },
    });
    expect(rx.received('/jobs').every((r) => r.signed)).toBe(true);
  });

  it('runs the daily maintenance once a day', async () => {
    // The first run of 2026-01-15 did it; the second did not.
    const again = await runDue(t.services, new Date('2026-01-15T23:00:00Z'));
    expect(again.maintenance).toEqual({ ran: false, idempotencyKeysPurged: 0, sessionsPurged: 0, signInCodesPurged: 0, importFilesPurged: { imports: 0, bytes: 0 }, tiers: null });
    const next = await runDue(t.services, new Date('2026-01-16T00:00:30Z'));
    expect(next.maintenance).toMatchObject({ ran: true, tiers: expect.objectContaining({ programs: expect.any(Number) }) });
  });

  it('expires the lots once when two runs race, and publishes one points.expired per posting set', async () => {
    const day = new Date('2026-02-15T08:00:00Z');
    const both: RunDueReport[] = await Promise.all([runDue(t.services, day), runDue(t.services, day)]);
    expect(both.flatMap((r) => r.errors)).toEqual([]);
    expect(both.map((r) => r.expired.transactions).reduce((x, y) => x + y)).toBe(5);
    expect(both.map((r) => r.expired.amount).reduce((x, y) => x + y)).toBe(50);
    expect(both.filter((r) => r.maintenance.ran)).toHaveLength(1);
    // Whichever run delivered them, each message went out once.
    expect(both.map((r) => r.webhooks.delivered).reduce((x, y) => x + y)).toBe(5);
    for (const a of accounts) expect(await wallet(p, a)).toMatchObject({ available: 0, pending: 0 });
    expect(published('/jobs', 'points.expired').sort()).toEqual(accounts.map((a) => [ids.get(a), 10]).sort());
    expect(new Set(rx.received('/jobs').map((r) => r.id)).size).toBe(10);

    const again = await runDue(t.services, day);
    expect(again).toMatchObject({ matured: { transactions: 0 }, expired: { transactions: 0 }, webhooks: { claimed: 0 }, errors: [] });
    const problems = await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId));
    expect(problems).toEqual([]);
  });
});

describe('the scheduler', () => {
  it('delivers webhooks in the background and stops cleanly', async () => {
    const p = await t.newProgram('Scheduler');
    const hook = await api(p, 'POST', '/webhooks', { url: rx.url('/scheduler'), eventTypes: ['*'] }, 201);
    rx.trust('/scheduler', hook.secret);
    const errors: unknown[] = [];
    const log = { info: () => {}, error: (obj: object) => void errors.push(obj) };
    // On PostgreSQL this is pg-boss on the test's own database; on PGlite, timers in this process.
    const databaseUrl = t.database.kind === 'postgres' ? t.database.handle.pool.options.connectionString : undefined;
    const jobs = await startJobs(t.services, { databaseUrl, log, runEverySeconds: 1, deliverEverySeconds: 1 });
    expect(jobs.kind).toBe(databaseUrl ? 'pg-boss' : 'timer');
    try {
      await inTransaction(t.database, (tx) => t.services.webhooks.emit(tx, p.programId, 'points.awarded', { n: 1 }, { at: new Date() }));
      for (let i = 0; i < 150 && !rx.received('/scheduler').length; i++) await new Promise((r) => setTimeout(r, 100));
      expect(rx.received('/scheduler')).toHaveLength(1);
    } finally {
      await jobs.stop();
    }
    await inTransaction(t.database, (tx) => t.services.webhooks.emit(tx, p.programId, 'points.awarded', { n: 2 }, { at: new Date() }));
    await new Promise((r) => setTimeout(r, 2500));
    expect(rx.received('/scheduler'), 'nothing runs after stop()').toHaveLength(1);
    expect(errors).toEqual([]);
  });
});

describe('fealty jobs run-due', () => {
  // The real command in a child process, on a fresh data dir (or a scratch PostgreSQL database).
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const adminUrl = process.env.DATABASE_URL;
  const scratch = `fealty_jobs_cli_${process.pid}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'fealty-jobs-'));
  const databaseUrl = adminUrl ? Object.assign(new URL(adminUrl), { pathname: `/${scratch}` }).toString() : '';
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(sql).finally(() => c.end());
  };
  beforeAll(async () => {
    if (adminUrl) await admin(`create database ${scratch}`);
  });
  afterAll(async () => {
    if (adminUrl) await admin(`drop database if exists ${scratch} with (force)`);
    rmSync(dataDir, { recursive: true, force: true });
  });
  const fealty = (...args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(root, 'bin', 'fealty.mjs'), ...args], { cwd: root, env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, timeout: 60_000 }, (err, stdout, stderr) =>
        resolve({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr }),
      );
    });

  it('runs the jobs at --now and prints the report as JSON', async () => {
    // A pending credit due on 2026-05-01, written before the command runs (and the database closed: PGlite is one process).
    const database = await openDatabase({ databaseUrl: databaseUrl || undefined, dataDir, poolSize: 1 });
    try {
      await migrateDatabase(database);
      const s = createServices(database);
      const { program } = await s.programs.createProgram({ name: 'CLI jobs' });
      const ctx = { programId: program.id, actor: { type: 'system' as const, id: 'test' } };
      await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
      await inTransaction(database, (tx) =>
        s.ledger.credit(tx, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: 'k1', at: new Date('2026-04-01T00:00:00Z'), legs: [{ to: { type: 'account', accountId: 'acc_x' }, currency: 'points', amount: 25n, availableAt: new Date('2026-05-01T00:00:00Z') }] }),
      );
    } finally {
      await database.close();
    }

    const early = await fealty('jobs', 'run-due', '--now', '2026-04-30T23:59:59Z', '--json');
    expect(early.code, early.stderr).toBe(0);
    expect(JSON.parse(early.stdout)).toMatchObject({ at: '2026-04-30T23:59:59.000Z', matured: { transactions: 0, amount: 0 }, maintenance: { ran: true }, errors: [] });

    const onTime = await fealty('jobs', 'run-due', '--now', '2026-05-01T00:00:00Z', '--json');
    expect(onTime.code, onTime.stderr).toBe(0);
    const report = JSON.parse(onTime.stdout) as RunDueReport;
    expect(report).toEqual({
      at: '2026-05-01T00:00:00.000Z',
      matured: { transactions: 1, amount: 25 },
      expired: { transactions: 0, amount: 0 },
      webhooks: { claimed: 0, delivered: 0, retrying: 0, failed: 0 },
      expiring: { ran: true, programs: expect.any(Number), queued: expect.any(Number) },
      health: expect.objectContaining({ ran: true }),
      messages: { campaigns: 0, claimed: 0, sent: 0, held: 0, suppressed: 0, retrying: 0, failed: 0 },
      maintenance: { ran: true, idempotencyKeysPurged: 0, sessionsPurged: 0, signInCodesPurged: 0, importFilesPurged: { imports: 0, bytes: 0 }, tiers: expect.any(Object) },
      surveys: { invited: 0, reminded: 0, escalated: 0 },
      grants: { grants: 0, granted: 0 },
      errors: [],
    });

    const bad = await fealty('jobs', 'run-due', '--now', 'tomorrow');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--now');
  });
});
