import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cliHarness } from '../../test/support/cli.js';
import { migrateDatabase } from '../db/database.js';
import { firstStart } from '../first-start.js';
import { parseCsv } from '../lib/csv.js';
import { LEDGER_EXPORT_COLUMNS } from '../modules/ledger/index.js';
import { createServices } from '../services.js';

// `fealty doctor` and `fealty export ledger` as an operator runs them (child processes through
// bin/fealty.mjs) on a database holding the demo program: nine months of realistic history.
const cli = cliHarness('doctor', { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
const { dataDir, scratch } = cli;
const fealty = cli.run;
const withOpenDatabase = cli.withDatabase;

const query = <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => withOpenDatabase(async (db) => (await db.handle.pool.query<R>(text, values)).rows);

type Check = { name: string; ok: boolean; details: string; problems: ({ message: string } & Record<string, string>)[] };
type Report = { ok: boolean; checks: Check[] };
const doctorJson = async (...args: string[]) => {
  const run = await fealty(['doctor', '--json', ...args]);
  return { run, report: JSON.parse(run.stdout) as Report };
};
const failing = (r: Report) => r.checks.filter((c) => !c.ok).map((c) => c.name);

let programId = '';

beforeAll(async () => {
  await cli.setUp();
  await withOpenDatabase(async (db) => {
    await migrateDatabase(db);
    const services = createServices(db);
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await firstStart(services, { demo: 'on', port: 3000 });
    } finally {
      out.mockRestore();
    }
    programId = (await services.programs.listAllPrograms())[0].id;
  });
}, 180_000);

afterAll(() => cli.tearDown());

describe('fealty doctor', () => {
  it('passes on a healthy database with the demo data: exit code 0, every check ok', async () => {
    const { run, report } = await doctorJson();
    expect(run.code, run.stderr).toBe(0);
    expect(failing(report)).toEqual([]);
    expect(report.checks.map((c) => c.name)).toEqual([
      'database',
      'migrations',
      'posting sets balance',
      'postings match their wallets',
      'wallet balances',
      'lots match balances',
      'holds',
      'no forbidden negative balances',
      'jobs',
      'webhook deliveries',
    ]);
    expect(report.checks[0].details).toMatch(cli.databaseUrl ? /^PostgreSQL \d+/ : /^PGlite \(embedded PostgreSQL \d+/);
    expect(report.checks.find((c) => c.name === 'posting sets balance')?.details).toMatch(/1 program: [\d,]+ posting sets, [\d,]+ postings/);

    const text = await fealty(['doctor', '--program', programId]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain('All checks passed.');
  }, 120_000);

  it('names a wallet whose materialised balance was corrupted, and the difference; exit code 1', async () => {
    const [w] = await query<{ id: string; owner_id: string }>(`select id, owner_id from wallets where program_id = $1 and owner_type = 'account' and available > 0 order by id limit 1`, [programId]);
    await query(`update wallets set available = available + 7 where id = $1`, [w.id]);
    try {
      const { run, report } = await doctorJson();
      expect(run.code).toBe(1);
      expect(report.ok).toBe(false);
      const balances = report.checks.find((c) => c.name === 'wallet balances')!;
      expect(balances.ok).toBe(false);
      expect(balances.problems).toEqual([expect.objectContaining({ walletId: w.id, ownerId: w.owner_id, bucket: 'available', difference: '7', programId })]);
      expect(balances.problems[0].message).toContain(`wallet ${w.id} (account ${w.owner_id}`);
      expect(balances.problems[0].message).toContain('(difference +7)');
      // The lots no longer add up to the balance either; the other invariants still hold.
      expect(failing(report)).toEqual(['wallet balances', 'lots match balances']);
      expect(run.stderr).toContain('doctor found problems: wallet balances, lots match balances');

      const text = await fealty(['doctor']);
      expect(text.code).toBe(1);
      expect(text.stdout).toMatch(new RegExp(`FAIL +wallet balances`));
      expect(text.stdout).toContain(`- wallet ${w.id}`);
      expect(text.stdout).toContain('2 of 10 checks found problems.');
    } finally {
      await query(`update wallets set available = available - 7 where id = $1`, [w.id]);
    }
  }, 120_000);

  it('detects a posting set that does not balance', async () => {
    // An extra leg on a system wallet (not materialised): only the balance of the set is wrong.
    const [t] = await query<{ transaction_id: string; wallet_id: string; currency: string }>(
      `select p.transaction_id, w.id as wallet_id, p.currency from postings p join wallets w on w.program_id = p.program_id and w.currency = p.currency and w.owner_type = 'system'
       where p.program_id = $1 order by p.id limit 1`,
      [programId],
    );
    const [added] = await query<{ id: string }>(`insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount) values ($1, $2, $3, 'available', $4, 5) returning id::text`, [
      programId,
      t.transaction_id,
      t.wallet_id,
      t.currency,
    ]);
    try {
      const { run, report } = await doctorJson('--program', programId);
      expect(run.code).toBe(1);
      expect(failing(report)).toEqual(['posting sets balance']);
      const c = report.checks.find((x) => x.name === 'posting sets balance')!;
      expect(c.problems).toEqual([{ message: `posting set ${t.transaction_id} does not balance in ${t.currency}: its postings sum to 5, not 0`, programId, transactionId: t.transaction_id, currency: t.currency, difference: '5' }]);
    } finally {
      await query(`delete from postings where id = $1`, [added.id]);
    }
  }, 120_000);

  it('reports a migration the database has but this version does not know', async () => {
    await query(`insert into drizzle.__drizzle_migrations (hash, created_at) values ('feedbeef', 4102444800000)`);
    try {
      const { run, report } = await doctorJson();
      expect(run.code).toBe(1);
      expect(failing(report)).toEqual(['migrations']);
      expect(report.checks[1].problems[0]).toMatchObject({ state: 'unknown', message: expect.stringContaining('unknown to this version of Fealty') });
    } finally {
      await query(`delete from drizzle.__drizzle_migrations where hash = 'feedbeef'`);
    }
  }, 120_000);

  it('tells when the jobs do not keep up (a lot past its expiry) and a webhook keeps failing', async () => {
    const [lot] = await query<{ id: string; expires_at: Date | null }>(`select id, expires_at from lots where program_id = $1 and status = 'available' and remaining > 0 order by id limit 1`, [programId]);
    await query(`update lots set expires_at = now() - interval '2 hours' where id = $1`, [lot.id]);
    await query(`insert into webhook_subscriptions (id, program_id, url, event_types, secret) values ('whs_doctor', $1, 'https://erp.example/hook', '{*}', 'secret')`, [programId]);
    await query(
      `insert into webhook_deliveries (id, program_id, subscription_id, message_id, event_type, body, status, attempts, last_status_code, created_at, updated_at)
       values ('whd_doctor', $1, 'whs_doctor', 'msg_doctor', 'points.earned', '{}', 'pending', 6, 503, now() - interval '3 hours', now())`,
      [programId],
    );
    try {
      const { run, report } = await doctorJson();
      expect(run.code).toBe(1);
      expect(failing(report)).toEqual(['jobs', 'webhook deliveries']);
      const jobs = report.checks.find((c) => c.name === 'jobs')!;
      expect(jobs.problems).toEqual([expect.objectContaining({ programId, job: 'expiry', lots: '1', message: expect.stringContaining('overdue for expiry') })]);
      const hooks = report.checks.find((c) => c.name === 'webhook deliveries')!;
      expect(hooks.problems).toEqual([expect.objectContaining({ programId, subscriptionId: 'whs_doctor', state: 'pending', deliveries: '1' })]);
      expect(hooks.problems[0].message).toContain('webhook whs_doctor (https://erp.example/hook): 1 delivery still failing after more than 1 hour');
      expect(hooks.problems[0].message).toContain('last answer HTTP 503');
    } finally {
      await query(`update lots set expires_at = $2 where id = $1`, [lot.id, lot.expires_at]);
      await query(`delete from webhook_deliveries where id = 'whd_doctor'`);
      await query(`delete from webhook_subscriptions where id = 'whs_doctor'`);
    }
  }, 120_000);

  it('exits 3 when the database cannot be reached, and 1 for an unknown program', async () => {
    const down = await fealty(['doctor', '--json'], { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/fealty' });
    expect(down.code).toBe(3);
    expect(JSON.parse(down.stdout)).toMatchObject({ ok: false, checks: [{ name: 'database', ok: false, problems: [{ message: expect.stringContaining('cannot be reached') }] }] });
    expect(down.stderr).toContain('the database cannot be reached');

    const unknown = await fealty(['doctor', '--program', 'prg_nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('no program with id "prg_nope"');
  }, 120_000);
});

describe('fealty export ledger', () => {
  it('writes every posting of the period once, with a header; the sums match the balances', async () => {
    const run = await fealty(['export', 'ledger', '--from', '2000-01-01', '--to', '2100-01-01']);
    expect(run.code, run.stderr).toBe(0);
    const [header, ...rows] = parseCsv(run.stdout).filter((r) => r.length > 1);
    expect(header).toEqual([...LEDGER_EXPORT_COLUMNS]);
    const col = (name: (typeof LEDGER_EXPORT_COLUMNS)[number]) => header.indexOf(name);

    const [{ count }] = await query<{ count: string }>(`select count(*)::text as count from postings where program_id = $1`, [programId]);
    expect(rows).toHaveLength(Number(count));
    expect(new Set(rows.map((r) => r[col('posting_id')])).size).toBe(rows.length);
    // Ordered by posted at, posting set, posting id.
    const keys = rows.map((r) => [r[col('posted_at')], r[col('transaction_id')], r[col('posting_id')].padStart(12, '0')].join('|'));
    expect(keys).toEqual([...keys].sort());

    // The sum of a wallet's rows per bucket is its materialised balance; every currency nets to zero.
    const sums = new Map<string, bigint>();
    const perCurrency = new Map<string, bigint>();
    for (const r of rows) {
      const key = `${r[col('wallet_id')]}|${r[col('bucket')]}`;
      sums.set(key, (sums.get(key) ?? 0n) + BigInt(r[col('amount')]));
      perCurrency.set(r[col('currency')], (perCurrency.get(r[col('currency')]) ?? 0n) + BigInt(r[col('amount')]));
    }
    expect([...perCurrency.values()].every((v) => v === 0n)).toBe(true);
    const wallets = await query<{ id: string; available: bigint; pending: bigint; held: bigint }>(`select id, available, pending, held from wallets where program_id = $1 and owner_type <> 'system'`, [programId]);
    expect(wallets.length).toBeGreaterThan(100);
    for (const w of wallets) {
      expect({ id: w.id, available: sums.get(`${w.id}|available`) ?? 0n, pending: sums.get(`${w.id}|pending`) ?? 0n, held: sums.get(`${w.id}|held`) ?? 0n }).toEqual({
        id: w.id,
        available: w.available,
        pending: w.pending,
        held: w.held,
      });
    }

    // External ids of companies and people are there; a memo with a comma is quoted.
    const member = rows.find((r) => r[col('owner_type')] === 'member')!;
    expect(member[col('owner_external_id')]).not.toBe('');
    expect(member[col('account_external_id')]).toMatch(/^C-\d+$/);
    const memo = rows.find((r) => r[col('memo')].includes(','))?.[col('memo')];
    expect(memo).toBeDefined();
    expect(run.stdout).toContain(`"${memo}"`);
  }, 120_000);

  it('takes exactly the postings of [from, to): dates are whole days in the program time zone (Europe/Paris)', async () => {
    const [mid] = await query<{ from: Date; to: Date }>(
      `select min(created_at) + (max(created_at) - min(created_at)) / 3 as from, min(created_at) + 2 * (max(created_at) - min(created_at)) / 3 as to from postings where program_id = $1`,
      [programId],
    );
    const from = new Date(mid.from).toISOString();
    const to = new Date(mid.to).toISOString();
    const out = join(dataDir, '..', `${scratch}-period.csv`);
    try {
      const run = await fealty(['export', 'ledger', '--program', programId, '--from', from, '--to', to, '--out', out, '--json']);
      expect(run.code, run.stderr).toBe(0);
      const expected = await query<{ id: string }>(`select id::text from postings where program_id = $1 and created_at >= $2 and created_at < $3 order by created_at, transaction_id, id`, [programId, from, to]);
      expect(expected.length).toBeGreaterThan(10);
      expect(JSON.parse(run.stdout)).toEqual({ programId, rows: expected.length, from, to, file: out });
      const rows = parseCsv(readFileSync(out, 'utf8')).filter((r) => r.length > 1).slice(1);
      expect(rows.map((r) => r[LEDGER_EXPORT_COLUMNS.indexOf('posting_id')])).toEqual(expected.map((e) => e.id));
    } finally {
      rmSync(out, { force: true });
    }

    // 2026-03-01 in Paris starts at 23:00 UTC the day before (winter time); 2026-07-01 at 22:00 (summer time).
    const days = await fealty(['export', 'ledger', '--from', '2026-03-01', '--to', '2026-07-01', '--out', out, '--json']);
    try {
      expect(days.code, days.stderr).toBe(0);
      const summary = JSON.parse(days.stdout) as { rows: number; from: string; to: string };
      expect(summary).toMatchObject({ from: '2026-02-28T23:00:00.000Z', to: '2026-06-30T22:00:00.000Z' });
      const [{ count }] = await query<{ count: string }>(`select count(*)::text as count from postings where program_id = $1 and created_at >= $2 and created_at < $3`, [programId, summary.from, summary.to]);
      expect(summary.rows).toBe(Number(count));
    } finally {
      rmSync(out, { force: true });
    }
  }, 120_000);

  it('refuses a bad period with a usage error (exit code 2) and a clear message', async () => {
    const [bad, reversed, noOut, missing, format] = await Promise.all([
      fealty(['export', 'ledger', '--from', '31.01.2026', '--to', '2026-02-01']),
      fealty(['export', 'ledger', '--from', '2026-02-01', '--to', '2026-01-01']),
      fealty(['export', 'ledger', '--from', '2026-01-01', '--to', '2026-02-01', '--json']),
      fealty(['export', 'ledger', '--from', '2026-01-01']),
      fealty(['export', 'ledger', '--from', '2026-01-01', '--to', '2026-02-01', '--format', 'xlsx']),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--from: must be a date (2026-01-31) or a date-time with an offset');
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('--from (2026-01-31T23:00:00.000Z) must be before --to (2025-12-31T23:00:00.000Z)');
    expect(noOut.code).toBe(2);
    expect(noOut.stderr).toContain('--json: needs --out');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--to <date|datetime>' not specified");
    expect(format.code).toBe(2);
    expect(format.stderr).toContain('--format');
    for (const r of [bad, reversed, noOut, missing, format]) expect(r.stdout).toBe('');
  }, 120_000);

  it('needs --program once there are several programs (exit code 2)', async () => {
    const created = await fealty(['program', 'create', '--name', 'Second program', '--json']);
    expect(created.code, created.stderr).toBe(0);
    const run = await fealty(['export', 'ledger', '--from', '2026-01-01', '--to', '2026-02-01']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('There are 2 programs: name one with --program <id>');
    expect(run.stdout).toBe('');
    const unknown = await fealty(['export', 'ledger', '--program', 'prg_nope', '--from', '2026-01-01', '--to', '2026-02-01']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('No program with id "prg_nope"');
  }, 120_000);
});
