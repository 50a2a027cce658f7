import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { Agent, createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createTestApp, type TestApp } from '../../../test/support/app.js';

/**
 * Web Push end to end: a local HTTPS server plays the push service (its self-signed certificate
 * trusted through the agent), checks the VAPID authorisation, and decrypts the payload with the
 * subscription's keys as a browser would (RFC 8291 aes128gcm), written from the RFC, not from web-push.
 */

const hmac = (key: Buffer, data: Buffer) => createHmac('sha256', key).update(data).digest();

function decrypt(body: Buffer, uaPrivate: ReturnType<typeof createECDH>, auth: Buffer): string {
  const salt = body.subarray(0, 16);
  const idlen = body[20];
  const asPublic = body.subarray(21, 21 + idlen);
  const ciphertext = body.subarray(21 + idlen);
  const uaPublic = uaPrivate.getPublicKey();
  const ecdh = uaPrivate.computeSecret(asPublic);
  const prkKey = hmac(auth, ecdh);
  const ikm = hmac(prkKey, Buffer.concat([Buffer.from('WebPush: info\0'), uaPublic, asPublic, Buffer.from([1])]));
  const prk = hmac(salt, ikm);
  const cek = hmac(prk, Buffer.from('Content-Encoding: aes128gcm\0\x01', 'binary')).subarray(0, 16);
  const nonce = hmac(prk, Buffer.from('Content-Encoding: nonce\0\x01', 'binary')).subarray(0, 12);
  const d = createDecipheriv('aes-128-gcm', cek, nonce);
  d.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const plain = Buffer.concat([d.update(ciphertext.subarray(0, ciphertext.length - 16)), d.final()]);
  // The last record ends with the delimiter 0x02 followed by padding zeros.
  let end = plain.length - 1;
  while (end > 0 && plain[end] === 0) end--;
  return plain.subarray(0, end).toString('utf8');
}

let t: TestApp;
let server: Server;
let base: string;
const received: { path: string; headers: Record<string, unknown>; body: Buffer }[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fealty-push-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem'), '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const cert = readFileSync(join(dir, 'c.pem'));
  server = createServer({ key: readFileSync(join(dir, 'k.pem')), cert }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      // A subscription the browser dropped: 410 Gone.
      res.writeHead(req.url?.startsWith('/gone') ? 410 : 201).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  t = await createTestApp({ services: { secretKey: Buffer.alloc(32, 5), pushAgent: new Agent({ ca: cert }) } });
});
afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await t.close();
});

describe('Web Push', () => {
  it("encrypts the message for the subscription with the program's VAPID keys; a gone subscription fails at once and is removed", async () => {
    const p = await t.newProgram('Push');
    const api = async (method: string, url: string, body?: unknown) => {
      const r = await t.call(p, method, `/api/v1${url}`, body);
      if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
      return r.json();
    };
    await api('POST', '/roles', { code: 'engineer', name: 'Engineer' });
    await api('POST', '/accounts', { externalId: 'C-1', name: 'Clinic', type: 'clinic' });
    const a = await api('POST', '/accounts/ext:C-1/members', { externalId: 'D-1', name: 'Dr Amir', role: 'engineer', locale: 'fa', email: 'amir@clinic.example' });
    const b = await api('POST', '/accounts/ext:C-1/members', { externalId: 'D-2', name: 'Dr Bea', role: 'engineer' });
    await api('PUT', '/messaging/settings', { defaultChannels: ['push'] });

    // The portal before the program has Web Push: nothing to subscribe to.
    const member = await t.loginMember('amir@clinic.example');
    expect((await t.callAs(member, 'GET', '/api/v1/portal/push')).json()).toEqual({ available: false, publicKey: null, subscribed: false, endpoint: null, enabled: true });
    const channel = await api('POST', '/channels', { type: 'webpush', name: 'Portal push', settings: { subject: 'mailto:club@aquapure.example' } });
    // The private key is sealed like every channel secret: listed as set, never shown.
    const listed = (await api('GET', '/channels')).items.find((c: { id: string }) => c.id === channel.id);
    expect(listed).toMatchObject({ settings: { subject: 'mailto:club@aquapure.example', vapidPublicKey: channel.vapidPublicKey }, secretsSet: ['vapidPrivateKey'] });
    expect(JSON.stringify(listed)).not.toMatch(/vapidPrivateKey"\s*:/);

    const ua = createECDH('prime256v1');
    ua.generateKeys();
    const auth = randomBytes(16);
    const keys = { p256dh: ua.getPublicKey().toString('base64url'), auth: auth.toString('base64url') };
    expect((await t.callAs(member, 'GET', '/api/v1/portal/push')).json()).toMatchObject({ available: true, publicKey: channel.vapidPublicKey, subscribed: false });
    // What the browser's PushSubscription.toJSON() gives, as the portal sends it.
    const bad = await t.callAs(member, 'PUT', '/api/v1/portal/push/subscription', { endpoint: 'http://push.example/x', expirationTime: null, keys });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toContain('endpoint');
    const put = await t.callAs(member, 'PUT', '/api/v1/portal/push/subscription', { endpoint: `${base}/push/abc`, expirationTime: null, keys });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({ available: true, publicKey: channel.vapidPublicKey, subscribed: true, endpoint: `${base}/push/abc`, enabled: true });
    await api('PATCH', `/members/${b.id}/preferences`, { pushSubscription: { endpoint: `${base}/gone/xyz`, keys } });
    expect(await api('GET', `/members/${b.id}/preferences`)).toMatchObject({ pushSubscribed: true });
    // The sign-in code's e-mail out of the way.
    await t.services.messaging.deliverDue(new Date(), { programId: p.programId });

    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'tx-p', memberIds: [a.id, b.id], data: { award: { amount: 12, currency: 'points' } } }]));
    expect(await t.services.messaging.deliverDue(new Date(), { programId: p.programId })).toMatchObject({ claimed: 2, sent: 1, failed: 1 });

    const push = received.find((r) => r.path === '/push/abc')!;
    expect(push.headers['content-encoding']).toBe('aes128gcm');
    expect(push.headers.ttl).toBe('86400');
    expect(push.headers.urgency).toBe('normal');
    // VAPID: `vapid t=<JWT>, k=<the channel's public key>`.
    expect(String(push.headers.authorization)).toMatch(new RegExp(`^vapid t=[\\w-]+\\.[\\w-]+\\.[\\w-]+, k=${channel.vapidPublicKey}$`));
    const jwt = JSON.parse(Buffer.from(String(push.headers.authorization).split(/[ .,]/)[2], 'base64url').toString()) as { aud: string; sub: string; exp: number };
    expect(jwt).toMatchObject({ aud: base, sub: 'mailto:club@aquapure.example' });
    const payload = JSON.parse(decrypt(push.body, ua, auth)) as { id: string; title: string; body: string; url: string };
    expect(payload.title).toBe('12 points اکنون در دسترس است');
    expect(payload.body).toContain('سلام Dr Amir');
    expect(payload.url).toBe('http://localhost:3000/portal/inbox');

    // 410 Gone: failed at once, and the subscription is forgotten.
    const gone = (await api('GET', `/members/${b.id}/messages`)).items[0];
    expect(gone).toMatchObject({ status: 'failed', attempts: 1 });
    expect(gone.reason).toContain('410');
    expect((await api('GET', `/messages/${gone.id}`)).timeline.at(-1).detail).toContain('push subscription removed');
    expect(await api('GET', `/members/${b.id}/preferences`)).toMatchObject({ pushSubscribed: false });
    // The next message to the member is not sent to the dead endpoint: no address.
    const before = received.filter((r) => r.path.startsWith('/gone')).length;
    await inTransaction(t.database, (tx) => t.services.messaging.notify(tx, p.programId, [{ trigger: 'points_matured', objectId: 'tx-q', memberIds: [b.id], data: { award: { amount: 3, currency: 'points' } } }]));
    expect(await t.services.messaging.deliverDue(new Date(), { programId: p.programId })).toMatchObject({ claimed: 1, suppressed: 1 });
    expect((await api('GET', `/members/${b.id}/messages`)).items[0]).toMatchObject({ status: 'suppressed', reason: 'no_address' });
    expect(received.filter((r) => r.path.startsWith('/gone')).length).toBe(before);

    // The portal's switch off: the subscription goes.
    const off = await t.callAs(member, 'DELETE', '/api/v1/portal/push/subscription');
    expect(off.json()).toMatchObject({ available: true, subscribed: false, endpoint: null });
    expect(await api('GET', `/members/${a.id}/preferences`)).toMatchObject({ pushSubscribed: false, channels: { push: true } });
  });
});
