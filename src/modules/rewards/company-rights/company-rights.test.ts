import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../../test/support/app.js';

/**
 * Rights inside a company (#14): what a role may take from its company's wallet in the portal,
 * the partner admin's approvals above the limits, and what the console sees.
 */
const API = '/api/v1';
let clock = new Date('2026-11-10T12:00:00Z');
let t: TestApp;
let p: TestProgram;
let admin: TestSession;
let rep: TestSession;
let engineer: TestSession;
let otherAdmin: TestSession;
let ids: { drill: string; kit: string; gloves: string; auto: string; admin: string; rep: string };

const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `${API}${path}`, body, headers);
const as = (s: TestSession, method: string, path: string, body?: unknown, headers?: Record<string, string>) => t.callAs(s, method, `${API}${path}`, body, { headers });
const company = async () => ((await api('GET', '/accounts/ext:C-1/wallets')).json() as { available: number; held: number }[])[0];
const stockOf = async (id: string) => (await api('GET', `/rewards/${id}`)).json().stock as number;
let n = 0;
const redeem = (s: TestSession, rewardId: string, qty = 1) => as(s, 'POST', '/portal/redemptions', { rewardId, qty, wallet: 'company' }, { 'idempotency-key': `k-${++n}` });
const messagesOf = async (memberId: string, key: string) =>
  ((await api('GET', `/members/${memberId}/messages?limit=500`)).json().items as { templateKey: string; channel: string }[]).filter((m) => m.templateKey === key && m.channel === 'inbox');

beforeAll(async () => {
  t = await createTestApp({ testEndpoints: true, now: () => clock });
  p = await t.newProgram();
  await api('PATCH', '/program', { timeZone: 'Europe/Paris' });
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  for (const code of ['owner', 'sales', 'engineer']) await api('POST', '/roles', { code, name: code });
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Aqua Install', type: 'installer' });
  await api('POST', '/accounts', { externalId: 'C-2', name: 'Other Co', type: 'installer' });
  const a = (await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Oksana Director', role: 'owner', email: 'oksana@aqua.test', partnerAdmin: true })).json();
  const r = (await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-2', name: 'Taras Sales', role: 'sales', email: 'taras@aqua.test' })).json();
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-3', name: 'Iryna Engineer', role: 'engineer', email: 'iryna@aqua.test' });
  await api('POST', '/accounts/ext:C-2/members', { externalId: 'E-9', name: 'Marc Other', role: 'owner', email: 'marc@other.test', partnerAdmin: true });
  await api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 100000, reason: 'Opening balance' }, { 'idempotency-key': 'seed-1' });
  const reward = async (body: Record<string, unknown>) => (await api('POST', '/rewards', { kind: 'gift', ...body })).json().id as string;
  ids = {
    drill: await reward({ name: 'Drill', category: 'tools', cost: { currency: 'points', amount: 3000 }, stock: 10 }),
    kit: await reward({ name: 'Tool kit', category: 'tools', cost: { currency: 'points', amount: 8000 }, stock: 5 }),
    gloves: await reward({ name: 'Gloves', category: 'clothing', cost: { currency: 'points', amount: 500 } }),
    auto: await reward({ name: 'Van wash', category: 'tools', cost: { currency: 'points', amount: 6000 }, autoApprove: true }),
    admin: a.id,
    rep: r.id,
  };
  admin = await t.loginMember('oksana@aqua.test');
  rep = await t.loginMember('taras@aqua.test');
  engineer = await t.loginMember('iryna@aqua.test');
  otherAdmin = await t.loginMember('marc@other.test');
});
afterAll(() => t.close());

describe('setting the rights of a role', () => {
  it('answers the defaults for a role never set: no redemption from the company wallet', async () => {
    const r = await api('GET', '/roles/sales/rights');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ role: 'sales', redeem: false, limits: [], rewards: 'all', updatedAt: null });
    expect((await api('GET', '/company-rights')).json().items.map((x: { role: string }) => x.role).sort()).toEqual(['engineer', 'owner', 'sales']);
  });

  it.each([
    ['an unknown role', 'nobody', { redeem: true }, 404, 'ROLE_NOT_FOUND'],
    ['an unknown currency', 'sales', { redeem: true, limits: [{ currency: 'miles', perMonth: 10 }] }, 422, 'CURRENCY_UNKNOWN'],
    ['a negative limit', 'sales', { redeem: true, limits: [{ currency: 'points', perMonth: -1 }] }, 422, undefined],
    ['a fraction', 'sales', { redeem: true, limits: [{ currency: 'points', perRedemption: 1.5 }] }, 422, undefined],
    ['a repeated currency', 'sales', { redeem: true, limits: [{ currency: 'points' }, { currency: 'points' }] }, 422, undefined],
    ['an empty reward list', 'sales', { redeem: true, rewards: {} }, 422, undefined],
    ['an unknown field', 'sales', { redeem: true, approver: 'me' }, 422, undefined],
    ['no redeem', 'sales', { limits: [] }, 422, undefined],
  ])('refuses %s and changes nothing', async (_, role, body, status, code) => {
    const r = await api('PUT', `/roles/${role}/rights`, body);
    expect(r.statusCode, r.body).toBe(status);
    expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    if (code) expect(r.json().code).toBe(code);
    expect((await api('GET', '/roles/sales/rights')).json().updatedAt).toBeNull();
  });

  it('sets and replaces limits per currency and the rewards a role may take', async () => {
    const put = await api('PUT', '/roles/sales/rights', { redeem: true, limits: [{ currency: 'points', perRedemption: 5000, perMonth: 12000 }], rewards: { categories: ['tools'], rewardIds: [ids.gloves] } });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ role: 'sales', redeem: true, limits: [{ currency: 'points', perRedemption: 5000, perMonth: 12000 }], rewards: { categories: ['tools'], rewardIds: [ids.gloves] } });
    expect((await api('GET', '/roles/sales/rights')).json()).toEqual(put.json());
    // Engineers may take only gloves, with no limit.
    expect((await api('PUT', '/roles/engineer/rights', { redeem: true, rewards: { rewardIds: [ids.gloves] } })).statusCode).toBe(200);
    expect((await as(rep, 'GET', '/portal/company-rights')).json()).toMatchObject({ role: 'sales', redeem: true, limits: [{ currency: 'points', perRedemption: 5000 }] });
    expect((await as(admin, 'GET', '/portal/company-rights')).json()).toMatchObject({ redeem: true, limits: [], rewards: 'all' });
  });
});

describe('redeeming from the company wallet', () => {
  it('refuses a role without the right with 403 COMPANY_WALLET_NOT_ALLOWED, and moves nothing', async () => {
    await api('PUT', '/roles/engineer/rights', { redeem: false });
    const before = await company();
    const r = await redeem(engineer, ids.gloves);
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json()).toMatchObject({ code: 'COMPANY_WALLET_NOT_ALLOWED', status: 403 });
    expect(await company()).toEqual(before);
    await api('PUT', '/roles/engineer/rights', { redeem: true, rewards: { rewardIds: [ids.gloves] } });
  });

  it('refuses a reward the role may not take with 403 COMPANY_WALLET_REWARD_NOT_ALLOWED', async () => {
    const r = await redeem(engineer, ids.drill);
    expect(r.statusCode, r.body).toBe(403);
    expect(r.json().code).toBe('COMPANY_WALLET_REWARD_NOT_ALLOWED');
    const ok = await redeem(engineer, ids.gloves);
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'requested', wallet: 'company' });
  });

  it('keeps another company\'s people out of the wallet', async () => {
    const r = await t.services.rewards.redemptions
      .redeem({ programId: p.programId, actor: { type: 'member', id: otherAdmin.id } }, { accountId: 'ext:C-1', rewardId: ids.gloves, qty: 1 }, 'outsider')
      .catch((e: { code: string }) => e.code);
    expect(r).toBe('FORBIDDEN');
  });

  it('a sales rep over the limit per redemption waits for approval; approving commits the held value', async () => {
    const before = await company();
    const stock = await stockOf(ids.kit);
    const r = await redeem(rep, ids.kit);
    expect(r.statusCode, r.body).toBe(201);
    const red = r.json();
    expect(red).toMatchObject({ status: 'pending_approval', wallet: 'company', cost: { amount: 8000 } });
    // Held exactly like a request: the value reserved, the stock taken.
    expect(await company()).toEqual({ ...before, available: before.available - 8000, held: before.held + 8000 });
    expect(await stockOf(ids.kit)).toBe(stock - 1);
    // The member sees it waiting; the partner admin is told and sees it under Approvals.
    const mine = (await as(rep, 'GET', '/portal/redemptions')).json().items;
    expect(mine[0]).toMatchObject({ id: red.id, status: 'pending_approval', wallet: 'company' });
    expect(await messagesOf(ids.admin, 'approval_needed')).toHaveLength(1);
    expect(await messagesOf(ids.rep, 'approval_needed')).toHaveLength(0);
    const list = (await as(admin, 'GET', '/portal/approvals')).json().items;
    expect(list).toEqual([expect.objectContaining({ id: red.id, requester: { id: ids.rep, name: 'Taras Sales', role: 'sales' }, cost: { currency: 'points', amount: 8000 }, reason: 'over the limit of 5000 points per redemption' })]);
    // The console sees it too.
    expect((await api('GET', '/redemptions?status=pending_approval')).json().items.map((x: { id: string }) => x.id)).toContain(red.id);
    // Only the partner admin decides.
    expect((await as(rep, 'GET', '/portal/approvals')).statusCode).toBe(403);
    expect((await as(rep, 'POST', `/portal/approvals/${red.id}/approve`, {})).statusCode).toBe(403);
    expect((await as(otherAdmin, 'POST', `/portal/approvals/${red.id}/approve`, {})).statusCode).toBe(404);
    expect((await api('POST', `/redemptions/${red.id}/approve`, {})).json().code).toBe('WRONG_STATE');

    const ok = await as(admin, 'POST', `/portal/approvals/${red.id}/approve`, { reason: 'for the Lyon site' }, { 'idempotency-key': 'ap-1' });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().status).toBe('requested');
    const again = await as(admin, 'POST', `/portal/approvals/${red.id}/approve`, { reason: 'for the Lyon site' }, { 'idempotency-key': 'ap-1' });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect((await as(admin, 'POST', `/portal/approvals/${red.id}/approve`, {})).json().code).toBe('WRONG_STATE');
    const view = (await api('GET', `/redemptions/${red.id}`)).json();
    expect(view.history.map((s: { status: string; by: { type: string; id: string } }) => [s.status, s.by.type, s.by.id])).toEqual([
      ['pending_approval', 'member', ids.rep],
      ['requested', 'member', ids.admin],
    ]);
    expect((await as(admin, 'GET', '/portal/approvals')).json().items).toEqual([]);
    // Then as any request: the program approves and fulfils, and the held value is spent.
    await api('POST', `/redemptions/${red.id}/approve`, {});
    await api('POST', `/redemptions/${red.id}/fulfil`, {});
    expect(await company()).toEqual({ ...before, available: before.available - 8000, held: before.held });
    const told = await messagesOf(ids.rep, 'redemption_status');
    expect(told.length).toBeGreaterThanOrEqual(2);
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });

  it('an approved reward that auto-approves goes straight to approved', async () => {
    const r = (await redeem(rep, ids.auto)).json();
    expect(r.status).toBe('pending_approval');
    const ok = await as(admin, 'POST', `/portal/approvals/${r.id}/approve`, {});
    expect(ok.json().status).toBe('approved');
    expect((await api('GET', `/redemptions/${r.id}`)).json().history.map((s: { status: string }) => s.status)).toEqual(['pending_approval', 'requested', 'approved']);
    await api('POST', `/redemptions/${r.id}/cancel`, {});
  });

  it('refusing releases the hold and returns the stock; the member is told why', async () => {
    const before = await company();
    const stock = await stockOf(ids.kit);
    const r = (await redeem(rep, ids.kit)).json();
    expect(r.status).toBe('pending_approval');
    expect((await as(admin, 'POST', `/portal/approvals/${r.id}/refuse`, {})).statusCode).toBe(422);
    const no = await as(admin, 'POST', `/portal/approvals/${r.id}/refuse`, { reason: 'Not this quarter' });
    expect(no.statusCode, no.body).toBe(200);
    expect(no.json().status).toBe('rejected');
    expect(await company()).toEqual(before);
    expect(await stockOf(ids.kit)).toBe(stock);
    const view = (await api('GET', `/redemptions/${r.id}`)).json();
    expect(view.history.at(-1)).toMatchObject({ status: 'rejected', by: { type: 'member', id: ids.admin }, reason: 'Not this quarter' });
    expect((await as(admin, 'POST', `/portal/approvals/${r.id}/approve`, {})).json().code).toBe('WRONG_STATE');
    expect(await inTransaction(t.database, (tx) => t.services.ledger.checkInvariants(tx, p.programId))).toEqual([]);
  });

  it('the console may cancel one that waits: the hold is released', async () => {
    const before = await company();
    const r = (await redeem(rep, ids.kit)).json();
    const c = await api('POST', `/redemptions/${r.id}/cancel`, { reason: 'member left' });
    expect(c.json().status).toBe('cancelled');
    expect(await company()).toEqual(before);
  });
});

describe('the monthly limit', () => {
  it('adds up what went through without approval in the calendar month of the program, and starts again next month', async () => {
    clock = new Date('2026-12-01T09:00:00Z'); // 10:00 in Paris: December
    // 12,000 a month: four drills at 3,000 fit, the fifth waits.
    const made = [];
    for (let i = 0; i < 4; i++) made.push((await redeem(rep, ids.drill)).json());
    expect(made.map((r) => r.status)).toEqual(['requested', 'requested', 'requested', 'requested']);
    const fifth = (await redeem(rep, ids.drill)).json();
    expect(fifth.status).toBe('pending_approval');
    expect((await api('GET', `/redemptions/${fifth.id}`)).json().history[0].reason).toBe('over the limit of 12000 points per month (12000 used)');
    // An approved one over the limit does not eat next redemptions' allowance; a cancelled one gives its share back.
    await as(admin, 'POST', `/portal/approvals/${fifth.id}/approve`, {});
    await api('POST', `/redemptions/${made[0].id}/cancel`, {});
    expect((await redeem(rep, ids.drill)).json().status).toBe('requested');
    expect((await redeem(rep, ids.gloves)).json().status).toBe('pending_approval');
    // 31 Dec 23:30 UTC is already January in Paris: a new month.
    clock = new Date('2026-12-31T23:30:00Z');
    expect((await redeem(rep, ids.drill)).json().status).toBe('requested');
    clock = new Date('2026-11-10T12:00:00Z');
  });
});
