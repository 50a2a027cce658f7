import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import type { DashboardView } from '../../contracts/reports.js';

const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
let other: TestProgram;
const month = new Date().toISOString().slice(0, 7);

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  other = await t.newProgram();
  const setup: [string, string, unknown, Record<string, string>?][] = [
    ['POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }],
    ['POST', '/roles', { code: 'sales', name: 'Sales' }],
    ['POST', '/accounts', { externalId: 'C-1', name: 'Aqua Service', type: 'dealer' }],
    ['POST', '/accounts', { externalId: 'C-2', name: 'Quiet Partner', type: 'dealer' }],
    ['POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Anna', role: 'sales' }],
    ['POST', '/accounts/ext:C-2/members', { externalId: 'E-2', name: 'Boris', role: 'sales' }],
    ['POST', '/rules', { name: '1 point per euro', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }] }],
    ['POST', '/events', { id: 'INV-1', type: 'purchase', occurredAt: new Date().toISOString(), accountId: 'ext:C-1', memberId: 'ext:E-1', amount: 100000, currency: 'EUR' }],
    ['POST', '/events', { id: 'INV-2', type: 'purchase', occurredAt: new Date().toISOString(), accountId: 'ext:C-1', amount: 50000, currency: 'EUR' }],
    ['POST', '/adjustments', { accountId: 'ext:C-2', currency: 'points', amount: 300, reason: 'Welcome bonus' }, { 'idempotency-key': 'adj-1' }],
    ['POST', '/adjustments', { accountId: 'ext:C-2', currency: 'points', amount: -100, reason: 'Correction' }, { 'idempotency-key': 'adj-2' }],
  ];
  for (const [method, url, body, headers] of setup) {
    const res = await t.call(p, method, `${API}${url}`, body, headers);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  }
  // The other program's activity must not show up in this one's figures.
  await t.call(other, 'POST', `${API}/currencies`, { code: 'points', name: 'Points', kind: 'points' });
  await t.call(other, 'POST', `${API}/accounts`, { externalId: 'X-1', name: 'Elsewhere', type: 'dealer' });
  await t.call(other, 'POST', `${API}/adjustments`, { accountId: 'ext:X-1', currency: 'points', amount: 9999, reason: 'Other program' }, { 'idempotency-key': 'adj-x' });
});
afterAll(() => t?.close());

describe('GET /reports/dashboard', () => {
  it('adds up issued, adjusted and outstanding value by month, and who was active', async () => {
    const res = await t.call(p, 'GET', `${API}/reports/dashboard?months=3`);
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json() as DashboardView;
    expect(d.accounts).toEqual({ total: 2, last30: 1, last90: 1 });
    expect(d.members).toEqual({ total: 2, last30: 1, last90: 1 });
    const points = d.months.filter((m) => m.currency === 'points');
    expect(points).toHaveLength(3);
    expect(points.map((m) => m.month).at(-1)).toBe(month);
    // 1000 + 500 points earned; +300 −100 adjusted; nothing redeemed or expired yet.
    expect(points.at(-1)).toMatchObject({ issued: 1500, adjusted: 200, redeemed: 0, expired: 0, outstanding: 1700 });
    expect(points[0]).toMatchObject({ issued: 0, outstanding: 0 });
    expect(d.topAccounts).toEqual([{ accountId: expect.any(String), externalId: 'C-1', name: 'Aqua Service', currency: 'points', earned: 1500 }]);
  });

  it('refuses unknown filters and out-of-range periods with field errors', async () => {
    for (const q of ['months=0', 'months=37', 'foo=1']) {
      const res = await t.call(p, 'GET', `${API}/reports/dashboard?${q}`);
      expect(res.statusCode, q).toBe(422);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('needs credentials', async () => {
    const res = await t.call(null, 'GET', `${API}/reports/dashboard`);
    expect(res.statusCode).toBe(401);
  });
});
