import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createServices } from '../../services.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';

/**
 * Bulk grants over HTTP: the preview (counts, cost, exclusions with reasons) is what the run
 * grants; the same Idempotency-Key grants nothing more, nor does running the grant again; bad
 * input is a problem with the fields named; another program sees nothing; 2,000 recipients in
 * two chunks add up.
 */

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let n = 0;
const key = () => ({ 'idempotency-key': `gr-${n++}` });

async function api(method: string, url: string, body?: unknown, headers?: Record<string, string>, prog: TestProgram = p) {
  const r = await t.call(prog, method, `/api/v1${url}`, body, headers);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}
const available = async (ref: string, currency = 'points') => ((await api('GET', `${ref}/wallets`)) as { currency: string; available: number }[]).find((w) => w.currency === currency)?.available ?? 0;
type Recipient = { externalId: string; outcome: string; reason: string | null; transactionId: string | null; amount: number };
async function allRecipients(id: string): Promise<Recipient[]> {
  const out: Recipient[] = [];
  let cursor: string | null = null;
  do {
    const page = (await api('GET', `/grants/${id}/recipients?limit=500${cursor ? `&cursor=${cursor}` : ''}`)) as { items: Recipient[]; nextCursor: string | null };
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  other = await t.newProgram();
  for (const prog of [p, other]) await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, undefined, prog);
  await api('POST', '/roles', { code: 'sales', name: 'Sales' });
  await api('POST', '/roles', { code: 'tech', name: 'Technician' });
  for (const [ext, type, segment, region, extra] of [
    ['A-1', 'installer', 'smb', 'north', {}],
    ['A-2', 'installer', 'smb', 'south', {}],
    ['A-3', 'installer', 'enterprise', 'north', {}],
    ['A-4', 'dealer', 'smb', 'north', {}],
    ['A-5', 'installer', 'smb', 'north', { status: 'suspended' }],
    ['A-6', 'installer', 'smb', 'north', { employeeIncentives: false }],
  ] as const) {
    await api('POST', '/accounts', { externalId: ext, name: `Account ${ext}`, type, segment, region, attributes: { employees: Number(ext.slice(2)) * 10 }, ...extra });
  }
  for (const [ext, account, role, status] of [
    ['M-1', 'A-1', 'sales', null],
    ['M-2', 'A-1', 'tech', null],
    ['M-3', 'A-2', 'sales', 'left'],
    ['M-4', 'A-6', 'sales', null],
    ['M-5', 'A-5', 'sales', null],
    ['M-6', 'A-3', 'sales', 'inactive'],
  ] as const) {
    await api('POST', `/accounts/ext:${account}/members`, { externalId: ext, name: `Member ${ext}`, role, email: `${ext.toLowerCase()}@example.test` });
    if (status) await api('PATCH', `/members/ext:${ext}`, { status });
  }
  await api('POST', '/tiers', { code: 'gold', name: 'Gold', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 3 }, min: 500000 } });
  await api('PUT', '/accounts/ext:A-3/tier-override', { tier: 'gold', expiresAt: '2099-01-01T00:00:00Z', reason: 'Strategic' });
  await api('PUT', '/accounts/ext:A-4/tier-override', { tier: 'gold', expiresAt: '2099-01-01T00:00:00Z', reason: 'Strategic' });
  await api('POST', '/accounts', { externalId: 'X-1', name: 'Elsewhere', type: 'installer', segment: 'smb', region: 'north' }, undefined, other);
});
afterAll(() => t.close());

describe('preview', () => {
  it('counts, costs and lists who is excluded and why, writing nothing', async () => {
    const before = await t.database.db.execute(sql`select (select count(*) from grants)::int as g, (select count(*) from ledger_transactions)::int as l`);
    const r = await api('POST', '/grants/preview', { recipients: 'accounts', select: { types: ['installer'], regions: ['north'] }, currency: 'points', amount: 250, memo: 'Spring thank-you' });
    expect(r).toEqual({
      recipients: 'accounts',
      count: 3,
      cost: [{ currency: 'points', amount: 750 }],
      excluded: { total: 1, byReason: [{ reason: 'ACCOUNT_INACTIVE', count: 1 }], sample: [{ externalId: 'A-5', reason: 'ACCOUNT_INACTIVE' }] },
    });
    const after = await t.database.db.execute(sql`select (select count(*) from grants)::int as g, (select count(*) from ledger_transactions)::int as l`);
    expect(after.rows).toEqual(before.rows);
  });

  it('members: those who left, inactive ones, suspended companies and companies with employee incentives off are excluded', async () => {
    const r = await api('POST', '/grants/preview', { recipients: 'members', select: { roles: ['sales'] }, currency: 'points', amount: 100, memo: 'Sales push' });
    expect(r.count).toBe(1);
    expect(r.excluded.sample).toEqual([
      { externalId: 'M-3', reason: 'MEMBER_LEFT' },
      { externalId: 'M-4', reason: 'EMPLOYEE_INCENTIVES_OFF' },
      { externalId: 'M-5', reason: 'ACCOUNT_INACTIVE' },
      { externalId: 'M-6', reason: 'MEMBER_INACTIVE' },
    ]);
  });

  it('a list names unknown ids; a tier and a JsonLogic filter select as they say', async () => {
    const list = await api('POST', '/grants/preview', { recipients: 'accounts', select: { externalIds: ['A-2', 'NOPE', 'A-2', 'X-1'] }, currency: 'points', amount: 10, memo: 'List' });
    expect(list.count).toBe(1);
    expect(list.excluded.sample).toEqual([
      { externalId: 'NOPE', reason: 'UNKNOWN_ID' },
      { externalId: 'X-1', reason: 'UNKNOWN_ID' },
    ]);
    const gold = await api('POST', '/grants/preview', { recipients: 'accounts', select: { tier: 'gold' }, currency: 'points', amount: 10, memo: 'Gold' });
    expect(gold.count).toBe(2);
    const logic = await api('POST', '/grants/preview', { recipients: 'accounts', select: { filter: { and: [{ '>=': [{ var: 'account.attributes.employees' }, 30] }, { '==': [{ var: 'account.tier' }, 'gold'] }] } }, currency: 'points', amount: 10, memo: 'Big gold' });
    expect(logic.count).toBe(2);
    const members = await api('POST', '/grants/preview', { recipients: 'members', select: { filter: { '==': [{ var: 'member.role' }, 'tech'] } }, currency: 'points', amount: 10, memo: 'Techs' });
    expect(members.count).toBe(1);
  });
});

describe('run', () => {
  it('grants exactly what the preview said; the same key and a second run grant nothing more', async () => {
    const body = { recipients: 'accounts', select: { segments: ['smb'] }, currency: 'points', amount: 300, memo: 'Q2 goodwill' };
    const preview = await api('POST', '/grants/preview', body);
    const before = await Promise.all(['A-1', 'A-2', 'A-4', 'A-6'].map((a) => available(`/accounts/ext:${a}`)));
    const headers = key();
    const created = await t.call(p, 'POST', '/api/v1/grants', body, headers);
    expect(created.statusCode, created.body).toBe(202);
    const g = created.json();
    expect(g).toMatchObject({ status: 'queued', count: preview.count, excluded: preview.excluded.total, cost: preview.cost });
    await t.services.grants.idle();
    const done = await api('GET', `/grants/${g.id}`);
    expect(done).toMatchObject({ status: 'completed', processed: preview.count, count: preview.count });
    const after = await Promise.all(['A-1', 'A-2', 'A-4', 'A-6'].map((a) => available(`/accounts/ext:${a}`)));
    expect(after.map((v, i) => v - before[i])).toEqual([300, 300, 300, 300]);
    expect(await available('/accounts/ext:A-5')).toBe(0);
    const recipients = await allRecipients(g.id);
    expect(recipients.filter((r) => r.outcome === 'granted').length).toBe(preview.count);
    expect(recipients.find((r) => r.externalId === 'A-5')).toMatchObject({ outcome: 'excluded', reason: 'ACCOUNT_INACTIVE', amount: 0, transactionId: null });

    const replay = await t.call(p, 'POST', '/api/v1/grants', body, headers);
    expect(replay.statusCode).toBe(200);
    expect(replay.headers['idempotent-replay']).toBe('true');
    expect(replay.json().id).toBe(g.id);
    expect(await t.services.grants.run(p.programId, g.id)).toEqual({ granted: 0 });
    await t.services.grants.runPending();
    await t.services.grants.idle();
    expect(await Promise.all(['A-1', 'A-2', 'A-4', 'A-6'].map((a) => available(`/accounts/ext:${a}`)))).toEqual(after);

    const reused = await t.call(p, 'POST', '/api/v1/grants', { ...body, amount: 301 }, headers);
    expect(reused.statusCode).toBe(409);

    const listed = await api('GET', '/grants');
    expect(listed.items.map((i: { id: string }) => i.id)).toContain(g.id);
    const audit = await t.database.db.execute(sql`select action from audit_log where program_id = ${p.programId} and object_id = ${g.id} order by id`);
    expect(audit.rows.map((r) => r.action)).toEqual(['grant.created', 'grant.completed']);
  });

  it('members get the value in their own wallets; an expiry is kept on the lots', async () => {
    const r = await t.call(p, 'POST', '/api/v1/grants', { recipients: 'members', select: { externalIds: ['M-1', 'M-2', 'M-3'] }, currency: 'points', amount: 40, memo: 'Staff', expiresAt: '2099-06-30T00:00:00Z' }, key());
    expect(r.statusCode, r.body).toBe(202);
    await t.services.grants.idle();
    expect(await available('/members/ext:M-1')).toBe(40);
    expect(await available('/members/ext:M-2')).toBe(40);
    expect(await available('/members/ext:M-3')).toBe(0);
    const lots = await t.database.db.execute(sql`select distinct l.expires_at from lots l join ledger_transactions x on x.id = l.transaction_id where x.metadata->>'grantId' = ${r.json().id}`);
    expect(lots.rows.map((x) => new Date(String(x.expires_at)).toISOString())).toEqual(['2099-06-30T00:00:00.000Z']);
  });

  it('2,000 recipients in two chunks: totals add up and a rerun grants nothing', async () => {
    const q = await t.newProgram('Many');
    const call = (m: string, u: string, b?: unknown, h?: Record<string, string>) => t.call(q, m, `/api/v1${u}`, b, h);
    await call('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
    await t.database.db.execute(sql`
      insert into accounts (id, program_id, external_id, name, type, segment)
      select 'acc_bulk_' || i, ${q.programId}, 'B-' || lpad(i::text, 5, '0'), 'Bulk ' || i, 'installer', case when i % 10 = 0 then 'other' else 'smb' end
      from generate_series(1, 2222) as i`);
    const body = { recipients: 'accounts', select: { segments: ['smb'] }, currency: 'points', amount: 7, memo: 'Bulk' };
    const preview = (await call('POST', '/grants/preview', body)).json();
    expect(preview.count).toBe(2000);
    const g = (await call('POST', '/grants', body, { 'idempotency-key': 'many' })).json();
    await t.services.grants.idle();
    expect(await t.services.grants.run(q.programId, g.id)).toEqual({ granted: 0 });
    const sums = await t.database.db.execute(sql`
      select count(*)::int as wallets, coalesce(sum(available), 0)::bigint::text as total from wallets where program_id = ${q.programId} and owner_type = 'account' and currency = 'points'`);
    expect(sums.rows[0]).toEqual({ wallets: 2000, total: String(preview.cost[0].amount) });
    const unbalanced = await t.database.db.execute(sql`
      select p.transaction_id from postings p join ledger_transactions x on x.id = p.transaction_id
      where x.program_id = ${q.programId} group by p.transaction_id having sum(p.amount) <> 0`);
    expect(unbalanced.rows).toEqual([]);
    expect((await call('GET', `/grants/${g.id}`)).json()).toMatchObject({ status: 'completed', processed: 2000, count: 2000, excluded: 0 });
  });
});

describe('resuming', () => {
  it('a server stopping mid-run leaves the grant running; the scheduled job runs it on and grants each recipient once', async () => {
    const q = await t.newProgram('Resumed');
    await t.call(q, 'POST', '/api/v1/currencies', { code: 'points', name: 'Points', kind: 'points' });
    await t.database.db.execute(sql`
      insert into accounts (id, program_id, external_id, name, type)
      select 'acc_rs_' || i, ${q.programId}, 'R-' || lpad(i::text, 5, '0'), 'Resumed ' || i, 'installer'
      from generate_series(1, 2500) as i`);
    const stopping = createServices(t.database);
    const ctx = { programId: q.programId, actor: { type: 'system' as const, id: 'resume-test' } };
    const g = await stopping.grants.create(ctx, { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 3, memo: 'Resume' }, 'resume');
    await stopping.grants.stop();
    const half = (await t.call(q, 'GET', `/api/v1/grants/${g.body.id}`)).json();
    expect(half.processed).toBeLessThan(2500);
    expect(['queued', 'running']).toContain(half.status);
    const report = await t.services.grants.runPending();
    expect(report.granted).toBe(2500 - half.processed);
    expect((await t.call(q, 'GET', `/api/v1/grants/${g.body.id}`)).json()).toMatchObject({ status: 'completed', processed: 2500 });
    const sums = await t.database.db.execute(sql`select count(*)::int as n, sum(available)::bigint::text as total from wallets where program_id = ${q.programId} and owner_type = 'account'`);
    expect(sums.rows[0]).toEqual({ n: 2500, total: '7500' });
  });
});

describe('bad input', () => {
  const bad: [string, Record<string, unknown>, Record<string, string> | undefined, number, string, string][] = [
    ['empty selection', { recipients: 'accounts', select: {}, currency: 'points', amount: 1, memo: 'x' }, undefined, 422, 'VALIDATION_FAILED', 'select'],
    ['unknown field', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 1, memo: 'x', extra: 1 }, undefined, 422, 'VALIDATION_FAILED', ''],
    ['fractional amount', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 1.5, memo: 'x' }, undefined, 422, 'VALIDATION_FAILED', 'amount'],
    ['zero amount', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 0, memo: 'x' }, undefined, 422, 'VALIDATION_FAILED', 'amount'],
    ['unknown currency', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'gold', amount: 1, memo: 'x' }, undefined, 422, 'GRANT_CURRENCY_UNKNOWN', 'currency'],
    ['roles for accounts', { recipients: 'accounts', select: { roles: ['sales'] }, currency: 'points', amount: 1, memo: 'x' }, undefined, 422, 'GRANT_INVALID', 'select.roles'],
    ['bad JsonLogic', { recipients: 'accounts', select: { filter: { nope: [1] } }, currency: 'points', amount: 1, memo: 'x' }, undefined, 422, 'GRANT_INVALID', 'select.filter'],
    ['past expiry', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 1, memo: 'x', expiresAt: '2000-01-01T00:00:00Z' }, undefined, 422, 'GRANT_INVALID', 'expiresAt'],
    ['nobody reached', { recipients: 'accounts', select: { types: ['nobody'] }, currency: 'points', amount: 1, memo: 'x' }, undefined, 422, 'GRANT_NO_RECIPIENTS', 'select'],
  ];
  it.each(bad)('%s → problem with the field', async (_name, body, _h, status, code, path) => {
    const r = await t.call(p, 'POST', '/api/v1/grants', body, key());
    expect(r.statusCode, r.body).toBe(status);
    expect(r.headers['content-type']).toContain('application/problem+json');
    const problem = r.json();
    expect(problem.code).toBe(code);
    if (path) expect(problem.errors.map((e: { path: string }) => e.path)).toContain(path);
  });

  it('no Idempotency-Key → 422 naming the header, nothing created', async () => {
    const before = (await api('GET', '/grants')).items.length;
    const r = await t.call(p, 'POST', '/api/v1/grants', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 1, memo: 'x' });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', errors: [{ path: 'headers.idempotency-key' }] });
    expect((await api('GET', '/grants')).items.length).toBe(before);
  });

  it('another program neither sees the grants nor reaches these accounts', async () => {
    const mine = (await api('GET', '/grants')).items[0].id as string;
    expect((await t.call(other, 'GET', `/api/v1/grants/${mine}`)).statusCode).toBe(404);
    expect((await t.call(other, 'GET', `/api/v1/grants/${mine}/recipients`)).statusCode).toBe(404);
    expect((await api('GET', '/grants', undefined, undefined, other)).items).toEqual([]);
    const r = await api('POST', '/grants/preview', { recipients: 'accounts', select: { externalIds: ['A-1'] }, currency: 'points', amount: 1, memo: 'x' }, undefined, other);
    expect(r).toMatchObject({ count: 0, excluded: { total: 1, sample: [{ externalId: 'A-1', reason: 'UNKNOWN_ID' }] } });
  });

  it('a viewer may see grants but neither preview nor run one', async () => {
    const viewer = await t.loginAs(p, 'viewer');
    expect((await t.callAs(viewer, 'GET', '/api/v1/grants')).statusCode).toBe(200);
    expect((await t.callAs(viewer, 'POST', '/api/v1/grants', { recipients: 'accounts', select: { types: ['installer'] }, currency: 'points', amount: 1, memo: 'x' }, { headers: { 'idempotency-key': 'viewer' } })).statusCode).toBe(403);
  });
});
