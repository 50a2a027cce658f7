import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { inTransaction } from '../../db/database.js';
import { createServices } from '../../services.js';
import { httpSender } from '../webhooks/index.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.js';

/**
 * Two servers, one campaign: two service instances on one database (on PostgreSQL, each with its
 * own connections, really concurrent) dispatch the scheduled campaign and run the delivery worker
 * at the same time, round after round. Every message reaches the gateway exactly once.
 */

const key = Buffer.alloc(32, 3);
let t: TestApp;
let rx: WebhookReceiver;
let clock = new Date('2026-04-01T08:00:00Z');

beforeAll(async () => {
  // A generous timeout: on a loaded machine the receiver in this process answers slowly, and a timed-out call is (rightly) sent again.
  t = await createTestApp({ now: () => clock, services: { secretKey: key, messagingSend: httpSender(60_000, { allowPrivate: true }) } });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await rx.close();
  await t.close();
});

describe('two servers sending one campaign', () => {
  it('deliver each message once', async () => {
    const p = await t.newProgram('Two servers');
    const api = async (method: string, url: string, body?: unknown) => {
      const r = await t.call(p, method, `/api/v1${url}`, body);
      if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
      return r.json();
    };
    await api('POST', '/roles', { code: 'foreman', name: 'Foreman' });
    await api('POST', '/accounts', { externalId: 'C-1', name: 'Builders', type: 'installer' });
    const N = 60;
    for (let i = 0; i < N; i++) await api('POST', '/accounts/ext:C-1/members', { externalId: `F-${i}`, name: `Foreman ${i}`, role: 'foreman', phone: `+3360000${String(i).padStart(4, '0')}`, consent: { marketing: true } });
    await api('PUT', '/messaging/settings', { channelsByRole: { foreman: ['sms', 'inbox'] } });
    const gw = await api('POST', '/channels', { type: 'http', name: 'SMS', settings: { url: rx.url('/sms') } });
    rx.trust('/sms', gw.signingSecret);
    await api('PUT', '/templates/pilot/sms/en', { body: 'Double points this month, {{ member.name }}.' });
    await api('PUT', '/templates/pilot/inbox/en', { subject: 'Pilot', body: 'Double points this month.' });
    const c = await api('POST', '/campaigns', { name: 'Pilot', templateKey: 'pilot', audience: { roles: ['foreman'] }, channels: 'preferred', sendAt: '2026-04-01T09:00:00Z' });
    await api('POST', `/campaigns/${c.id}/send`);

    const other = createServices(t.database, { now: () => clock, secretKey: key, messagingSend: httpSender(60_000, { allowPrivate: true }) });
    const servers = [t.services, other];
    clock = new Date('2026-04-01T09:00:00Z');
    const dispatched = await Promise.all(servers.flatMap((s) => [s.campaigns.dispatchDue(clock), s.campaigns.dispatchDue(clock)]));
    expect(dispatched.reduce((a, b) => a + b, 0)).toBe(1);

    // Small batches so that the two workers interleave over many claims.
    // A network error is retried after its back-off: when nothing is due, the clock moves on until nothing is left.
    for (let round = 0; round < 40; round++) {
      const reports = await Promise.all(servers.flatMap((s) => [s.messaging.deliverDue(clock, { limit: 7 }), s.messaging.deliverDue(clock, { limit: 7 })]));
      if (reports.every((r) => r.claimed === 0)) {
        const left = await inTransaction(t.database, (tx) => tx.execute(sql`select 1 from messages where campaign_id = ${c.id} and status in ('queued', 'held', 'sending') limit 1`));
        if (!left.rows.length) break;
        clock = new Date(clock.getTime() + 3600_000);
      }
    }
    const received = rx.received('/sms');
    expect(received.every((r) => r.signed)).toBe(true);
    expect(received).toHaveLength(N);
    expect(new Set(received.map((r) => r.id)).size).toBe(N);
    const counts = await inTransaction(t.database, (tx) =>
      tx.execute<{ medium: string; status: string; n: number | string }>(sql`select medium, status, count(*) as n from messages where campaign_id = ${c.id} group by medium, status order by medium`),
    );
    expect(counts.rows.map((r) => `${r.medium}:${r.status}:${Number(r.n)}`)).toEqual([`inbox:delivered:${N}`, `sms:sent:${N}`]);
    const reach = await api('GET', `/campaigns/${c.id}/reach`);
    expect(reach).toMatchObject({ targeted: N, delivered: N, byChannel: { sms: { delivered: N }, inbox: { delivered: N } } });
    await other.messaging.close();
  });
});
