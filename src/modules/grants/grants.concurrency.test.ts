import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createServices } from '../../services.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';

/**
 * Two servers, five runners, one grant: the grant's own background run and four more on a
 * second service instance (on PostgreSQL each with its own connections, really concurrent) work
 * on the same grant at once. Each recipient is granted exactly once. A recipient row put back to
 * `pending` (as if its mark were lost) is granted nothing more: the ledger's key answers it.
 */

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('concurrent runs of one grant', () => {
  it('grant each recipient exactly once', async () => {
    const p = await t.newProgram('Granters');
    const call = (m: string, u: string, b?: unknown, h?: Record<string, string>) => t.call(p, m, `/api/v1${u}`, b, h);
    await call('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
    await t.database.db.execute(sql`
      insert into accounts (id, program_id, external_id, name, type)
      select 'acc_cc_' || i, ${p.programId}, 'C-' || lpad(i::text, 5, '0'), 'Company ' || i, 'installer'
      from generate_series(1, 3500) as i`);
    const created = await call('POST', '/grants', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 11, memo: 'Together' }, { 'idempotency-key': 'cc' });
    expect(created.statusCode, created.body).toBe(202);
    const id = created.json().id as string;

    const second = createServices(t.database);
    const runs = await Promise.all([t.services.grants.idle().then(() => ({ granted: 0 })), ...Array.from({ length: 4 }, () => second.grants.run(p.programId, id)), t.services.grants.run(p.programId, id)]);
    await t.services.grants.idle();
    const total = runs.reduce((s, r) => s + r.granted, 0);
    expect(total).toBeLessThanOrEqual(3500);

    const check = async () =>
      (
        await t.database.db.execute(sql`
          select (select count(*) from wallets where program_id = ${p.programId} and owner_type = 'account')::int as wallets,
            (select count(*) from wallets where program_id = ${p.programId} and owner_type = 'account' and available <> 11)::int as off,
            (select count(*) from ledger_transactions where program_id = ${p.programId} and metadata->>'grantId' = ${id})::int as txns,
            (select count(*) from grant_recipients where program_id = ${p.programId} and grant_id = ${id} and outcome = 'granted')::int as granted`)
      ).rows[0];
    expect(await check()).toEqual({ wallets: 3500, off: 0, txns: 3500, granted: 3500 });
    expect((await call('GET', `/grants/${id}`)).json()).toMatchObject({ status: 'completed', processed: 3500 });
    const audit = await t.database.db.execute(sql`select count(*)::int as n from audit_log where program_id = ${p.programId} and object_id = ${id} and action = 'grant.completed'`);
    expect(audit.rows[0].n).toBe(1);

    // A lost mark: the row is pending again, the grant running again; the run replays the ledger's answer.
    await t.database.db.execute(sql`update grant_recipients set outcome = 'pending', transaction_id = null where program_id = ${p.programId} and grant_id = ${id} and seq < 10`);
    await t.database.db.execute(sql`update grants set status = 'running' where program_id = ${p.programId} and id = ${id}`);
    await Promise.all([second.grants.runPending(), t.services.grants.runPending()]);
    expect(await check()).toEqual({ wallets: 3500, off: 0, txns: 3500, granted: 3500 });
    expect((await call('GET', `/grants/${id}`)).json()).toMatchObject({ status: 'completed', processed: 3500 });
  });
});
