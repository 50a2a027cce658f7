import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createServices } from '../../services.js';
import { createTestApp, sessionCookieOf, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { startTestSmtp, type TestSmtp } from '../../../test/support/smtp-server.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../../test/support/webhook-receiver.js';
import type { CodeLog } from '../portal/index.js';

/**
 * Portal sign-in codes through messaging: the code becomes a `sign_in_code` message in the
 * outbox, leaves by the program's SMTP server (a real one on 127.0.0.1, the MIME parsed), the
 * development mailbox or the SMS gateway, and the code read from what arrived signs in. The
 * message log and the production log never show it.
 */

const API = '/api/v1';
let t: TestApp;
let smtp: TestSmtp;
let rx: WebhookReceiver;
let seq = 0;

const post = (path: string, body: unknown) =>
  t.app.inject({ method: 'POST', url: `${API}${path}`, remoteAddress: `10.7.0.${seq++ % 250}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const api = async (p: TestProgram, method: string, url: string, body?: unknown) => t.call(p, method, `${API}${url}`, body);
const deliver = (p: TestProgram) => t.services.messaging.deliverDue(new Date(), { programId: p.programId });
const codeOf = (text: string) => /\b(\d{6})\b/.exec(text)?.[1];

async function programWith(name: string, member: Record<string, unknown>) {
  const p = await t.newProgram(name);
  await api(p, 'POST', '/roles', { code: 'sales', name: 'Sales' });
  await api(p, 'POST', '/accounts', { externalId: 'C-1', name: 'Acme', type: 'dealer' });
  const m = (await api(p, 'POST', '/accounts/ext:C-1/members', { externalId: 'E-1', role: 'sales', ...member })).json();
  const code = (await api(p, 'GET', '/program')).json().code as string;
  return { p, memberId: m.id as string, code };
}

/** Everything the console can read of a member's messages: the list and each message with its timeline. */
async function consoleView(p: TestProgram, memberId: string) {
  const list = (await api(p, 'GET', `/members/${memberId}/messages`)).json();
  const one = await Promise.all(list.items.map(async (m: { id: string }) => (await api(p, 'GET', `/messages/${m.id}`)).body));
  return { items: list.items as { templateKey: string; status: string; text: string; subject: string; html: string | null; channel: string }[], text: JSON.stringify(list) + one.join('') };
}

beforeAll(async () => {
  t = await createTestApp({ services: { secretKey: Buffer.alloc(32, 5), devMailbox: true } });
  smtp = await startTestSmtp();
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await t.services.messaging.close();
  await smtp.close();
  await rx.close();
  await t.close();
});

describe('sign-in codes through messaging', () => {
  it('e-mails the code through the program SMTP server, in the member locale, despite quiet hours and an e-mail opt-out; the code from the mail signs in', async () => {
    const { p, memberId, code } = await programWith('Mail Club', { name: 'Camille', email: 'camille@acme.test', locale: 'fr' });
    await api(p, 'POST', '/channels', { type: 'email', name: 'Club mail', settings: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Mail Club <club@mail.test>' } });
    // Quiet all day, marketing off, e-mail switched off: a code is still sent.
    await api(p, 'PUT', '/messaging/settings', { quietHours: { from: '00:00', to: '23:59' } });
    await api(p, 'PATCH', `/members/${memberId}/preferences`, { channels: { email: false }, categories: { marketing: false } });

    expect((await post('/portal/auth/request', { email: 'Camille@Acme.test', program: code })).statusCode).toBe(202);
    const report = await deliver(p);
    expect(report).toMatchObject({ sent: 1, held: 0, suppressed: 0 });
    expect(smtp.mails).toHaveLength(1);
    const mail = smtp.mails[0];
    expect(mail.to && 'text' in mail.to ? mail.to.text : '').toBe('camille@acme.test');
    expect(mail.subject).toContain('code de connexion Mail Club');
    expect(mail.headers.get('list-unsubscribe')).toBeUndefined();
    const sent = codeOf(mail.text ?? '');
    expect(sent).toBe(codeOf(mail.subject ?? ''));
    expect(mail.html).toContain(sent);

    const r = await post('/portal/auth/verify', { email: 'camille@acme.test', code: sent, program: code });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ member: { id: memberId } });
    sessionCookieOf(r);

    // The console's message log shows that a code went out, not the code.
    const seen = await consoleView(p, memberId);
    expect(seen.items).toEqual([expect.objectContaining({ templateKey: 'sign_in_code', status: 'sent', channel: 'email' })]);
    expect(seen.items[0].text).toContain('••••••');
    expect(seen.text).not.toContain(sent);
    // Nor does the database keep it, sealed or not, once sent.
    const rows = await inTransaction(t.database, (tx) => tx.execute(sql`select data, subject, body_text, body_html from messages where program_id = ${p.programId}`));
    expect(rows.rows).toEqual([expect.objectContaining({ data: {} })]);
    expect(JSON.stringify(rows.rows)).not.toContain(sent);
  });

  it('puts the code in the development mailbox when no SMTP is configured, and that code signs in', async () => {
    const { p, memberId, code } = await programWith('Dev Club', { name: 'Ines', email: 'ines@acme.test' });
    await post('/portal/auth/request', { email: 'ines@acme.test', program: code });
    // Queued in the transaction of the request, sealed.
    const queued = await inTransaction(t.database, (tx) => tx.execute<{ data: { sealed?: string } }>(sql`select data from messages where program_id = ${p.programId}`));
    expect(queued.rows[0].data.sealed).toMatch(/^v1\./);
    await deliver(p);
    const box = (await api(p, 'GET', '/messaging/dev-mailbox')).json().items;
    expect(box).toHaveLength(1);
    expect(box[0]).toMatchObject({ to: 'ines@acme.test', subject: expect.stringContaining('sign-in code') });
    const sent = codeOf(box[0].text)!;
    expect(box[0].html).toContain(sent);
    expect((await consoleView(p, memberId)).text).not.toContain(sent);
    const r = await post('/portal/auth/verify', { email: 'ines@acme.test', code: sent, program: code });
    expect(r.statusCode).toBe(200);
  });

  it('sends the code by the SMS gateway to the number signed in with', async () => {
    const { p, memberId, code } = await programWith('Sms Club', { name: 'Olena', phone: '+380 44 555 12 34' });
    const gw = (await api(p, 'POST', '/channels', { type: 'http', name: 'SMS', settings: { url: rx.url('/sms'), medium: 'sms' } })).json();
    rx.trust('/sms', gw.signingSecret);
    await post('/portal/auth/request', { phone: '+380445551234', program: code });
    await deliver(p);
    const got = rx.received('/sms');
    expect(got).toHaveLength(1);
    expect(got[0].signed).toBe(true);
    const body = JSON.parse(got[0].body) as { to: string; text: string; channel: string };
    expect(body).toMatchObject({ to: '+380445551234', channel: 'sms' });
    const sent = codeOf(body.text)!;
    expect((await consoleView(p, memberId)).text).not.toContain(sent);
    expect((await post('/portal/auth/verify', { phone: '+380445551234', code: sent, program: code })).statusCode).toBe(200);
  });

  it('suppresses a code that expired before it could be sent', async () => {
    const { p, memberId, code } = await programWith('Late Club', { name: 'Lea', email: 'lea@acme.test' });
    await post('/portal/auth/request', { email: 'lea@acme.test', program: code });
    await t.services.messaging.deliverDue(new Date(Date.now() + 11 * 60_000), { programId: p.programId });
    const [m] = (await consoleView(p, memberId)).items;
    expect(m).toMatchObject({ status: 'suppressed' });
    expect((await api(p, 'GET', '/messaging/dev-mailbox')).json().items).toEqual([]);
  });

  it('refuses a sign_in_code template that does not show the code', async () => {
    const p = await t.newProgram('Template Club');
    const bad = await api(p, 'PUT', '/templates/sign_in_code/email/en', { subject: 'Your code', body: 'Hello {{ member.name }}' });
    expect(bad.statusCode).toBe(422);
    expect((await api(p, 'PUT', '/templates/sign_in_code/email/en', { subject: 'Code', body: 'Use {{ code }} within {{ minutes }} minutes.' })).statusCode).toBe(200);
  });

  it('in production logs nothing of the code, keeps no development mailbox, and still mails it through SMTP', async () => {
    const { p, memberId, code } = await programWith('Prod Club', { name: 'Paul', email: 'paul@acme.test' });
    const prod = createServices(t.database, { production: true, testEndpoints: true, secretKey: Buffer.alloc(32, 5) });
    const seen: string[] = [];
    const log: CodeLog = { info: (m) => seen.push(m), warn: (m) => seen.push(m) };

    // No SMTP channel: no development mailbox in production, the log-only fallback, without the code.
    await prod.portal.requestCode({ contact: { email: 'paul@acme.test' }, program: code }, '10.6.0.1', log);
    const first = await prod.portal.testCode({ contact: { email: 'paul@acme.test' } });
    expect(seen.join('\n')).not.toContain(first);
    expect(seen.join('\n')).not.toContain('paul@');
    expect((await consoleView(p, memberId)).items).toEqual([]);

    await api(p, 'POST', '/channels', { type: 'email', name: 'Club mail', settings: { host: '127.0.0.1', port: smtp.port, secure: false, from: 'Prod Club <club@prod.test>' } });
    const before = smtp.mails.length;
    await prod.portal.requestCode({ contact: { email: 'paul@acme.test' }, program: code }, '10.6.0.2', log);
    const second = await prod.portal.testCode({ contact: { email: 'paul@acme.test' } });
    await prod.messaging.deliverDue(new Date(), { programId: p.programId });
    await prod.messaging.close();
    expect(codeOf(smtp.mails[before].text ?? '')).toBe(second);
    expect(seen.join('\n')).not.toContain(second);
    expect(seen.join('\n')).toMatch(/queued as message msg_/);
    expect((await consoleView(p, memberId)).text).not.toContain(second);
  });
});
