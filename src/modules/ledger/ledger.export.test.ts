import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, type Database } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase } from '../../../test/support/database.js';
import { exportLedgerPostings, resolvePeriodBound, type LedgerExportRow } from './ledger.export.js';

let database: Database;
let s: Services;
let ctx: RequestContext;
let otherProgram: string;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const hour = (n: number) => new Date(T0 + n * 3_600_000);

beforeAll(async () => {
  database = await createTestDatabase();
  s = createServices(database);
  for (const name of ['Export test', 'Another program']) {
    const { program } = await s.programs.createProgram({ name, timeZone: 'America/New_York' });
    const c = { programId: program.id, actor: { type: 'system' as const, id: 'test' } };
    await s.programs.createCurrency(c, { code: 'pts', name: 'Points', kind: 'points' });
    // Written out of time order: the export orders by posted at, not by insertion.
    for (const n of [5, 1, 3, 0, 4, 2, 6, 1]) {
      await inTransaction(database, (t) =>
        s.ledger.credit(t, c, { kind: 'earn', source: 'issuance', idempotencyKey: `k${n}-${Math.random()}`, at: hour(n), memo: n === 3 ? 'a, "quoted" memo' : undefined, legs: [{ to: { type: 'account', accountId: `acc_${n}` }, currency: 'pts', amount: BigInt(10 + n) }] }),
      );
    }
    if (name === 'Export test') ctx = c;
    else otherProgram = program.id;
  }
}, 60_000);
afterAll(() => database.close());

async function exportAll(from: Date, to: Date, chunkSize: number) {
  const chunks: LedgerExportRow[][] = [];
  const rows = await database.db.transaction((tx) => exportLedgerPostings(tx, ctx.programId, { from, to }, async (c) => void chunks.push(c), chunkSize), { isolationLevel: 'repeatable read', accessMode: 'read only' });
  return { rows, chunks };
}

describe('ledger export', () => {
  it('streams the postings of [from, to) of one program in chunks, ordered by posted at', async () => {
    const { rows, chunks } = await exportAll(hour(1), hour(5), 3);
    const flat = chunks.flat();
    // Hours 1 (twice), 2, 3 and 4: two legs each; hour 5 is the excluded end.
    expect(rows).toBe(10);
    expect(chunks.map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(flat.map((r) => r.posted_at)).toEqual([1, 1, 1, 1, 2, 2, 3, 3, 4, 4].map((n) => hour(n).toISOString()));
    expect(flat.every((r) => r.owner_type === 'system' || r.account_id === r.owner_id)).toBe(true);
    expect(flat.filter((r) => r.owner_type === 'account').map((r) => r.amount)).toEqual(['11', '11', '12', '13', '14']);
    expect(flat.find((r) => r.owner_type === 'account' && r.posted_at === hour(3).toISOString())).toMatchObject({ kind: 'earn', source: 'system:test', bucket: 'available', currency: 'pts', memo: 'a, "quoted" memo' });
    const keys = flat.map((r) => `${r.posted_at}|${r.transaction_id}|${r.posting_id!.padStart(10, '0')}`);
    expect(keys).toEqual([...keys].sort());
    expect(flat.map((r) => r.transaction_id)).not.toContain(undefined);

    const other = await database.db.transaction((tx) => exportLedgerPostings(tx, otherProgram, { from: hour(0), to: hour(99) }, async () => {}));
    expect(other).toBe(16);
  });

  it('answers 0 rows for an empty period and reads dates in the program time zone', async () => {
    expect((await exportAll(hour(100), hour(200), 5)).rows).toBe(0);
    await inTransaction(database, async (tx) => {
      expect((await resolvePeriodBound(tx, '2026-03-01', 'America/New_York')).toISOString()).toBe('2026-03-01T05:00:00.000Z');
      // 8 March 2026: daylight saving time starts in New York.
      expect((await resolvePeriodBound(tx, '2026-03-09', 'America/New_York')).toISOString()).toBe('2026-03-09T04:00:00.000Z');
      expect((await resolvePeriodBound(tx, '2026-03-01T10:00:00+02:00', 'America/New_York')).toISOString()).toBe('2026-03-01T08:00:00.000Z');
    });
  });
});
