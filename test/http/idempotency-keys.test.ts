import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../support/app.js';

/**
 * Value moves only with an Idempotency-Key (docs/api.md): a transfer or a portal redemption
 * retried after a lost answer must never move value twice, and no API caller may use the
 * portal's `portal:` namespace to replay or block what a member did.
 */
const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
let member: TestSession;
let rewardId: string;
const transfer = { from: { accountId: 'ext:C-1' }, to: { memberId: 'ext:E-1' }, currency: 'points', amount: 10 };
const api = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => t.call(p, method, `${API}${path}`, body, headers);
const balance = async () => (await api('GET', '/accounts/ext:C-1/wallets')).json()[0].available as number;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api('POST', '/roles', { code: 'sales', name: 'Sales' });
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Aqua Install', type: 'installer' });
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Taras', role: 'sales', email: 'taras@aqua.test' });
  await api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 1000, reason: 'Opening' }, { 'idempotency-key': 'seed-1' });
  await api('POST', '/adjustments', { memberId: 'ext:E-1', currency: 'points', amount: 1000, reason: 'Opening' }, { 'idempotency-key': 'seed-2' });
  rewardId = (await api('POST', '/rewards', { name: 'Thermos', kind: 'gift', cost: { currency: 'points', amount: 100 }, stock: 5 })).json().id;
  member = await t.loginMember('taras@aqua.test');
});
afterAll(() => t.close());

describe('Idempotency-Key where value moves', () => {
  it('POST /transfers requires a key: 422 IDEMPOTENCY_KEY_REQUIRED, nothing moved', async () => {
    const before = await balance();
    const r = await api('POST', '/transfers', transfer);
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', errors: [{ path: 'headers.idempotency-key' }] });
    expect(await balance()).toBe(before);
    const first = await api('POST', '/transfers', transfer, { 'idempotency-key': 't-1' });
    const again = await api('POST', '/transfers', transfer, { 'idempotency-key': 't-1' });
    expect([first.statusCode, again.statusCode, again.headers['idempotent-replay']]).toEqual([201, 200, 'true']);
    expect(await balance()).toBe(before - 10);
  });

  it.each([
    ['POST /adjustments', '/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 5, reason: 'Goodwill' }],
    ['POST /transfers', '/transfers', transfer],
    ['POST /redemptions', '/redemptions', { memberId: 'ext:E-1', rewardId: 'rwd_x', qty: 1 }],
  ])('%s refuses a key in the portal: namespace with 422', async (_label, path, body) => {
    const before = await balance();
    const r = await api('POST', path, path === '/redemptions' ? { ...body, rewardId } : body, { 'idempotency-key': `portal:${member.id}:k-1` });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: 'headers.idempotency-key', message: expect.stringContaining('portal:') }] });
    expect(await balance()).toBe(before);
  });

  it('a member key cannot replay an integrator transfer, and an integrator key cannot block a member', async () => {
    // The portal prefixes its keys with portal:<memberId>:, so the same key text never meets the API's.
    await api('POST', '/transfers', transfer, { 'idempotency-key': 'shared-text' });
    const redeemed = await t.callAs(member, 'POST', `${API}/portal/redemptions`, { rewardId, qty: 1 }, { headers: { 'idempotency-key': 'shared-text' } });
    expect(redeemed.statusCode).toBe(201);
  });

  it('POST /portal/redemptions requires a key: 422, nothing held', async () => {
    const wallet = async () => (await t.callAs(member, 'GET', `${API}/portal/wallets`)).json().items[0];
    const before = await wallet();
    const r = await t.callAs(member, 'POST', `${API}/portal/redemptions`, { rewardId, qty: 1 });
    expect(r.statusCode).toBe(422);
    expect(r.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', errors: [{ path: 'headers.idempotency-key' }] });
    expect(await wallet()).toEqual(before);
    const first = await t.callAs(member, 'POST', `${API}/portal/redemptions`, { rewardId, qty: 1 }, { headers: { 'idempotency-key': 'tap-1' } });
    const retry = await t.callAs(member, 'POST', `${API}/portal/redemptions`, { rewardId, qty: 1 }, { headers: { 'idempotency-key': 'tap-1' } });
    expect([first.statusCode, retry.statusCode, retry.json().id]).toEqual([201, 200, first.json().id]);
    expect((await wallet()).held).toBe(before.held + 100);
  });
});
