import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, type Database } from '../../db/database.js';
import type { RequestContext } from '../../lib/context.js';
import { createServices, type Services } from '../../services.js';
import { createTestDatabase } from '../../../test/support/database.js';

/** A currency's `expiry.months` counts calendar months in the program's time zone, clamped to the month's end. */
let database: Database;
let s: Services;
let n = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  s = createServices(database);
});
afterAll(() => database.close());

async function expiryOf(timeZone: string, at: string, months: number): Promise<string> {
  const { program } = await s.programs.createProgram({ name: `Months ${n}` });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'test' } };
  await s.programs.updateProgram(ctx, { timeZone });
  await s.programs.createCurrency(ctx, { code: 'pts', name: 'Points', kind: 'points', expiry: { months } });
  await inTransaction(database, (t) =>
    s.ledger.credit(t, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: `m${n++}`, at: new Date(at), legs: [{ to: { type: 'account', accountId: 'acc_1' }, currency: 'pts', amount: 10n }] }),
  );
  const res = await database.db.execute(sql`select expires_at from lots where program_id = ${program.id}`);
  return new Date(String(res.rows[0].expires_at)).toISOString();
}

describe('expiry months', () => {
  it.each([
    ['UTC', '2026-08-31T10:00:00.000Z', 6, '2027-02-28T10:00:00.000Z'],
    ['UTC', '2027-08-31T10:00:00.000Z', 6, '2028-02-29T10:00:00.000Z'],
    // Aug 31 23:30 in Paris is Aug 31 there (and Aug 31 21:30 UTC): Feb 28 23:30 Paris time, one hour less offset in winter.
    ['Europe/Paris', '2026-08-31T21:30:00.000Z', 6, '2027-02-28T22:30:00.000Z'],
  ])('in %s, %s + %i months → %s', async (zone, at, months, expected) => {
    expect(await expiryOf(zone, at, months)).toBe(expected);
  });
});
