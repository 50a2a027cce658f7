import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../support/app.js';

/**
 * A company that switched employee incentives off (#14): nothing reaches its staff, by whatever
 * path value goes to a person — a rule's member or split award, a SPIFF on a sales claim, a course,
 * an allocation from the company wallet (portal or API). The company itself still earns.
 */
const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
let admin: TestSession;
const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `${API}${path}`, body, headers);
const points = async (path: string) => {
  const w = ((await api('GET', `${path}/wallets`)).json() as { currency: string; available: number; pending: number }[]).find((x) => x.currency === 'points');
  return w ? w.available + w.pending : 0;
};

beforeAll(async () => {
  t = await createTestApp({ testEndpoints: true });
  p = await t.newProgram();
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  await api('POST', '/roles', { code: 'sales', name: 'Sales' });
  await api('POST', '/accounts', { externalId: 'OFF', name: 'Opted Out', type: 'installer', employeeIncentives: false });
  await api('POST', '/accounts/ext:OFF/members', { externalId: 'M-ADMIN', name: 'Admin', role: 'sales', email: 'admin@off.test', partnerAdmin: true });
  await api('POST', '/accounts/ext:OFF/members', { externalId: 'M-1', name: 'Seller', role: 'sales' });
  await api('POST', '/adjustments', { accountId: 'ext:OFF', currency: 'points', amount: 5000, reason: 'Seed' }, { 'idempotency-key': 'seed' });
  for (const [name, eventType, to] of [
    ['member purchases', 'purchase', 'member'],
    ['split purchases', 'purchase', 'split'],
    ['SPIFF', 'sale_claimed', 'member'],
    ['training', 'training_completed', 'member'],
  ] as const) {
    const r = await api('POST', '/rules', { name, eventType, effects: [{ currency: 'points', to, amount: 100 }] });
    expect(r.statusCode, r.body).toBe(201);
  }
  admin = await t.loginMember('admin@off.test');
});
afterAll(() => t.close());

describe('employee incentives switched off', () => {
  it('rule awards to the member give nothing; a split goes all to the company', async () => {
    const company = await points('/accounts/ext:OFF');
    const r = await api('POST', '/events', { id: 'INV-1', type: 'purchase', occurredAt: new Date().toISOString(), accountId: 'ext:OFF', memberId: 'ext:M-1', amount: 1000, currency: 'EUR' });
    expect(r.statusCode, r.body).toBe(201);
    expect(await points('/members/ext:M-1')).toBe(0);
    expect(await points('/accounts/ext:OFF')).toBe(company + 100);
  });

  it('a sales claim approved for a member (a SPIFF) gives the member nothing', async () => {
    const c = await api('POST', '/claims', { kind: 'sale', accountId: 'ext:OFF', memberId: 'ext:M-1', invoice: { number: 'S-1', date: '2026-03-10', amount: 1000, currency: 'EUR', lines: [{ sku: 'WT-200', qty: 1, amount: 1000 }] } });
    expect(c.statusCode, c.body).toBe(201);
    expect((await api('POST', `/claims/${c.json().id}/submit`, {})).statusCode).toBe(200);
    expect((await api('POST', `/claims/${c.json().id}/approve`, {})).statusCode).toBe(200);
    expect(await points('/members/ext:M-1')).toBe(0);
  });

  it('a training completed by a member gives them nothing', async () => {
    const r = await api('POST', '/events', { id: 'TRAIN-1', type: 'training_completed', occurredAt: new Date().toISOString(), accountId: 'ext:OFF', memberId: 'ext:M-1' });
    expect(r.statusCode, r.body).toBe(201);
    expect(await points('/members/ext:M-1')).toBe(0);
  });

  it('no allocation from the company wallet to its staff, from the portal or the API', async () => {
    const member = (await api('GET', '/members/ext:M-1')).json();
    const portal = await t.callAs(admin, 'POST', `${API}/portal/transfers`, { toMemberId: member.id, currency: 'points', amount: 10 }, { headers: { 'idempotency-key': 'alloc-1' } });
    expect(portal.statusCode, portal.body).toBe(409);
    expect(portal.json().code).toBe('EMPLOYEE_INCENTIVES_OFF');
    const viaApi = await api('POST', '/transfers', { from: { accountId: 'ext:OFF' }, to: { memberId: 'ext:M-1' }, currency: 'points', amount: 10 }, { 'idempotency-key': 'alloc-2' });
    expect(viaApi.statusCode, viaApi.body).toBe(409);
    expect(viaApi.json().code).toBe('EMPLOYEE_INCENTIVES_OFF');
    expect(await points('/members/ext:M-1')).toBe(0);
  });
});
