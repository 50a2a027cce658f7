import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { inTransaction } from '../../db/database.js';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.js';

/**
 * Messaging end to end: channels over HTTP, triggered messages written with the change, and the
 * worker sending to real peers on 127.0.0.1 — an SMTP server (smtp-server, the MIME parsed by
 * mailparser), a receiver that checks Standard Webhooks signatures, an HTTP server that refuses.
 * The clock is the services' and the worker's argument, moved by hand.
 */

let t: TestApp;
let clock: Date;
const at = (iso: string) => (clock = new Date(iso));
const later = (ms: number) => (clock = new Date(clock.getTime() + ms));

/** An HTTP gateway that refuses every message with this status. */
async function startRefuser(status: number): Promise<{ url: string; calls: number; close(): Promise<void> }> {
  const state = { url: '', calls: 0, close: async () => {} };
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      state.calls++;
      res.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"invalid number"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/send`;
  state.close = () => new Promise<void>((r) => server.close(() => r()));
  return state;
}

let smtp: TestSmtp;
let rx: WebhookReceiver;

beforeAll(async () => {
  at('2026-03-02T10:00:00Z');
  t = await createTestApp({ now: () => clock, services: { secretKey: Buffer.alloc(32, 9), publicUrl: 'https://loyalty.test', devMailbox: true } });
  smtp = await startTestSmtp({ login: { user: 'club', password: 'smtp-pass-W9x' }, refuses: (a) => a.startsWith('nobody@') });
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await t.services.messaging.close();
  await smtp.close();
  await rx.close();
  await t.close();
});

const api = async (p: TestProgram, method: string, url: string, body?: unknown, expected?: number) => {
  const r = await t.call(p, method, `/api/v1${url}`, body);
  if (expected !== undefined && r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r;
};
const deliver = (p: TestProgram) => t.services.messaging.deliverDue(clock, { programId: p.programId });

async function programWithMembers(name: string, members: Record<string, unknown>[]) {
  const p = await t.newProgram(name);
  await api(p, 'POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, 201);
  await api(p, 'POST', '/roles', { code: 'foreman', name: 'Foreman' }, 201);
  await api(p, 'POST', '/accounts', { externalId: 'C-1', name: 'Acme Installers', type: 'installer', segment: 'gold' }, 201);
  const ids: Record<string, string> = {};
  for (const m of members) ids[String(m.externalId)] = (await api(p, 'POST', '/accounts/ext:C-1/members', { role: 'foreman', ...m }, 201)).json().id;
  return { p, ids };
}

const smtpChannel = (extra: Record<string, unknown> = {}) => ({ type: 'email', name: 'Club mail', settings: { host: '127.0.0.1', port: smtp.port, secure: false, user: 'club', password: 'smtp-pass-W9x', from: 'Aquapure Club <club@aquapure.example>', ...extra } });

describe('channels', () => {
  it('stores secrets encrypted and never shows them; bad settings are a 422 that creates nothing', async () => {
    const p = await t.newProgram('Channels');
    const bad = await api(p, 'POST', '/channels', { type: 'email', name: 'Broken', settings: { host: '', port: 99999, form: 'x' } }, 422);
    expect(bad.json().code).toBe('CHANNEL_SETTINGS_INVALID');
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual(expect.arrayContaining(['settings.host', 'settings.port', 'settings.from']));
    const badTelegram = await api(p, 'POST', '/channels', { type: 'telegram', name: 'Bot', settings: { botToken: 'not-a-token' } }, 422);
    expect(badTelegram.json().errors[0].path).toBe('settings.botToken');
    expect((await api(p, 'GET', '/channels', undefined, 200)).json().items).toEqual([]);

    const created = (await api(p, 'POST', '/channels', smtpChannel(), 201)).json();
    expect(created).toMatchObject({ type: 'email', medium: 'email', secretsSet: ['password'], settings: { host: '127.0.0.1', user: 'club' } });
    const gateway = (await api(p, 'POST', '/channels', { type: 'http', name: 'SMS bridge', settings: { url: 'https://sms.example.com/send' } }, 201)).json();
    expect(gateway.signingSecret).toMatch(/^whsec_/);
    expect(gateway.medium).toBe('sms');
    const push = (await api(p, 'POST', '/channels', { type: 'webpush', name: 'Portal push', settings: { subject: 'mailto:club@aquapure.example' } }, 201)).json();
    expect(push.vapidPublicKey).toMatch(/^[A-Za-z0-9_-]{80,}$/);

    const raw = await inTransaction(t.database, (tx) => tx.execute<{ settings: unknown; secrets: string }>(sql`select settings, secrets from messaging_channels where program_id = ${p.programId}`));
    const list = await api(p, 'GET', '/channels', undefined, 200);
    const audit = await api(p, 'GET', '/audit', undefined, 200);
    for (const text of [JSON.stringify(raw.rows), list.body, audit.body]) {
      expect(text).not.toContain('smtp-pass-W9x');
      expect(text).not.toContain(gateway.signingSecret.slice(6));
    }
    // A change that does not repeat the password keeps it.
    const patched = (await api(p, 'PATCH', `/channels/${created.id}`, { settings: { port: 2525 } }, 200)).json();
    expect(patched).toMatchObject({ settings: { port: 2525 }, secretsSet: ['password'] });
  });
});

describe('e-mail end to end', () => {
  it('an award sends an e-mail in the member\'s locale with one-click unsubscribe and tracked links; the portal inbox gets it too', async () => {
    at('2026-03-02T10:00:00Z');
    const { p, ids } = await programWithMembers('Mail', [{ externalId: 'E-1', name: 'Camille', email: 'camille@acme.example', locale: 'fr' }]);
    await api(p, 'POST', '/rules', { name: 'Ten per order', eventType: 'purchase', effects: [{ currency: 'points', to: 'member', amount: 10 }] }, 201);
    await api(p, 'POST', '/channels', smtpChannel(), 201);

    await api(p, 'POST', '/events', { id: 'INV-1', type: 'purchase', occurredAt: '2026-03-02T09:30:00Z', accountId: 'ext:C-1', memberId: 'ext:E-1', amount: 1000, currency: 'EUR' }, 201);
    // A replay of the same event writes no second message.
    await api(p, 'POST', '/events', { id: 'INV-1', type: 'purchase', occurredAt: '2026-03-02T09:30:00Z', accountId: 'ext:C-1', memberId: 'ext:E-1', amount: 1000, currency: 'EUR' }, 200);
    expect(await deliver(p)).toMatchObject({ claimed: 2, sent: 2, failed: 0 });

    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail.subject).toBe('Vous avez gagné 10 points');
    expect(mail.text).toContain('Bonjour Camille');
    expect(mail.text).toContain('10 points ont été ajoutés à votre solde');
    expect(mail.from?.text).toBe('"Aquapure Club" <club@aquapure.example>');
    // mailparser folds List-* headers into `list`; the raw lines are what a mail client reads.
    const header = (name: string) => mail.headerLines.find((h) => h.key === name)?.line.slice(name.length + 1).trim();
    const unsubscribe = String(header('list-unsubscribe'));
    expect(unsubscribe).toMatch(/^<https:\/\/loyalty\.test\/api\/v1\/messaging\/unsubscribe\?t=msg_[a-z0-9]+\.[A-Za-z0-9_-]+>$/);
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const html = String(mail.html);
    const click = html.match(/href="(https:\/\/loyalty\.test\/api\/v1\/t\/c\/[^"]+)"/)?.[1].replace(/&amp;/g, '&');
    const pixel = html.match(/src="(https:\/\/loyalty\.test\/api\/v1\/t\/o\/[^"]+)"/)?.[1];
    expect(click).toContain(`u=${encodeURIComponent('https://loyalty.test/portal/')}`);
    expect(pixel).toBeDefined();

    const messages = (await api(p, 'GET', `/members/${ids['E-1']}/messages`, undefined, 200)).json().items;
    expect(messages.map((m: { channel: string; status: string }) => `${m.channel}:${m.status}`).sort()).toEqual(['email:sent', 'inbox:delivered']);
    const email = messages.find((m: { channel: string }) => m.channel === 'email');

    // An open 2 seconds after sending is a machine's prefetch: an open, not a verified one.
    later(2000);
    const local = (u: string) => u.replace('https://loyalty.test', '');
    expect((await t.app.inject({ method: 'GET', url: local(pixel!) })).headers['content-type']).toBe('image/gif');
    later(60_000);
    const redirect = await t.app.inject({ method: 'GET', url: local(click!) });
    expect(redirect.statusCode).toBe(302);
    expect(redirect.headers.location).toBe('https://loyalty.test/portal/');
    // A link whose URL was changed is refused.
    expect((await t.app.inject({ method: 'GET', url: local(click!).replace(/u=[^&]+/, `u=${encodeURIComponent('https://evil.example/')}`) })).statusCode).toBe(404);

    const timeline = (await api(p, 'GET', `/messages/${email.id}`, undefined, 200)).json();
    expect(timeline.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'sent', 'opened', 'clicked']);
    expect(timeline.timeline[2].detail).toBe('prefetch (not a verified open)');

    // One-click unsubscribe as a mail client does it, without a session.
    const u = unsubscribe.slice(1, -1);
    const res = await t.app.inject({ method: 'POST', url: local(u), headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'List-Unsubscribe=One-Click' });
    expect(res.statusCode).toBe(200);
    expect((await api(p, 'GET', `/members/${ids['E-1']}/preferences`, undefined, 200)).json().categories).toEqual({ marketing: false });
    expect((await t.app.inject({ method: 'POST', url: local(u).replace(/\.[A-Za-z0-9_-]+$/, '.forged') })).statusCode).toBe(404);
  });

  it('a mailbox the server refuses (550) fails at once; without SMTP the embedded server keeps the mail in the development mailbox', async () => {
    const { p, ids } = await programWithMembers('Mail refusals', [{ externalId: 'E-1', name: 'Nobody', email: 'nobody@acme.example' }, { externalId: 'E-2', name: 'Dev', email: 'dev@acme.example' }]);
    await api(p, 'PUT', '/messaging/settings', { defaultChannels: ['email'] }, 200);
    const channel = (await api(p, 'POST', '/channels', smtpChannel(), 201)).json();
    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'tx-1', memberIds: [ids['E-1']], data: { award: { amount: 5, currency: 'points' } } }]));
    expect(await deliver(p)).toMatchObject({ claimed: 1, failed: 1 });
    const [failed] = (await api(p, 'GET', `/members/${ids['E-1']}/messages`, undefined, 200)).json().items;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.reason).toMatch(/550/);

    await api(p, 'PATCH', `/channels/${channel.id}`, { active: false }, 200);
    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'tx-2', memberIds: [ids['E-2']], data: { award: { amount: 7, currency: 'points' } } }]));
    expect(await deliver(p)).toMatchObject({ claimed: 1, sent: 1 });
    const box = (await api(p, 'GET', '/messaging/dev-mailbox', undefined, 200)).json().items;
    expect(box).toHaveLength(1);
    expect(box[0]).toMatchObject({ to: 'dev@acme.example', subject: '7 points are now available' });
    expect(box[0].html).toContain('<p>Hello Dev,');
  });
});

describe('HTTP gateway', () => {
  it('signs each POST; retries a 5xx with back-off and the same id; a 4xx fails at once', async () => {
    at('2026-03-03T10:00:00Z');
    const { p, ids } = await programWithMembers('Gateway', [{ externalId: 'F-1', name: 'Farid', phone: '+33600000001' }, { externalId: 'F-2', name: 'Gaston', phone: '+33600000002' }]);
    await api(p, 'PUT', '/messaging/settings', { channelsByRole: { foreman: ['sms'] } }, 200);
    const gw = (await api(p, 'POST', '/channels', { type: 'http', name: 'SMS bridge', settings: { url: rx.url('/sms'), medium: 'sms' } }, 201)).json();
    rx.trust('/sms', gw.signingSecret);
    rx.failNext('/sms', 2);

    const notify = (member: string, object: string) => inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: object, memberIds: [member], data: { award: { amount: 50, currency: 'points' } } }]));
    await notify(ids['F-1'], 'tx-1');
    expect(await deliver(p)).toMatchObject({ claimed: 1, retrying: 1 });
    let [m] = (await api(p, 'GET', `/members/${ids['F-1']}/messages`, undefined, 200)).json().items;
    expect(m.status).toBe('queued');
    const wait = (new Date(m.nextAttemptAt).getTime() - clock.getTime()) / 1000;
    expect(wait).toBeGreaterThanOrEqual(24);
    expect(wait).toBeLessThanOrEqual(36);
    // Not due yet: nothing is sent.
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    later(40_000);
    expect(await deliver(p)).toMatchObject({ claimed: 1, retrying: 1 });
    later(2 * 3600_000);
    expect(await deliver(p)).toMatchObject({ claimed: 1, sent: 1 });
    const calls = rx.received('/sms');
    expect(calls).toHaveLength(3);
    expect(calls.every((c) => c.signed)).toBe(true);
    expect(new Set(calls.map((c) => c.id))).toEqual(new Set([m.id]));
    expect(JSON.parse(calls[2].body)).toMatchObject({ id: m.id, channel: 'sms', to: '+33600000001', memberId: ids['F-1'] });
    expect(JSON.parse(calls[2].body).text).toContain('your pending 50 points are now available');
    m = (await api(p, 'GET', `/messages/${m.id}`, undefined, 200)).json();
    expect(m.timeline.map((e: { status: string }) => e.status)).toEqual(['queued', 'retry', 'retry', 'sent']);

    const refuser = await startRefuser(400);
    await api(p, 'PATCH', `/channels/${gw.id}`, { settings: { url: refuser.url } }, 200);
    await notify(ids['F-2'], 'tx-2');
    expect(await deliver(p)).toMatchObject({ claimed: 1, failed: 1 });
    later(24 * 3600_000);
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    expect(refuser.calls).toBe(1);
    const [failed] = (await api(p, 'GET', `/members/${ids['F-2']}/messages`, undefined, 200)).json().items;
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed.reason).toContain('HTTP 400');
    await refuser.close();
  });
});

describe('Telegram', () => {
  it('sends through the Bot API at a configurable base URL, to the chat id the member linked', async () => {
    const calls: { path: string; body: Record<string, unknown> }[] = [];
    const bot = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
        calls.push({ path: req.url ?? '', body });
        const known = body.chat_id === '4242';
        res.writeHead(known ? 200 : 400, { 'content-type': 'application/json' }).end(JSON.stringify(known ? { ok: true, result: { message_id: 1 } } : { ok: false, error_code: 400, description: 'Bad Request: chat not found' }));
      });
    });
    await new Promise<void>((r) => bot.listen(0, '127.0.0.1', () => r()));
    const baseUrl = `http://127.0.0.1:${(bot.address() as AddressInfo).port}`;
    const token = '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ_abc';
    const { p, ids } = await programWithMembers('Telegram', [{ externalId: 'T-1', name: 'Taras', locale: 'uk' }, { externalId: 'T-2', name: 'Tom' }]);
    await api(p, 'PUT', '/messaging/settings', { defaultChannels: ['telegram'] }, 200);
    await api(p, 'POST', '/channels', { type: 'telegram', name: 'Club bot', settings: { botToken: token, baseUrl } }, 201);
    await api(p, 'PATCH', `/members/${ids['T-1']}/preferences`, { telegramChatId: '4242' }, 200);
    await api(p, 'PATCH', `/members/${ids['T-2']}/preferences`, { telegramChatId: '999' }, 200);
    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'tx-t', memberIds: [ids['T-1'], ids['T-2']], data: { award: { amount: 30, currency: 'points' } } }]));
    expect(await deliver(p)).toMatchObject({ claimed: 2, sent: 1, failed: 1 });
    const ok = calls.find((c) => c.body.chat_id === '4242')!;
    expect(ok.path).toBe(`/bot${token}/sendMessage`);
    expect(String(ok.body.text)).toContain('Ваші 30 points тепер можна витратити');
    const [failed] = (await api(p, 'GET', `/members/${ids['T-2']}/messages`, undefined, 200)).json().items;
    expect(failed.reason).toContain('chat not found');
    // The token is a secret: not in the channel list.
    expect((await api(p, 'GET', '/channels', undefined, 200)).body).not.toContain(token);
    await new Promise<void>((r) => bot.close(() => r()));
  });
});

describe('delivery policy', () => {
  it('quiet hours are the member\'s: held at night in Tehran, sent by day in New York, delivered when the window ends', async () => {
    // 20:30 UTC: midnight in Tehran, 15:30 in New York.
    at('2026-01-15T20:30:00Z');
    const { p, ids } = await programWithMembers('Quiet', [{ externalId: 'T-1', name: 'Tara', email: 't@x.example' }, { externalId: 'N-1', name: 'Ned', email: 'n@x.example' }]);
    await api(p, 'PUT', '/messaging/settings', { quietHours: { from: '21:00', to: '08:00' }, defaultChannels: ['email', 'inbox'] }, 200);
    await api(p, 'PATCH', `/members/${ids['T-1']}/preferences`, { timeZone: 'Asia/Tehran' }, 200);
    await api(p, 'PATCH', `/members/${ids['N-1']}/preferences`, { timeZone: 'America/New_York' }, 200);
    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'tx-q', memberIds: [ids['T-1'], ids['N-1']], data: { award: { amount: 1, currency: 'points' } } }]));
    // Both inbox messages and Ned's e-mail go; Tara's e-mail waits.
    expect(await deliver(p)).toMatchObject({ claimed: 4, sent: 3, held: 1 });
    const held = (await api(p, 'GET', `/members/${ids['T-1']}/messages?channel=email`, undefined, 200)).json().items[0];
    expect(held).toMatchObject({ status: 'held', reason: 'quiet_hours', nextAttemptAt: '2026-01-16T04:30:00.000Z' });
    at('2026-01-16T04:29:00Z');
    expect(await deliver(p)).toMatchObject({ claimed: 0 });
    at('2026-01-16T04:30:00Z');
    expect(await deliver(p)).toMatchObject({ claimed: 1, sent: 1 });
    const timeline = (await api(p, 'GET', `/messages/${held.id}`, undefined, 200)).json().timeline.map((e: { status: string }) => e.status);
    expect(timeline).toEqual(['queued', 'held', 'sent']);
  });

  it('marketing needs consent, respects a channel opt-out and the daily cap; transactional is exempt from the cap', async () => {
    at('2026-03-04T09:00:00Z');
    const { p, ids } = await programWithMembers('Policy', [
      { externalId: 'A', name: 'Consents', email: 'a@x.example', consent: { marketing: true } },
      { externalId: 'B', name: 'No consent', email: 'b@x.example' },
      { externalId: 'C', name: 'Opted out of e-mail', email: 'c@x.example', consent: { marketing: true } },
      { externalId: 'D', name: 'No address', consent: { marketing: true } },
    ]);
    await api(p, 'PUT', '/messaging/settings', { frequencyCapPerDay: 1, defaultChannels: ['email'] }, 200);
    await api(p, 'PATCH', `/members/${ids.C}/preferences`, { channels: { email: false } }, 200);
    await api(p, 'PUT', '/templates/spring/email/en', { subject: 'Spring offer for {{ member.name }}', body: 'Double points on filters. {{ links.unsubscribe }}' }, 200);
    const campaign = async (name: string) => (await api(p, 'POST', '/campaigns', { name, templateKey: 'spring', audience: { roles: ['foreman'] }, channels: ['email'], category: 'marketing' }, 201)).json();

    const first = await campaign('First');
    expect((await api(p, 'POST', `/campaigns/${first.id}/preview`, undefined, 200)).json()).toEqual({ recipients: 1, byChannel: { email: 1 }, excluded: { noConsent: 1, noAddress: 1, optedOut: 1, capped: 0 } });
    await api(p, 'POST', `/campaigns/${first.id}/send`, undefined, 200);
    expect((await api(p, 'POST', `/campaigns/${first.id}/send`)).statusCode).toBe(409);
    expect(await deliver(p)).toMatchObject({ claimed: 4, sent: 1, suppressed: 3 });
    const reasons = async (ext: string) => (await api(p, 'GET', `/members/ext:${ext}/messages`, undefined, 200)).json().items.map((m: { status: string; reason: string | null }) => `${m.status}:${m.reason}`);
    expect(await reasons('A')).toEqual(['sent:null']);
    expect(await reasons('B')).toEqual(['suppressed:no_consent']);
    expect(await reasons('C')).toEqual(['suppressed:opted_out']);
    expect(await reasons('D')).toEqual(['suppressed:no_address']);

    // Same day: the cap stops a second marketing e-mail, and the preview says so; a transactional one still goes.
    later(3600_000);
    const second = await campaign('Second');
    expect((await api(p, 'POST', `/campaigns/${second.id}/preview`, undefined, 200)).json().excluded.capped).toBe(1);
    await api(p, 'POST', `/campaigns/${second.id}/send`, undefined, 200);
    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'tx-a', memberIds: [ids.A], data: { award: { amount: 1, currency: 'points' } } }]));
    await deliver(p);
    expect(await reasons('A')).toEqual(['sent:null', 'suppressed:capped', 'sent:null']);
    // The next day the cap starts again.
    at('2026-03-05T09:00:00Z');
    const third = await campaign('Third');
    await api(p, 'POST', `/campaigns/${third.id}/send`, undefined, 200);
    await deliver(p);
    expect((await reasons('A'))[0]).toBe('sent:null');

    const reach = (await api(p, 'GET', `/campaigns/${first.id}/reach`, undefined, 200)).json();
    expect(reach).toMatchObject({ targeted: 4, delivered: 1, clicked: 0, byChannel: { email: { targeted: 4, delivered: 1 } }, byRole: { foreman: { targeted: 4 } } });
  });

  it('a switched-off trigger writes no message', async () => {
    const { p, ids } = await programWithMembers('Triggers off', [{ externalId: 'E-1', name: 'Eve', email: 'e@x.example' }]);
    await api(p, 'PUT', '/messaging/settings', { triggers: { points_matured: { enabled: false } } }, 200);
    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'x', memberIds: [ids['E-1']], data: { award: { amount: 1, currency: 'points' } } }]));
    expect((await api(p, 'GET', `/members/${ids['E-1']}/messages`, undefined, 200)).json().items).toEqual([]);
  });
});

describe('bad input is a 422 that changes nothing', () => {
  let p: TestProgram;
  beforeAll(async () => {
    ({ p } = await programWithMembers('Bad input', [{ externalId: 'E-1', name: 'Eve', email: 'e@x.example' }]));
    await api(p, 'PUT', '/templates/offer/email/en', { subject: 'Offer', body: 'Hello {{ member.name }}' }, 200);
  });

  it.each([
    ['an unknown variable', { subject: 'Hi', body: 'Hello\n  {{ member.nme }}' }, 'body', 'undefined variable: member.nme (line 2, column 6)'],
    ['an unclosed tag', { body: '{% if member.name %}Hello' }, 'body', 'not closed'],
    ['an unknown filter', { subject: '{{ member.name | shout }}', body: 'x' }, 'subject', 'undefined filter: shout (line 1, column 1)'],
  ])('a template with %s', async (_what, body, path, message) => {
    const r = await api(p, 'PUT', '/templates/points_earned/email/en', body, 422);
    expect(r.json().code).toBe('TEMPLATE_INVALID');
    expect(r.json().errors[0].path).toBe(path);
    expect(r.json().errors[0].message).toContain(message);
    expect((await api(p, 'GET', '/templates?key=points_earned&channel=email&locale=en', undefined, 200)).json().items.every((x: { builtIn: boolean }) => x.builtIn)).toBe(true);
  });

  it('a template in an unknown locale', async () => {
    const r = await api(p, 'PUT', '/templates/offer/email/xx', { body: 'Hello' }, 422);
    expect(r.json().errors[0].path).toBe('params.locale');
  });

  it('a campaign whose audience matches nobody, or scheduled in the past, or of a template that does not exist', async () => {
    const nobody = await api(p, 'POST', '/campaigns', { name: 'Nobody', templateKey: 'offer', audience: { roles: ['astronaut'] } }, 422);
    expect(nobody.json().code).toBe('AUDIENCE_EMPTY');
    const past = await api(p, 'POST', '/campaigns', { name: 'Past', templateKey: 'offer', audience: {}, sendAt: new Date(clock.getTime() - 60_000).toISOString() }, 422);
    expect(past.json().errors).toEqual([{ path: 'sendAt', message: 'must be in the future' }]);
    const noTemplate = await api(p, 'POST', '/campaigns', { name: 'No template', templateKey: 'ghost', audience: {} }, 422);
    expect(noTemplate.json().errors[0].path).toBe('templateKey');
    expect((await api(p, 'GET', '/campaigns', undefined, 200)).json().items).toEqual([]);
  });

  it('a preview renders a default template in every shipped locale, and refuses an unknown variable', async () => {
    for (const locale of ['en', 'fr', 'fa', 'uk', 'hi', 'tl']) {
      const r = (await api(p, 'POST', '/templates/preview', { key: 'points_earned', channel: 'email', locale }, 200)).json();
      expect(r.subject).toContain('1200');
      expect(r.text).toContain('Anna Martin');
    }
    const bad = await api(p, 'POST', '/templates/preview', { key: 'points_earned', channel: 'sms', body: '{{ award.amont }}' }, 422);
    expect(bad.json().errors[0].message).toContain('award.amont');
  });
});

describe('scheduled campaigns and the portal inbox', () => {
  it('a scheduled campaign goes out when due; the member reads it in the portal and the badge goes down', async () => {
    at('2026-03-06T09:00:00Z');
    const { p, ids } = await programWithMembers('Inbox', [{ externalId: 'E-1', name: 'Ines', email: 'ines@acme.example', consent: { marketing: true } }]);
    await api(p, 'PUT', '/templates/news/inbox/en', { subject: 'News', body: 'Hello {{ member.name }}, the catalogue is new.' }, 200);
    const c = (await api(p, 'POST', '/campaigns', { name: 'News', templateKey: 'news', audience: { memberIds: ['ext:E-1'] }, channels: ['inbox'], sendAt: '2026-03-06T12:00:00Z' }, 201)).json();
    expect((await api(p, 'POST', `/campaigns/${c.id}/send`, undefined, 200)).json().status).toBe('scheduled');
    expect(await t.services.campaigns.dispatchDue(clock)).toBe(0);
    at('2026-03-06T12:00:00Z');
    expect(await t.services.campaigns.dispatchDue(clock)).toBe(1);
    expect(await t.services.campaigns.dispatchDue(clock)).toBe(0);
    await deliver(p);

    const member = await t.loginMember('ines@acme.example');
    const inbox = (await t.callAs(member, 'GET', '/api/v1/portal/inbox')).json();
    expect(inbox.unread).toBe(1);
    expect(inbox.items[0]).toMatchObject({ subject: 'News', text: 'Hello Ines, the catalogue is new.', readAt: null });
    expect((await t.callAs(member, 'POST', `/api/v1/portal/inbox/${inbox.items[0].id}/read`)).json()).toEqual({ unread: 0 });
    const prefs = await t.callAs(member, 'PATCH', '/api/v1/portal/preferences', { channels: { email: false }, quietHours: { from: '22:00', to: '07:00' } });
    expect(prefs.json()).toMatchObject({ memberId: ids['E-1'], channels: { email: false }, quietHours: { from: '22:00', to: '07:00' } });
    const reach = (await api(p, 'GET', `/campaigns/${c.id}/reach`, undefined, 200)).json();
    expect(reach).toMatchObject({ targeted: 1, delivered: 1, verifiedOpened: 1 });
  });
});
