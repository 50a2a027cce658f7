import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliHarness } from '../../../test/support/cli.js';
import { migrateDatabase } from '../../db/database.js';
import { createServices } from '../../services.js';

// The real command as an operator runs it (bin/fealty.mjs in a child process), killed with
// SIGKILL after its first checkpoint and run again; on a fresh data dir, or with DATABASE_URL
// a scratch PostgreSQL database of its own.
const cli = cliHarness('import', { timeout: 240_000, maxBuffer: 1 << 24, poolSize: 2, dataSubdir: 'data' });
const { root, bin, dir, env } = cli;
const fealty = (...args: string[]) => cli.run(args);
const withDb = cli.withDatabase;

const ROWS = 2600;
const ACCOUNTS = 20;
const file = join(dir, 'invoices.csv');
const mappingFile = join(dir, 'mapping.json');
const programs: string[] = [];

beforeAll(async () => {
  await cli.setUp();
  // Invoices of one or two lines, semicolons and decimal commas, as an ERP would write them.
  const lines = ['Номер;Дата;Клиент;Количество;Сумма'];
  let inv = 0;
  while (lines.length <= ROWS) {
    inv++;
    const n = inv % 3 === 0 ? 2 : 1;
    for (let l = 0; l < n && lines.length <= ROWS; l++) lines.push(`INV-${inv};0${1 + (inv % 9)}.11.2026;C-${inv % ACCOUNTS};${1 + l};${(inv * 37) % 5000},${String(inv % 100).padStart(2, '0')}`);
  }
  writeFileSync(file, lines.join('\r\n') + '\r\n');
  writeFileSync(
    mappingFile,
    JSON.stringify({ fields: { id: 'Номер', type: { value: 'purchase' }, occurredAt: 'Дата', accountId: { column: 'Клиент', prefix: 'ext:' }, 'lines.qty': 'Количество', 'lines.amount': { column: 'Сумма', scale: 2 }, currency: { value: 'EUR' } } }),
  );
  await withDb(async (d) => {
    await migrateDatabase(d);
    const s = createServices(d);
    for (const name of ['killed', 'uninterrupted']) {
      const { program } = await s.programs.createProgram({ name });
      const ctx = { programId: program.id, actor: { type: 'system' as const, id: 'test' } };
      await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
      await s.rules.create(ctx, { name: '1 per 10', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 10] } }] });
      for (let a = 0; a < ACCOUNTS; a++) await s.accounts.createAccount(ctx, { externalId: `C-${a}`, name: `Client ${a}`, type: 'dealer' });
      programs.push(program.id);
    }
  });
}, 120_000);

afterAll(() => cli.tearDown());

/** What the ledger holds for a program: postings, their sum per wallet, events, awards. */
async function ledgerOf(programId: string) {
  return withDb(async (d) => {
    const q = async (text: string) => (await d.handle.pool.query(text, [programId])).rows;
    return {
      events: await q('select count(*)::int as n from events where program_id = $1'),
      postings: await q('select count(*)::int as n, sum(amount)::text as total from postings where program_id = $1'),
      perAccount: await q(`select a.external_id, sum(p.amount)::text as points from postings p join wallets w on w.id = p.wallet_id join accounts a on a.id = w.owner_id where p.program_id = $1 group by 1 order by 1`),
      awards: await q('select count(*)::int as n from awards where program_id = $1'),
      keys: await q(`select count(*)::int as n from import_keys k join imports i on i.id = k.import_id where i.program_id = $1`),
    };
  });
}

describe('fealty import, killed and resumed', () => {
  it('resumes a killed import from its checkpoint: no duplicates, no loss, the same ledger as an uninterrupted import', async () => {
    const [killed, whole] = programs;
    // Killed with SIGKILL once its first checkpoint is reported.
    const child = spawn(process.execPath, [bin, 'import', 'events', file, '--program', killed, '--mapping', mappingFile, '--json'], { cwd: root, env });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no checkpoint in time: ${stderr}`)), 200_000);
      child.stderr.on('data', (b: Buffer) => {
        stderr += b.toString();
        if (/progress: [1-9]/.test(stderr)) {
          clearTimeout(timer);
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`finished before it could be killed: ${stderr}`)));
    });
    await new Promise((r) => child.once('exit', r));

    const resumed = await fealty('import', 'events', file, '--program', killed, '--mapping', mappingFile, '--json');
    expect(resumed.code, resumed.stderr).toBe(0);
    const report = JSON.parse(resumed.stdout);
    expect(report).toMatchObject({ resumed: true, status: 'completed', progress: { totalRows: ROWS, rowsRead: ROWS, processed: ROWS, duplicates: 0, rejected: 0 } });
    expect(resumed.stderr).toContain('Resuming import');

    const uninterrupted = await fealty('import', 'events', file, '--program', whole, '--mapping', mappingFile, '--json');
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);
    expect(JSON.parse(uninterrupted.stdout)).toMatchObject({ resumed: false, progress: { rowsRead: ROWS, processed: ROWS, duplicates: 0, rejected: 0 } });

    const [a, b] = [await ledgerOf(killed), await ledgerOf(whole)];
    expect(a).toEqual(b);
    expect(a.postings[0].n).toBeGreaterThan(0);

    // Again: nothing new, every row a duplicate, exit code 0.
    const again = await fealty('import', 'events', file, '--program', killed, '--mapping', mappingFile, '--json');
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ resumed: false, progress: { processed: 0, duplicates: ROWS, rejected: 0 } });
    expect(await ledgerOf(killed)).toEqual({ ...a, keys: a.keys });
  }, 600_000);

  it('exits 4 with the rejects written next to the file when rows are rejected, 1 for an unreadable mapping, 2 for a bad kind', async () => {
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'id;occurredAt;accountId;type;amount\r\nX-1;2026-11-02;ext:C-1;purchase;100\r\nX-2;2026-13-02;ext:C-1;purchase;100\r\n');
    const r = await fealty('import', 'events', bad, '--program', programs[0], '--dry-run');
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toContain('dry run');
    expect(readFileSync(`${bad}.rejects.csv`, 'utf8').split('\r\n')[1]).toBe('3,occurredAt,occurredAt,"""2026-13-02"" is not a valid date",X-2,2026-13-02,ext:C-1,purchase,100');
    writeFileSync(mappingFile + '.bad', '{"fields": {"nope": "id"}}');
    const m = await fealty('import', 'events', bad, '--program', programs[0], '--mapping', mappingFile + '.bad');
    expect(m.code).toBe(1);
    expect(m.stderr).toContain('mapping.fields.nope');
    expect((await fealty('import', 'things', bad)).code).toBe(2);
  }, 120_000);
});
