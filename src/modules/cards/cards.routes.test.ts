import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createH2Server, type Http2Server } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { deliverCardUpdates } from './cards.delivery.js';

/**
 * Virtual cards over HTTP: designs (images checked and resized), the signed member token, write-only
 * issuer credentials, a .pkpass signed by a certificate chain made here (a test CA standing in for
 * Apple's WWDR), the PassKit web service, one push per change to a local HTTP/2 server standing in
 * for APNs, and Google's save JWT and object updates against a local server standing in for the Wallet API.
 */

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let dir: string;
let pem: { ca: string; cert: string; key: string; otherCa: string };
let n = 0;
const key = () => ({ 'idempotency-key': `card-${n++}` });

async function api(method: string, url: string, body?: unknown, headers?: Record<string, string>, prog: TestProgram = p) {
  return t.call(prog, method, `/api/v1${url}`, body, headers);
}
async function ok(method: string, url: string, body?: unknown, headers?: Record<string, string>) {
  const r = await api(method, url, body, headers);
  if (r.statusCode >= 300) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const design = (over: Record<string, unknown> = {}) => ({
  kind: 'cashback',
  name: 'Gold card',
  colors: { background: '#12355b', foreground: '#ffffff', label: '#ffd166' },
  fields: ['memberName', 'company', 'tier', 'personalBalance', 'companyBalance'],
  barcode: 'qr',
  currency: 'pts',
  texts: { en: { title: 'Acme rewards', terms: 'Points expire after 24 months.' }, fr: { title: 'Récompenses Acme' } },
  ...over,
});
const apple = () => ({ passTypeIdentifier: 'pass.com.example.fealty', teamIdentifier: 'ABCDE12345', organizationName: 'Acme', certificatePem: pem.cert, privateKeyPem: pem.key, wwdrPem: pem.ca });

beforeAll(async () => {
  // A throwaway chain: a CA standing in for Apple's WWDR and a pass certificate it signed.
  dir = mkdtempSync(join(tmpdir(), 'cards-'));
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '30', '-subj', '/CN=Test WWDR CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'pass.key', '-out', 'pass.csr', '-subj', '/UID=pass.com.example.fealty/CN=Pass Type ID: pass.com.example.fealty');
  openssl('x509', '-req', '-in', 'pass.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'pass.pem', '-days', '20');
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other.pem', '-days', '30', '-subj', '/CN=Someone else');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  pem = { ca: read('ca.pem'), cert: read('pass.pem'), key: read('pass.key'), otherCa: read('other.pem') };

  t = await createTestApp({ services: { secretKey: Buffer.alloc(32, 7), publicUrl: 'https://loyalty.example' } });
  p = await t.newProgram('Cards');
  other = await t.newProgram('Other');
  await ok('POST', '/currencies', { code: 'pts', name: 'Points', kind: 'points' });
  await ok('POST', '/currencies', { code: 'stamps', name: 'Stamps', kind: 'stamps' });
  await ok('POST', '/roles', { code: 'buyer', name: 'Buyer' });
  await ok('POST', '/accounts', { externalId: 'C-1', name: 'Clinic Nord', type: 'clinic' });
  await ok('POST', '/accounts/ext:C-1/members', { externalId: 'M-1', name: 'Dr Amir', role: 'buyer', email: 'amir@cards.test' });
  await ok('POST', '/adjustments', { memberId: 'ext:M-1', currency: 'pts', amount: 1240, reason: 'Opening balance' }, key());
  await ok('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'pts', amount: 5000, reason: 'Company balance' }, key());
  await ok('POST', '/adjustments', { memberId: 'ext:M-1', currency: 'stamps', amount: 3, reason: 'Paper card carried over' }, key());
  const reward = await ok('POST', '/rewards', { name: 'Free cleaning kit', kind: 'gift', cost: { currency: 'pts', amount: 5000 }, stock: 100 });
  await ok('PUT', '/currencies/stamps/stamp-card', { stampsPerCard: 8, rewardId: reward.id });
}, 60_000);
afterAll(async () => t?.close());

describe('designs and the member token', () => {
  it('creates a design with its images resized, and lists it', async () => {
    const logo = (await sharp({ create: { width: 1200, height: 600, channels: 3, background: '#ff0000' } }).jpeg().toBuffer()).toString('base64');
    const d = await ok('POST', '/card-designs', design({ logo, strip: logo }));
    expect(d).toMatchObject({ kind: 'cashback', barcode: 'qr', currency: 'pts', logoFileId: expect.any(String), stripFileId: expect.any(String) });
    const list = await ok('GET', '/card-designs');
    expect(list.items[0]).toMatchObject({ id: d.id, issued: 0, installed: 0, lastUpdateAt: null });
    expect((await api('GET', '/card-designs', undefined, undefined, other)).json().items).toEqual([]);
  });

  it('refuses bad input with clear errors', async () => {
    const cases: [Record<string, unknown>, string, number][] = [
      [{ kind: 'gift' }, 'kind', 422],
      [{ colors: { background: 'red', foreground: '#ffffff', label: '#ffffff' } }, 'colors.background', 422],
      [{ barcode: 'ean13' }, 'barcode', 422],
      [{ logo: Buffer.from('MZ this is an exe').toString('base64') }, 'logo', 422],
      [{ logo: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]).toString('base64') }, 'logo', 422],
      [{ kind: 'stamp', currency: 'pts' }, 'currency', 422],
      [{ extra: 1 }, '', 422],
    ];
    for (const [over, path, status] of cases) {
      const r = await api('POST', '/card-designs', design(over));
      expect(r.statusCode, JSON.stringify(over)).toBe(status);
      if (path) expect(JSON.stringify(r.json().errors)).toContain(path.split('.').pop());
    }
  });

  it('resolves a signed token to the member, the account and the discount; a forged one is a 404', async () => {
    const { id: designId } = (await ok('GET', '/card-designs')).items[0];
    const preview = await ok('GET', `/card-designs/${designId}/preview?memberId=ext:M-1`);
    expect(preview.face).toMatchObject({ memberName: 'Dr Amir', company: 'Clinic Nord', personalBalance: 1240, companyBalance: 5000, currency: 'pts' });
    expect(preview.fields.primary).toMatchObject({ key: 'personalBalance', value: '1,240 pts' });
    const r = await ok('GET', `/cards/resolve/${encodeURIComponent(preview.token)}`);
    expect(r).toMatchObject({ member: { externalId: 'M-1', name: 'Dr Amir' }, account: { externalId: 'C-1', name: 'Clinic Nord' }, discount: { percent: 0 } });
    const forged = `${preview.token.slice(0, -2)}xx`;
    expect((await api('GET', `/cards/resolve/${encodeURIComponent(forged)}`)).json()).toMatchObject({ status: 404, code: 'CARD_TOKEN_INVALID' });
    expect((await api('GET', `/cards/resolve/${encodeURIComponent(preview.token)}`, undefined, undefined, other)).statusCode).toBe(404);
  });
});

describe('issuer credentials', () => {
  it('answers 409 for passes while nothing is set, and says so', async () => {
    expect((await ok('GET', '/card-issuers/apple'))).toMatchObject({ configured: false, certificateExpiresAt: null });
    expect((await api('GET', '/members/ext:M-1/card.pkpass')).json()).toMatchObject({ status: 409, code: 'CARD_ISSUER_NOT_SET' });
    expect((await api('GET', '/members/ext:M-1/card/google')).json()).toMatchObject({ status: 409, code: 'CARD_ISSUER_NOT_SET' });
  });

  it('stores Apple credentials write-only and shows the certificate expiry', async () => {
    expect((await api('PUT', '/card-issuers/apple', { ...apple(), privateKeyPem: readFileSync(join(dir, 'other.key'), 'utf8') })).json()).toMatchObject({ status: 422, errors: [{ path: 'privateKeyPem' }] });
    expect((await api('PUT', '/card-issuers/apple', { ...apple(), certificatePem: 'nope' })).json()).toMatchObject({ status: 422, errors: [{ path: 'certificatePem' }] });
    const v = await ok('PUT', '/card-issuers/apple', apple());
    expect(v).toMatchObject({ configured: true, passTypeIdentifier: 'pass.com.example.fealty', set: { certificatePem: true, privateKeyPem: true, privateKeyPassphrase: false } });
    expect(new Date(v.certificateExpiresAt).getTime()).toBeGreaterThan(Date.now() + 19 * 86_400_000);
    const got = await api('GET', '/card-issuers/apple');
    expect(got.body).not.toContain('PRIVATE KEY');
    expect(got.body).not.toContain('BEGIN CERTIFICATE');
    expect((await api('GET', '/card-issuers/apple', undefined, undefined, other)).json()).toMatchObject({ configured: false });
  });
});

type Pass = { files: Record<string, Uint8Array>; json: Record<string, unknown> & { storeCard: Record<string, { key: string; value: unknown }[]> } };
async function fetchPass(url: string, headers?: Record<string, string>): Promise<Pass> {
  const r = await api('GET', url, undefined, headers);
  expect(r.statusCode, r.body.slice(0, 300)).toBe(200);
  expect(r.headers['content-type']).toBe('application/vnd.apple.pkpass');
  const files = unzipSync(new Uint8Array(r.rawPayload));
  return { files, json: JSON.parse(Buffer.from(files['pass.json']).toString('utf8')) };
}
const valueOf = (pass: Pass, k: string) => Object.values(pass.json.storeCard).flat().find((f) => f.key === k)?.value;

describe('the Apple Wallet pass', () => {
  it('is signed against the chain, with a manifest of every file, for each of the four kinds', async () => {
    const kinds = [
      design({ kind: 'discount', name: 'Discount', fields: ['memberName', 'company', 'discount'] }),
      design({ kind: 'accumulative', name: 'Accumulative', fields: ['memberName', 'tier', 'discount', 'progress'], barcode: 'pdf417' }),
      design({ kind: 'cashback', name: 'Cashback', barcode: 'aztec' }),
      design({ kind: 'stamp', name: 'Stamps', currency: 'stamps', fields: ['memberName', 'stamps'], barcode: 'code128' }),
    ];
    for (const body of kinds) {
      const d = await ok('POST', '/card-designs', body);
      const pass = await fetchPass(`/members/ext:M-1/card.pkpass?designId=${d.id}`);
      const manifest = JSON.parse(Buffer.from(pass.files['manifest.json']).toString('utf8')) as Record<string, string>;
      const names = Object.keys(pass.files).filter((f) => f !== 'manifest.json' && f !== 'signature');
      expect(Object.keys(manifest).sort()).toEqual(names.sort());
      for (const f of names) expect(manifest[f], f).toBe(createHash('sha1').update(pass.files[f]).digest('hex'));
      // The detached PKCS#7 signature of the manifest verifies against the test CA, and not against another.
      writeFileSync(join(dir, 'manifest.json'), pass.files['manifest.json']);
      writeFileSync(join(dir, 'signature'), pass.files.signature);
      openssl('smime', '-verify', '-binary', '-inform', 'DER', '-in', 'signature', '-content', 'manifest.json', '-CAfile', 'ca.pem', '-purpose', 'any', '-out', '/dev/null');
      expect(() => openssl('smime', '-verify', '-binary', '-inform', 'DER', '-in', 'signature', '-content', 'manifest.json', '-CAfile', 'other.pem', '-purpose', 'any', '-out', '/dev/null')).toThrow();
      expect(pass.json).toMatchObject({ formatVersion: 1, passTypeIdentifier: 'pass.com.example.fealty', teamIdentifier: 'ABCDE12345', organizationName: 'Acme', webServiceURL: 'https://loyalty.example/api/v1/passkit', backgroundColor: 'rgb(18, 53, 91)' });
      expect(typeof pass.json.authenticationToken).toBe('string');
      const barcodes = pass.json.barcodes as { format: string; message: string }[];
      expect(barcodes[0].format).toBe({ discount: 'PKBarcodeFormatQR', accumulative: 'PKBarcodeFormatPDF417', cashback: 'PKBarcodeFormatAztec', stamp: 'PKBarcodeFormatCode128' }[d.kind as string]);
      expect((await ok('GET', `/cards/resolve/${encodeURIComponent(barcodes[0].message)}`)).member.externalId).toBe('M-1');
      expect(valueOf(pass, 'memberName')).toBe('Dr Amir');
      if (d.kind === 'discount') expect(pass.json.storeCard.primaryFields[0]).toMatchObject({ key: 'discount', value: '0%' });
      if (d.kind === 'cashback') {
        expect(pass.json.storeCard.primaryFields[0]).toMatchObject({ key: 'personalBalance', value: '1,240 pts' });
        expect(valueOf(pass, 'companyBalance')).toBe('5,000 pts');
        expect(valueOf(pass, 'company')).toBe('Clinic Nord');
      }
      if (d.kind === 'stamp') expect(pass.json.storeCard.primaryFields[0]).toMatchObject({ key: 'stamps', value: '3/8' });
    }
    const list = (await ok('GET', '/card-designs')).items as { kind: string; issued: number }[];
    expect(list.filter((x) => x.issued === 1)).toHaveLength(4);
  }, 60_000);
});

describe('the PassKit web service and pushes', () => {
  let h2: Http2Server;
  let pushes: { path: string; topic: string }[] = [];
  beforeAll(async () => {
    h2 = createH2Server();
    h2.on('stream', (stream, headers) => {
      pushes.push({ path: String(headers[':path']), topic: String(headers['apns-topic']) });
      stream.respond({ ':status': 200 });
      stream.end();
    });
    await new Promise<void>((r) => h2.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => h2.close(() => r())));

  it('registers, lists updated serials, serves the latest pass, pushes once per change, unregisters', async () => {
    const d = (await ok('GET', '/card-designs')).items.find((x: { name: string }) => x.name === 'Cashback');
    const pass = await fetchPass(`/members/ext:M-1/card.pkpass?designId=${d.id}`);
    const serial = pass.json.serialNumber as string;
    const auth = { authorization: `ApplePass ${pass.json.authenticationToken as string}` };
    const regUrl = `/passkit/v1/devices/dev-1/registrations/pass.com.example.fealty/${serial}`;
    expect((await api('POST', regUrl, { pushToken: 'tok-1' }, { authorization: 'ApplePass wrong-token-123456' })).statusCode).toBe(401);
    expect((await api('POST', regUrl, { pushToken: 'tok-1' })).statusCode).toBe(401);
    expect((await api('POST', regUrl, { pushToken: 'tok-1' }, auth)).statusCode).toBe(201);
    expect((await api('POST', regUrl, { pushToken: 'tok-1' }, auth)).statusCode).toBe(200);

    const listed = await api('GET', '/passkit/v1/devices/dev-1/registrations/pass.com.example.fealty');
    expect(listed.json().serialNumbers).toEqual([serial]);
    const tag = listed.json().lastUpdated as string;
    expect((await api('GET', `/passkit/v1/devices/dev-1/registrations/pass.com.example.fealty?passesUpdatedSince=${tag}`)).statusCode).toBe(204);

    const latest = await api('GET', `/passkit/v1/passes/pass.com.example.fealty/${serial}`, undefined, auth);
    expect(latest.statusCode).toBe(200);
    const lastModified = String(latest.headers['last-modified']);
    expect((await api('GET', `/passkit/v1/passes/pass.com.example.fealty/${serial}`, undefined, { ...auth, 'if-modified-since': lastModified })).statusCode).toBe(304);
    expect((await api('GET', `/passkit/v1/passes/pass.com.example.fealty/${serial}`, undefined, { authorization: 'ApplePass nope-nope-nope-nope' })).statusCode).toBe(401);
    expect((await api('POST', '/passkit/v1/log', { logs: ['something went wrong'] })).statusCode).toBe(200);

    // First sight of every card: recorded, nothing pushed.
    await t.services.cards.sync(p.programId);
    const base = `http://127.0.0.1:${(h2.address() as AddressInfo).port}`;
    expect((await deliverCardUpdates(t.services.cards, { apnsBaseUrl: base })).pushes).toBe(0);
    // A change to the balance: one push, to the device's token, with the pass type as topic; a second sync finds nothing new.
    await new Promise((r) => setTimeout(r, 1100));
    await ok('POST', '/adjustments', { memberId: 'ext:M-1', currency: 'pts', amount: 60, reason: 'Purchase' }, key());
    expect(await t.services.cards.sync(p.programId)).toBeGreaterThan(0);
    expect(await t.services.cards.sync(p.programId)).toBe(0);
    pushes = [];
    const report = await deliverCardUpdates(t.services.cards, { apnsBaseUrl: base });
    expect(pushes).toEqual([{ path: '/3/device/tok-1', topic: 'pass.com.example.fealty' }]);
    expect(report.pushes).toBe(1);
    expect((await deliverCardUpdates(t.services.cards, { apnsBaseUrl: base })).pushes).toBe(0);

    const after = await api('GET', `/passkit/v1/devices/dev-1/registrations/pass.com.example.fealty?passesUpdatedSince=${tag}`);
    expect(after.json().serialNumbers).toEqual([serial]);
    const fresh = await fetchPass(`/passkit/v1/passes/pass.com.example.fealty/${serial}`, { ...auth, 'if-modified-since': lastModified });
    expect(fresh.json.storeCard.primaryFields[0]).toMatchObject({ value: '1,300 pts', changeMessage: 'Your balance is now %@' });
    expect((await ok('GET', '/card-designs')).items.find((x: { id: string }) => x.id === d.id)).toMatchObject({ installed: 1, lastUpdateAt: expect.any(String) });

    expect((await api('DELETE', regUrl, undefined, auth)).statusCode).toBe(200);
    expect((await api('GET', '/passkit/v1/devices/dev-1/registrations/pass.com.example.fealty')).statusCode).toBe(204);
  }, 30_000);
});

describe('Google Wallet', () => {
  let server: Server;
  let calls: { method: string; url: string; body: string }[] = [];
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  beforeAll(async () => {
    server = createHttpServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        calls.push({ method: req.method ?? '', url: req.url ?? '', body });
        res.setHeader('content-type', 'application/json');
        res.end(req.url === '/token' ? JSON.stringify({ access_token: 'at-1', expires_in: 3600 }) : '{}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('signs the save link with the service account key, and coalesces notifying updates to three a day', async () => {
    expect((await api('PUT', '/card-issuers/google', { issuerId: '3388000000012345', serviceAccountEmail: 'wallet@acme.iam.gserviceaccount.com', privateKeyPem: 'nope' })).json()).toMatchObject({ status: 422, errors: [{ path: 'privateKeyPem' }] });
    const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(await ok('PUT', '/card-issuers/google', { issuerId: '3388000000012345', serviceAccountEmail: 'wallet@acme.iam.gserviceaccount.com', privateKeyPem })).toMatchObject({ configured: true, set: { privateKeyPem: true } });
    expect((await api('GET', '/card-issuers/google')).body).not.toContain('PRIVATE KEY');

    const { saveUrl } = await ok('GET', '/members/ext:M-1/card/google');
    expect(saveUrl).toMatch(/^https:\/\/pay\.google\.com\/gp\/v\/save\//);
    const jwt = saveUrl.split('/').pop() as string;
    expect(decodeProtectedHeader(jwt).alg).toBe('RS256');
    const publicKey = await importSPKI(keys.publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256');
    const { payload } = await jwtVerify(jwt, publicKey, { issuer: 'wallet@acme.iam.gserviceaccount.com', audience: 'google' });
    expect(payload).toMatchObject({ typ: 'savetowallet', origins: ['https://loyalty.example'] });
    const objects = (payload.payload as { loyaltyObjects: { id: string; classId: string; accountName: string; loyaltyPoints: { balance: { string: string } } }[] }).loyaltyObjects;
    expect(objects[0]).toMatchObject({ accountName: 'Dr Amir', classId: expect.stringMatching(/^3388000000012345\./) });
    await expect(jwtVerify(jwt, await importSPKI(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString(), 'RS256'))).rejects.toThrow();

    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const targets = { googleApiBaseUrl: `${base}/v1`, googleTokenUrl: `${base}/token`, apnsBaseUrl: 'http://127.0.0.1:1' };
    await t.services.cards.sync(p.programId);
    await deliverCardUpdates(t.services.cards, targets);
    calls = [];
    let notified = 0;
    for (let i = 0; i < 5; i++) {
      await ok('POST', '/adjustments', { memberId: 'ext:M-1', currency: 'pts', amount: 10, reason: `Purchase ${i}` }, key());
      await t.services.cards.sync(p.programId);
      notified += (await deliverCardUpdates(t.services.cards, targets)).googleNotified;
    }
    const puts = calls.filter((c) => c.method === 'PUT' && c.url.startsWith('/v1/loyaltyObject/'));
    expect(puts.length).toBeGreaterThanOrEqual(5);
    // Five changes to each of the member's cards: per card three notify, the other two update silently.
    const perCard = new Map<string, number>();
    for (const c of calls.filter((x) => x.url.endsWith('/addMessage'))) perCard.set(c.url, (perCard.get(c.url) ?? 0) + 1);
    expect(perCard.size).toBeGreaterThan(0);
    expect([...perCard.values()].every((v) => v === 3)).toBe(true);
    expect(notified).toBe(3 * perCard.size);
    expect(JSON.parse(puts.at(-1)!.body)).toMatchObject({ accountName: 'Dr Amir' });
  }, 30_000);
});
