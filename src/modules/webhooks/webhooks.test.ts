import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.js';
import { backoffMs, MAX_ATTEMPTS } from './webhooks.service.js';

/**
 * Webhooks end to end: subscriptions over HTTP, the outbox written in the caller's transaction,
 * and the worker POSTing to a real receiver on 127.0.0.1 that checks every signature. The
 * clock is the services' (`now`) and the worker's argument, moved by hand to walk the back-off.
 */

let t: TestApp;
let rx: WebhookReceiver;
let clock: Date;
const at = (iso: string) => (clock = new Date(iso));
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

beforeAll(async () => {
  at('2026-03-02T09:00:00Z');
  t = await createTestApp({ now: () => clock });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await rx.close();
  await t.close();
});

type Delivery = {
  id: string;
  messageId: string;
  type: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  nextAttemptAt: string | null;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  attemptLog: { attempt: number; at: string; statusCode: number | null; durationMs: number; error: string | null }[];
};

const api = async (p: TestProgram, method: string, url: string, body?: unknown, expected?: number) => {
  const r = await t.call(p, method, `/api/v1${url}`, body);
  if (expected !== undefined && r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r;
};

/** Subscribes `path` of the receiver and tells the receiver the secret. */
async function subscribe(p: TestProgram, path: string, eventTypes: string[], extra: Record<string, unknown> = {}): Promise<{ id: string; secret: string }> {
  const created = (await api(p, 'POST', '/webhooks', { url: rx.url(path), eventTypes, ...extra }, 201)).json();
  rx.trust(path, created.secret);
  return created;
}

const deliveries = async (p: TestProgram, webhookId: string, query = ''): Promise<Delivery[]> => (await api(p, 'GET', `/webhooks/${webhookId}/deliveries${query}`, undefined, 200)).json().items;
const emit = (p: TestProgram, type: string, data: Record<string, unknown>) => inTransaction(t.database, (tx) => t.services.webhooks.emit(tx, p.programId, type, data));
const deliver = (p: TestProgram) => t.services.webhooks.deliverDue(clock, { programId: p.programId });
const seconds = (iso: string | null) => (new Date(iso!).getTime() - clock.getTime()) / 1000;

describe('subscriptions', () => {
  let p: TestProgram;
  beforeAll(async () => {
    p = await t.newProgram('Subscriptions');
  });

  it('shows the signing secret once, at creation, and never in lists, reads or the audit log', async () => {
    const r = await api(p, 'POST', '/webhooks', { url: 'https://erp.example.com/hooks/fealty', eventTypes: ['points.awarded', 'points.awarded', 'points.reversed'], description: 'ERP' }, 201);
    const created = r.json();
    expect(created).toMatchObject({ url: 'https://erp.example.com/hooks/fealty', eventTypes: ['points.awarded', 'points.reversed'], description: 'ERP', active: true });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
    expect(Buffer.from(created.secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);

    const list = await api(p, 'GET', '/webhooks', undefined, 200);
    const one = await api(p, 'GET', `/webhooks/${created.id}`, undefined, 200);
    expect(list.json().items.map((w: { id: string }) => w.id)).toEqual([created.id]);
    expect(one.json()).not.toHaveProperty('secret');
    const audit = await api(p, 'GET', '/audit', undefined, 200);
    expect(audit.json().items.map((a: { action: string }) => a.action)).toContain('webhook.created');
    for (const body of [list.body, one.body, audit.body]) expect(body).not.toContain(created.secret.slice(6));
  });

  it('updates URL, types, description and active flag with an audit record, deactivates on DELETE, and rotates the secret', async () => {
    const { id, secret } = await subscribe(p, '/sub/update', ['points.awarded']);
    const patched = await api(p, 'PATCH', `/webhooks/${id}`, { url: rx.url('/sub/updated'), eventTypes: ['*'], description: null }, 200);
    expect(patched.json()).toMatchObject({ url: rx.url('/sub/updated'), eventTypes: ['*'], description: null, active: true });
    expect((await api(p, 'DELETE', `/webhooks/${id}`, undefined, 200)).json().active).toBe(false);
    expect((await api(p, 'GET', `/webhooks/${id}`, undefined, 200)).json().active).toBe(false);
    expect((await api(p, 'PATCH', `/webhooks/${id}`, { active: true }, 200)).json().active).toBe(true);

    const rotated = (await api(p, 'POST', `/webhooks/${id}/rotate-secret`, undefined, 200)).json();
    expect(rotated.secret).toMatch(/^whsec_/);
    expect(rotated.secret).not.toBe(secret);
    const audit = (await api(p, 'GET', `/audit?objectId=${id}`, undefined, 200)).body;
    expect(audit).toContain('webhook.secret_rotated');
    expect(audit).toContain('webhook.deactivated');
    for (const s of [secret, rotated.secret]) expect(audit).not.toContain(s.slice(6));
  });

  it.each([
    ['a URL that is not http(s)', { url: 'ftp://files.example.com/in', eventTypes: ['*'] }, [{ path: 'url', message: 'must be an http:// or https:// URL' }]],
    ['a javascript: URL', { url: 'javascript:alert(1)', eventTypes: ['*'] }, [{ path: 'url', message: 'must be an http:// or https:// URL' }]],
    ['no URL at all', { url: 'not a url', eventTypes: ['*'] }, [{ path: 'url', message: 'must be an http:// or https:// URL' }]],
    ['an empty list of types', { url: 'https://example.com/h', eventTypes: [] }, [{ path: 'eventTypes', message: 'list at least one event type, or "*"' }]],
    ['an unknown type', { url: 'https://example.com/h', eventTypes: ['points.awarded', 'points.awared'] }, [{ path: 'eventTypes.1', message: expect.stringContaining('must be "*" or one of') }]],
    ['unknown fields', { url: 'https://example.com/h', eventTypes: ['*'], secret: 'mine', colour: 'red' }, [{ path: 'secret', message: 'unknown field' }, { path: 'colour', message: 'unknown field' }]],
    ['a missing URL', { eventTypes: ['*'] }, [{ path: 'url', message: expect.any(String) }]],
  ])('refuses %s with 422 and the path of each bad field', async (_name, body, errors) => {
    const r = await api(p, 'POST', '/webhooks', body);
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual(errors);
  });

  it('refuses bad patches and list queries with 422', async () => {
    const { id } = await subscribe(p, '/sub/patch', ['*']);
    const bad = await api(p, 'PATCH', `/webhooks/${id}`, { url: 'mailto:ops@example.com', events: ['*'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual(expect.arrayContaining([{ path: 'url', message: 'must be an http:// or https:// URL' }, { path: 'events', message: 'unknown field' }]));
    const q = await api(p, 'GET', `/webhooks/${id}/deliveries?status=lost&limit=0`);
    expect(q.statusCode).toBe(422);
    expect(q.json().errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.limit', 'query.status']);
  });

  it("answers 404 for another program's webhook and delivery, and changes nothing", async () => {
    const other = await t.newProgram('Someone else');
    const { id } = await subscribe(p, '/sub/mine', ['event.rejected']);
    await emit(p, 'event.rejected', { eventId: 'X-1' });
    const [delivery] = await deliveries(p, id);
    for (const [method, url, body] of [
      ['GET', `/webhooks/${id}`],
      ['PATCH', `/webhooks/${id}`, { url: 'https://attacker.example.com/' }],
      ['DELETE', `/webhooks/${id}`],
      ['POST', `/webhooks/${id}/rotate-secret`],
      ['GET', `/webhooks/${id}/deliveries`],
      ['POST', `/webhooks/deliveries/${delivery.id}/retry`],
    ] as [string, string, unknown?][]) {
      const r = await api(other, method, url, body);
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json().code).toMatch(/^(WEBHOOK|DELIVERY)_NOT_FOUND$/);
    }
    expect((await api(other, 'GET', '/webhooks', undefined, 200)).json().items).toEqual([]);
    expect((await api(p, 'GET', `/webhooks/${id}`, undefined, 200)).json()).toMatchObject({ url: rx.url('/sub/mine'), active: true });
  });
});

describe('delivery', () => {
  it('POSTs an award from POST /events, signed; retries 500s later and later with the same webhook-id; shows every attempt', async () => {
    at('2026-03-02T10:00:00Z');
    const p = await t.newProgram('Awards');
    await api(p, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, 201);
    await api(p, 'POST', '/accounts', { externalId: 'C-1', name: 'Dealer One', type: 'dealer' }, 201);
    await api(p, 'POST', '/rules', { name: 'A point per euro', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } }] }, 201);
    const hook = await subscribe(p, '/awards', ['points.awarded']);
    rx.failNext('/awards', 2);

    await api(p, 'POST', '/events', { id: 'INV-1', type: 'purchase', occurredAt: '2026-03-02T09:30:00Z', accountId: 'ext:C-1', amount: 125000, currency: 'EUR' }, 201);
    expect(await deliver(p)).toEqual({ claimed: 1, delivered: 0, retrying: 1, failed: 0 });

    let [d] = await deliveries(p, hook.id);
    expect(d).toMatchObject({ type: 'points.awarded', status: 'pending', attempts: 1, attemptLog: [{ attempt: 1, statusCode: 500, error: 'HTTP 500: receiver is down for a test' }] });
    expect(d.messageId).toMatch(/^msg_/);
    // First back-off: 30 s ± 20 %.
    expect(seconds(d.nextAttemptAt)).toBeGreaterThanOrEqual(24);
    expect(seconds(d.nextAttemptAt)).toBeLessThanOrEqual(36);
    expect(await deliver(p), 'not due before its time').toMatchObject({ claimed: 0 });

    later(37_000);
    expect(await deliver(p)).toMatchObject({ claimed: 1, retrying: 1 });
    [d] = await deliveries(p, hook.id);
    // Second back-off: 60 s ± 20 %.
    expect(seconds(d.nextAttemptAt)).toBeGreaterThanOrEqual(48);
    expect(seconds(d.nextAttemptAt)).toBeLessThanOrEqual(72);

    later(73_000);
    expect(await deliver(p)).toMatchObject({ claimed: 1, delivered: 1 });
    [d] = await deliveries(p, hook.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: 3, nextAttemptAt: null });
    expect(d.attemptLog.map((a) => [a.attempt, a.statusCode])).toEqual([
      [1, 500],
      [2, 500],
      [3, 204],
    ]);
    expect(await deliver(p), 'delivered once is enough').toMatchObject({ claimed: 0 });

    const calls = rx.received('/awards');
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.signed)).toBe(true);
    expect(new Set(calls.map((c) => c.id))).toEqual(new Set([d.messageId]));
    expect(new Set(calls.map((c) => c.body)).size, 'the same bytes every time').toBe(1);
    expect(calls[2].timestamp - calls[0].timestamp).toBeGreaterThanOrEqual(110);
    expect(calls[0].headers['content-type']).toBe('application/json');
    const body = JSON.parse(calls[0].body);
    expect(body).toEqual({ type: 'points.awarded', timestamp: '2026-03-02T10:00:00.000Z', data: expect.objectContaining({ eventId: 'INV-1', currency: 'points', amount: 1250, wallet: { accountId: expect.any(String) } }) });
    expect(d.payload).toEqual(body);

    expect((await deliveries(p, hook.id, '?status=delivered')).map((x) => x.id)).toEqual([d.id]);
    expect(await deliveries(p, hook.id, '?status=pending')).toEqual([]);
  });

  it('sends each subscription only the types it asked for; inactive subscriptions get nothing', async () => {
    const p = await t.newProgram('Filters');
    const reversed = await subscribe(p, '/f/reversed', ['points.reversed']);
    const all = await subscribe(p, '/f/all', ['*']);
    const paused = await subscribe(p, '/f/paused', ['points.awarded'], { active: false });
    const deleted = await subscribe(p, '/f/deleted', ['points.awarded', 'points.reversed']);
    await api(p, 'DELETE', `/webhooks/${deleted.id}`, undefined, 200);

    await emit(p, 'points.awarded', { eventId: 'E-1' });
    await emit(p, 'points.reversed', { eventId: 'E-2' });
    await emit(p, 'tier.changed', { accountId: 'acc_1' });
    expect(await deliver(p)).toEqual({ claimed: 4, delivered: 4, retrying: 0, failed: 0 });

    const types = (path: string) => rx.received(path).map((r) => JSON.parse(r.body).type);
    expect(types('/f/reversed')).toEqual(['points.reversed']);
    expect(types('/f/all').sort()).toEqual(['points.awarded', 'points.reversed', 'tier.changed']);
    expect(types('/f/paused')).toEqual([]);
    expect(types('/f/deleted')).toEqual([]);
    expect(await deliveries(p, paused.id)).toEqual([]);
    expect(await deliveries(p, deleted.id)).toEqual([]);
    expect((await deliveries(p, reversed.id)).map((d) => d.status)).toEqual(['delivered']);
    expect(await deliveries(p, all.id)).toHaveLength(3);
  });

  it('delivers nothing for a message emitted in a transaction that rolls back', async () => {
    const p = await t.newProgram('Rollback');
    const hook = await subscribe(p, '/rollback', ['*']);
    await expect(
      inTransaction(t.database, async (tx) => {
        await t.services.webhooks.emit(tx, p.programId, 'points.awarded', { eventId: 'GONE' });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    expect(await deliveries(p, hook.id)).toEqual([]);
    expect(rx.received('/rollback')).toEqual([]);
  });

  it('publishes event.rejected for a refused event, after its transaction rolled back', async () => {
    const p = await t.newProgram('Rejections');
    const hook = await subscribe(p, '/rejected', ['event.rejected']);
    const r = await api(p, 'POST', '/events', { id: 'BAD-1', type: 'purchase', occurredAt: '2026-03-02T09:30:00Z', accountId: 'ext:NOBODY', amount: 100, currency: 'EUR' });
    expect(r.statusCode).toBe(422);
    expect(await deliver(p)).toMatchObject({ claimed: 1, delivered: 1 });
    const [d] = await deliveries(p, hook.id);
    expect(d.payload.data).toMatchObject({ eventId: 'BAD-1', problem: expect.objectContaining({ status: 422 }) });
  });

  it(`gives up as failed after ${MAX_ATTEMPTS} attempts; a retry sends it again with a fresh cycle`, async () => {
    at('2026-03-03T00:00:00Z');
    const p = await t.newProgram('Gives up');
    const hook = await subscribe(p, '/down', ['*']);
    rx.failNext('/down', 1000);
    await emit(p, 'points.expired', { amount: 5 });
    for (let i = 1; i <= MAX_ATTEMPTS; i++) {
      expect(await deliver(p), `attempt ${i}`).toMatchObject({ claimed: 1 });
      const [d] = await deliveries(p, hook.id);
      if (i < MAX_ATTEMPTS) {
        // Measured from the attempt itself: the worker's clock moves on by the milliseconds the call took.
        const attemptedAt = new Date(d.attemptLog[d.attemptLog.length - 1].at).getTime();
        expect((new Date(d.nextAttemptAt!).getTime() - attemptedAt) / 1000, `delay after attempt ${i}`).toBeLessThanOrEqual(6 * 3600);
        at(d.nextAttemptAt!);
      }
    }
    let [d] = await deliveries(p, hook.id);
    expect(d).toMatchObject({ status: 'failed', attempts: MAX_ATTEMPTS, nextAttemptAt: null });
    expect(d.attemptLog).toHaveLength(MAX_ATTEMPTS);
    later(24 * 3_600_000);
    expect(await deliver(p), 'a failed delivery is left alone').toMatchObject({ claimed: 0 });

    rx.failNext('/down', 0);
    const retried = await api(p, 'POST', `/webhooks/deliveries/${d.id}/retry`, undefined, 200);
    expect(retried.json()).toMatchObject({ id: d.id, status: 'pending', attempts: MAX_ATTEMPTS });
    expect(await deliver(p)).toMatchObject({ claimed: 1, delivered: 1 });
    [d] = await deliveries(p, hook.id);
    expect(d).toMatchObject({ status: 'delivered', attempts: MAX_ATTEMPTS + 1 });
    expect(new Set(rx.received('/down').map((r) => r.id)).size).toBe(1);
    expect((await api(p, 'GET', `/audit?objectId=${d.id}`, undefined, 200)).json().items[0]).toMatchObject({ action: 'webhook_delivery.retried' });
  });

  it('refuses to retry a delivery of an inactive webhook with 409', async () => {
    const p = await t.newProgram('Inactive retry');
    const hook = await subscribe(p, '/inactive', ['*']);
    await emit(p, 'points.awarded', { eventId: 'E-9' });
    const [d] = await deliveries(p, hook.id);
    await api(p, 'DELETE', `/webhooks/${hook.id}`, undefined, 200);
    const r = await api(p, 'POST', `/webhooks/deliveries/${d.id}/retry`);
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('WEBHOOK_INACTIVE');
    expect(await deliver(p), 'what was queued waits while the webhook is inactive').toMatchObject({ claimed: 0 });
    await api(p, 'PATCH', `/webhooks/${hook.id}`, { active: true }, 200);
    expect(await deliver(p)).toMatchObject({ claimed: 1, delivered: 1 });
  });

  it('signs with the old secret too for a day after a rotation', async () => {
    const p = await t.newProgram('Rotation');
    const hook = await subscribe(p, '/rotate', ['*']);
    const { secret } = (await api(p, 'POST', `/webhooks/${hook.id}/rotate-secret`, undefined, 200)).json();
    rx.trust('/rotate', hook.secret);
    await emit(p, 'points.awarded', { n: 1 });
    await deliver(p);
    rx.trust('/rotate', secret);
    await emit(p, 'points.awarded', { n: 2 });
    await deliver(p);
    later(25 * 3_600_000);
    await emit(p, 'points.awarded', { n: 3 });
    await deliver(p);
    rx.trust('/rotate', hook.secret);
    await emit(p, 'points.awarded', { n: 4 });
    await deliver(p);
    expect(rx.received('/rotate').map((r) => [r.signatures, r.signed])).toEqual([
      [2, true],
      [2, true],
      [1, true],
      [1, false],
    ]);
  });

  it('sends each delivery once when two workers run at the same time', async () => {
    const p = await t.newProgram('Two workers');
    await subscribe(p, '/two', ['*']);
    for (let i = 0; i < 30; i++) await emit(p, 'points.awarded', { n: i });
    const [a, b] = await Promise.all([deliver(p), deliver(p)]);
    expect(a.claimed + b.claimed).toBe(30);
    expect(a.delivered + b.delivered).toBe(30);
    const calls = rx.received('/two');
    expect(calls).toHaveLength(30);
    expect(new Set(calls.map((c) => c.id)).size).toBe(30);
  });

  it('records a receiver that does not answer as an attempt with no status code', async () => {
    const p = await t.newProgram('Unreachable');
    // A port that was just free: nothing listens there, so the connection is refused at once.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const created = (await api(p, 'POST', '/webhooks', { url: `http://127.0.0.1:${port}/hook`, eventTypes: ['*'] }, 201)).json();
    await emit(p, 'points.awarded', { n: 1 });
    expect(await deliver(p)).toMatchObject({ claimed: 1, retrying: 1 });
    const [d] = await deliveries(p, created.id);
    expect(d.attemptLog[0]).toMatchObject({ statusCode: null, error: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('back-off', () => {
  it('doubles from 30 seconds with ±20 % jitter and stops growing at 6 hours', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, () => 0.5))).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(backoffMs(1, () => 0)).toBe(24_000);
    expect(backoffMs(1, () => 0.999999)).toBeLessThanOrEqual(36_000);
    expect(backoffMs(11, () => 0.5)).toBe(6 * 3_600_000);
    expect(backoffMs(30, () => 0.999999)).toBe(6 * 3_600_000);
  });
});
