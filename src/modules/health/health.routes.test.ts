import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDue } from '../../jobs/run-due.js';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../test/support/app.js';

/**
 * Account health over HTTP on a fixed clock (PGlite, and PostgreSQL with DATABASE_URL): purchase
 * cycles kept on each purchase, the status moving as days pass, the daily job's snapshot and the
 * list by risk, the account managers' digest in the development mailbox, bad input, scope.
 */
const DAY = 86_400_000;
let clock = new Date('2026-06-01T12:00:00Z');
let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let manager: TestSession;
let n = 0;

async function api(method: string, url: string, body?: unknown, prog: TestProgram = p) {
  const r = await t.call(prog, method, `/api/v1${url}`, body);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}
const purchase = (account: string, amount: number, occurredAt: Date, prog: TestProgram = p) =>
  api('POST', '/events', { id: `HP-${n++}`, type: 'purchase', occurredAt: occurredAt.toISOString(), accountId: `ext:${account}`, amount, currency: 'EUR' }, prog);
const daysAgo = (d: number) => new Date(clock.getTime() - d * DAY);

beforeAll(async () => {
  t = await createTestApp({ now: () => clock, services: { devMailbox: true } });
  p = await t.newProgram();
  other = await t.newProgram();
  manager = await t.loginAs(p, 'account_manager', { email: 'claire@health.test' });
  await api('POST', '/accounts', { externalId: 'WEEKLY', name: 'Weekly Plumbing', type: 'installer', segment: 'smb', managerId: manager.id });
  await api('POST', '/accounts', { externalId: 'LATE', name: 'Late Heating', type: 'installer', segment: 'smb', managerId: manager.id });
  await api('POST', '/accounts', { externalId: 'NEW', name: 'New Pipes', type: 'installer', segment: 'smb' });
  await api('POST', '/accounts', { externalId: 'NONE', name: 'Never Bought', type: 'dealer' });
  await api('POST', '/accounts', { externalId: 'ELSE', name: 'Other program', type: 'installer' }, other);
  // Weekly: every 7 days for 20 weeks, the last one 3 days ago.
  for (let w = 19; w >= 0; w--) await purchase('WEEKLY', 1000, daysAgo(3 + w * 7));
  // Late: every 10 days for 10 purchases, the last one 40 days ago; it bought more before than lately.
  for (let k = 9; k >= 0; k--) await purchase('LATE', k >= 5 ? 5000 : 1000, daysAgo(40 + k * 10));
  // New: 2 purchases only, out of order.
  await purchase('NEW', 700, daysAgo(9));
  await purchase('NEW', 700, daysAgo(30));
  await purchase('ELSE', 700, daysAgo(30), other);
});
afterAll(() => t.close());

describe('account health', () => {
  it('keeps each account’s cycle on every purchase and answers its health with the documented fields', async () => {
    const h = await api('GET', '/accounts/ext:WEEKLY/health');
    expect(h).toMatchObject({
      nps: null,
      purchaseCycle: { medianDays: 7, p80Days: 7, p90Days: 7, daysSinceLast: 3, status: 'ok', purchases: 20, source: 'own' },
      churnRisk: { score: 0, atRisk: false, reasons: [] },
      revenueAtRisk: 0,
      openTasks: 0,
    });
    expect(h.purchaseCycle.intervals).toHaveLength(19);
    const late = await api('GET', '/accounts/ext:LATE/health');
    expect(late.purchaseCycle).toMatchObject({ medianDays: 10, daysSinceLast: 40, status: 'lapsed' });
    expect(late.churnRisk.reasons.map((r: { code: string }) => r.code)).toContain('lapsed');
    expect(late.churnRisk.atRisk).toBe(true);
    expect(late.revenueAtRisk).toBe(late.spend.trailing12m);
    expect(late.revenueAtRisk).toBeGreaterThan(0);
  });

  it('uses the segment’s cycle for an account with fewer than 3 purchases, and none for an account that never bought', async () => {
    const h = await api('GET', '/accounts/ext:NEW/health');
    expect(h.purchaseCycle).toMatchObject({ purchases: 2, source: 'segment', daysSinceLast: 9, intervals: [21] });
    expect((await api('GET', '/accounts/ext:NONE/health')).purchaseCycle).toMatchObject({ purchases: 0, source: 'none', status: 'ok', daysSinceLast: null });
  });

  it('moves the status as days pass (lapsed past its own cycle) and back to ok on a purchase', async () => {
    const saved = clock;
    clock = new Date(saved.getTime() + 5 * DAY);
    expect((await api('GET', '/accounts/ext:WEEKLY/health')).purchaseCycle).toMatchObject({ daysSinceLast: 8, status: 'lapsed' });
    await purchase('WEEKLY', 1000, clock);
    expect((await api('GET', '/accounts/ext:WEEKLY/health')).purchaseCycle).toMatchObject({ daysSinceLast: 0, status: 'ok', purchases: 21 });
    clock = saved;
  });

  it('stores a daily snapshot that the list by risk reads, with filters and a cursor, and sends the manager a digest', async () => {
    const report = await runDue(t.services, clock);
    expect(report.errors).toEqual([]);
    expect(report.health).toMatchObject({ ran: true });
    const list = await api('GET', '/health/accounts');
    expect(list.items[0]).toMatchObject({ accountId: expect.any(String), name: 'Late Heating', status: 'lapsed' });
    expect(list.revenueAtRisk).toBe(list.items[0].revenueAtRisk);
    expect((await api('GET', '/health/accounts?status=lapsed')).items.map((i: { name: string }) => i.name)).toEqual(['Late Heating']);
    expect((await api('GET', '/health/accounts?minScore=100')).items).toEqual([]);
    expect((await api('GET', '/health/accounts?segment=smb')).items.map((i: { name: string }) => i.name).sort()).toEqual(['Late Heating', 'New Pipes', 'Weekly Plumbing']);
    const first = await api('GET', '/health/accounts?limit=1');
    expect(first.items).toHaveLength(1);
    const second = await api('GET', `/health/accounts?limit=1&cursor=${first.nextCursor}`);
    expect(second.items[0].accountId).not.toBe(first.items[0].accountId);
    // The other program's accounts are not listed.
    expect((await api('GET', '/health/accounts', undefined, other)).items.map((i: { name: string }) => i.name)).toEqual(['Other program']);

    // The digest: one e-mail to the account manager, in the development mailbox, naming the account at risk.
    const box = (await api('GET', '/messaging/dev-mailbox')).items as { to: string; subject: string; text: string }[];
    const mail = box.filter((m) => m.to === 'claire@health.test');
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toContain('1 account(s) at risk');
    expect(mail[0].text).toContain('Late Heating');
    expect(mail[0].text).not.toContain('Weekly Plumbing');
    // Run again the same day: no second digest.
    await t.services.health.sendDigests(clock);
    await runDue(t.services, new Date(clock.getTime() + 60_000));
    expect(((await api('GET', '/messaging/dev-mailbox')).items as { to: string }[]).filter((m) => m.to === 'claire@health.test')).toHaveLength(1);
  });

  it('keeps an account manager to their own accounts', async () => {
    const list = (await t.callAs(manager, 'GET', '/api/v1/health/accounts')).json();
    expect(list.items.map((i: { name: string }) => i.name).sort()).toEqual(['Late Heating', 'Weekly Plumbing']);
    expect((await t.callAs(manager, 'GET', '/api/v1/accounts/ext:NEW/health')).statusCode).toBe(404);
    expect((await t.callAs(manager, 'GET', '/api/v1/accounts/ext:LATE/health')).statusCode).toBe(200);
  });

  it('refuses bad input with 422, and an unknown account with 404', async () => {
    for (const q of ['minScore=101', 'minScore=3.5', 'status=gone', 'limit=0', 'cursor=%00', 'color=red']) {
      const r = await t.call(p, 'GET', `/api/v1/health/accounts?${q}`);
      expect(r.statusCode, q).toBe(422);
    }
    expect((await t.call(p, 'GET', '/api/v1/accounts/ext:NOPE/health')).statusCode).toBe(404);
    expect((await t.call(other, 'GET', '/api/v1/accounts/ext:LATE/health')).statusCode).toBe(404);
  });
});
