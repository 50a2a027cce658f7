import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { runDue } from '../../jobs/run-due.js';
import type { RequestContext } from '../../lib/context.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';

/** `points_expiring`: the daily run warns of value expiring within the program's window, once per member, wallet and day. */

let t: TestApp;
const T0 = new Date('2026-06-01T08:00:00Z');
const day = (n: number) => new Date(T0.getTime() + n * 86_400_000);
let n = 0;

beforeAll(async () => {
  t = await createTestApp({ now: () => T0 });
});
afterAll(() => t.close());

describe('points_expiring', () => {
  it('queues one message per member and expiry day with amount and date, exactly once, company wallets to the admins, within expiringDays', async () => {
    const p = await t.newProgram('Expiring');
    const api = async (method: string, url: string, body?: unknown) => t.call(p, method, `/api/v1${url}`, body);
    await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
    await api('POST', '/roles', { code: 'sales', name: 'Sales' });
    const acc = (await api('POST', '/accounts', { externalId: 'C-1', name: 'Acme', type: 'dealer' })).json();
    const ana = (await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Ana', role: 'sales' })).json();
    const boss = (await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-2', name: 'Boss', role: 'sales', partnerAdmin: true })).json();
    const ctx: RequestContext = { programId: p.programId, actor: { type: 'system', id: 'test' } };
    const credit = (to: { type: 'member'; memberId: string; accountId: string } | { type: 'account'; accountId: string }, amount: bigint, expiresAt: Date) =>
      inTransaction(t.database, (tx) => t.services.ledger.credit(tx, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: `exp-${n++}`, at: T0, legs: [{ to, currency: 'points', amount, expiresAt }] }));
    const anaWallet = { type: 'member' as const, memberId: ana.id, accountId: acc.id };
    await credit(anaWallet, 100n, day(10));
    await credit(anaWallet, 20n, day(10)); // same day: one message for 120
    await credit(anaWallet, 7n, day(20)); // another day: another message
    await credit(anaWallet, 50n, day(45)); // beyond 30 days: not yet
    await credit({ type: 'account', accountId: acc.id }, 300n, day(5));

    const first = await t.services.messaging.notifyExpiring(T0);
    expect(first.queued).toBe(3 * 2); // three (member, day) pairs on the default media (inbox, e-mail)
    expect((await t.services.messaging.notifyExpiring(T0)).queued).toBe(0);
    expect((await t.services.messaging.notifyExpiring(day(1))).queued).toBe(0);

    await t.services.messaging.deliverDue(T0, { programId: p.programId });
    const inbox = async (id: string) => (await api('GET', `/members/${id}/messages?channel=inbox`)).json().items as { templateKey: string; text: string; subject: string; status: string }[];
    const anas = await inbox(ana.id);
    expect(anas.map((m) => m.templateKey)).toEqual(['points_expiring', 'points_expiring']);
    expect(anas.map((m) => m.subject).sort()).toEqual(['120 points expire in 10 days', '7 points expire in 20 days']);
    expect(anas.find((m) => m.subject.startsWith('120'))!.text).toContain('expire on 2026-06-11');
    const boss1 = await inbox(boss.id);
    expect(boss1).toHaveLength(1);
    expect(boss1[0]).toMatchObject({ subject: '300 points expire in 5 days', status: 'delivered' });

    // A longer window reaches the later lot, once.
    await api('PUT', '/messaging/settings', { expiringDays: 60 });
    expect((await t.services.messaging.notifyExpiring(day(2))).queued).toBe(2);
    // Switched off: nothing.
    await api('PUT', '/messaging/settings', { expiringDays: 60, triggers: { points_expiring: { enabled: false } } });
    await credit(anaWallet, 9n, day(12));
    expect((await t.services.messaging.notifyExpiring(day(2))).queued).toBe(0);
  });

  it('runs once per day from the jobs', async () => {
    const r1 = await runDue(t.services, day(3));
    const r2 = await runDue(t.services, new Date(day(3).getTime() + 60_000));
    expect(r1.expiring.ran).toBe(true);
    expect(r2.expiring).toEqual({ ran: false, programs: 0, queued: 0 });
    expect(r1.errors).toEqual([]);
  });
});
