import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { solveChallenge } from './join.pow.js';

const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
let other: TestProgram;
let code: string;
let otherCode: string;
let ip = 0;

const api = (method: string, url: string, body?: unknown, prog: TestProgram | null = p) => t.call(prog, method, `${API}${url}`, body);
async function ok<T = Record<string, unknown>>(method: string, url: string, body?: unknown, prog: TestProgram = p): Promise<T> {
  const r = await api(method, url, body, prog);
  expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
  return r.json() as T;
}
/** A public call from its own address (the join endpoints are rate-limited per address). */
const pub = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: method as 'POST', url: `${API}${url}`, remoteAddress: `10.9.${Math.floor(++ip / 250)}.${ip % 250}`, headers: { ...(body !== undefined && typeof body !== 'string' ? { 'content-type': 'application/json' } : {}), ...headers }, payload: typeof body === 'string' ? body : body === undefined ? undefined : JSON.stringify(body) });
async function solved(c = code) {
  const r = await pub('POST', `/j/${c}/challenge`);
  expect(r.statusCode, r.body).toBe(201);
  const { challenge, difficulty } = r.json();
  return { challenge, nonce: solveChallenge(challenge, difficulty) };
}
const person = (over: Record<string, unknown> = {}) => ({ name: 'Ana Lima', email: 'ana@nordic.test', role: 'sales', companyCode: 'C-1', consent: true, ...over });
async function register(over: Record<string, unknown> = {}, c = code) {
  return pub('POST', `/j/${c}/requests`, { ...person(over), ...(await solved(c)) });
}

beforeAll(async () => {
  t = await createTestApp({ services: { joinPowDifficulty: 8 } });
  p = await t.newProgram('Nordic Pumps');
  other = await t.newProgram('Other Pumps');
  await ok('PATCH', '/program', { phoneCountry: 'FR' }).catch(() => undefined);
  code = (await ok<{ code: string }>('GET', '/program')).code;
  otherCode = (await ok<{ code: string }>('GET', '/program', undefined, other)).code;
  for (const prog of [p, other]) {
    await ok('POST', '/roles', { code: 'sales', name: 'Sales rep' }, prog);
    await ok('POST', '/roles', { code: 'owner', name: 'Owner' }, prog);
    await ok('POST', '/accounts', { externalId: 'C-1', name: 'Nordic Installers', type: 'installer' }, prog);
    await ok('POST', '/accounts', { externalId: 'C-2', name: 'Second Installers', type: 'installer' }, prog);
  }
  await ok('POST', '/accounts/ext:C-1/members', { externalId: 'ADM-1', name: 'Olga Admin', role: 'owner', email: 'olga@nordic-installers.test', partnerAdmin: true });
  await ok('POST', '/accounts/ext:C-2/members', { externalId: 'ADM-2', name: 'Pavel Admin', role: 'owner', email: 'pavel@second.test', partnerAdmin: true });
  await ok('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Existing Person', role: 'sales', email: 'existing@nordic.test', phone: '+33612345678' });
  await ok('PUT', '/join/settings', { enabled: true });
});
afterAll(() => t.close());

describe('join page settings', () => {
  it('is closed until the program opens it (404 for a closed or unknown page)', async () => {
    expect((await pub('POST', `/j/${otherCode}/challenge`)).statusCode).toBe(404);
    expect((await pub('GET', '/j/no-such-program/form')).json()).toMatchObject({ status: 404, code: 'JOIN_CLOSED' });
    const s = await ok<{ enabled: boolean; url: string; qrSvg: string }>('GET', '/join/settings');
    expect(s.enabled).toBe(true);
    expect(s.url).toMatch(new RegExp(`/api/v1/j/${code}$`));
    expect(s.qrSvg).toContain('<svg');
  });

  it('refuses an unknown role with 422 and changes nothing', async () => {
    const r = await api('PUT', '/join/settings', { enabled: false, roles: ['astronaut'] });
    expect(r.statusCode).toBe(422);
    expect(r.json().errors).toEqual([{ path: 'roles.0', message: 'not a role of the program' }]);
    expect((await ok<{ enabled: boolean }>('GET', '/join/settings')).enabled).toBe(true);
  });
});

describe('registration', () => {
  it('creates a pending request with the consent, tells the partner admins, and the program approves it once', async () => {
    const r = await register({ phone: '06 11 22 33 44', locale: 'fr', marketing: true });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json()).toMatchObject({ status: 'pending', portalUrl: expect.stringContaining(`/portal/${code}/`) });
    const req = await ok<Record<string, unknown> & { consent: { version: string; ip: string; marketing: boolean } }>('GET', `/join-requests/${r.json().id}`);
    expect(req).toMatchObject({ status: 'pending', email: 'ana@nordic.test', phone: '+33611223344', accountName: 'Nordic Installers', via: 'program', locale: 'fr', memberId: null });
    expect(req.consent).toMatchObject({ version: '2026-12-01', marketing: true });
    expect(req.consent.ip).toMatch(/^10\.9\./);
    const adminMsgs = await ok<{ items: { templateKey?: string; key?: string }[] }>('GET', '/members/ext:ADM-1/messages');
    expect(JSON.stringify(adminMsgs)).toContain('join_requested');

    const a = await ok<{ memberId: string; request: { status: string } }>('POST', `/join-requests/${r.json().id}/approve`);
    const b = await ok<{ memberId: string }>('POST', `/join-requests/${r.json().id}/approve`);
    expect(a.request.status).toBe('approved');
    expect(b.memberId).toBe(a.memberId);
    const m = await ok<{ name: string; role: string; email: string; phone: string; consent: Record<string, boolean> }>('GET', `/members/${a.memberId}`);
    expect(m).toMatchObject({ name: 'Ana Lima', role: 'sales', email: 'ana@nordic.test', phone: '+33611223344', consent: { marketing: true } });
    expect((await ok<{ items: unknown[] }>('GET', '/members?q=Ana%20Lima')).items).toHaveLength(1);
    expect(JSON.stringify(await ok('GET', `/members/${a.memberId}/messages`))).toContain('join_approved');
    const audit = await ok<{ items: { action: string }[] }>('GET', `/audit?objectId=${r.json().id}`);
    expect(audit.items.map((i) => i.action)).toEqual(expect.arrayContaining(['join.requested', 'join.approved']));
  });

  it('refuses duplicates with 409: already a member, or a request pending', async () => {
    const member = await register({ email: 'EXISTING@nordic.test' });
    expect(member.statusCode).toBe(409);
    expect(member.headers['content-type']).toContain('application/problem+json');
    expect(member.json()).toMatchObject({ code: 'ALREADY_MEMBER', errors: [{ path: 'email' }] });
    const byPhone = await register({ email: 'other@nordic.test', phone: '+33 6 12 34 56 78' });
    expect(byPhone.json()).toMatchObject({ status: 409, code: 'ALREADY_MEMBER', errors: [{ path: 'phone' }] });
    expect((await register({ email: 'bo@nordic.test' })).statusCode).toBe(201);
    const twice = await register({ email: 'bo@nordic.test', name: 'Bo again' });
    expect(twice.json()).toMatchObject({ status: 409, code: 'REQUEST_PENDING' });
  });

  it('lists each bad field with 422 and writes nothing', async () => {
    const before = (await ok<{ items: unknown[] }>('GET', '/join-requests?limit=500')).items.length;
    const shape = await pub('POST', `/j/${code}/requests`, { name: '', email: 'not-an-email', role: 'sales', consent: false, challenge: 'x', nonce: 'abc' });
    expect(shape.statusCode).toBe(422);
    const paths = (shape.json().errors as { path: string }[]).map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'email', 'consent', 'nonce']));
    const fields = await register({ email: 'cy@nordic.test', companyCode: 'NOPE', role: 'astronaut', phone: '123456' });
    expect(fields.statusCode).toBe(422);
    expect(fields.json()).toMatchObject({ code: 'JOIN_INVALID' });
    expect((fields.json().errors as { path: string }[]).map((e) => e.path).sort()).toEqual(['companyCode', 'phone', 'role']);
    const noContact = await register({ email: undefined });
    expect(noContact.json().errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'email', message: 'an e-mail address or a phone number is needed' })]));
    expect((await ok<{ items: unknown[] }>('GET', '/join-requests?limit=500')).items.length).toBe(before);
  });

  it('refuses a proof of work that is unsolved, forged, of another program or used twice', async () => {
    const c = await solved();
    const unsolved = await pub('POST', `/j/${code}/requests`, { ...person({ email: 'dee@nordic.test' }), challenge: c.challenge, nonce: String(Number(c.nonce) + 1) });
    // A wrong nonce may, rarely, solve it too; the forged and foreign ones never do.
    if (unsolved.statusCode !== 201) expect(unsolved.json()).toMatchObject({ status: 422, code: 'CHALLENGE_INVALID' });
    const forged = c.challenge.replace(/\.(\d+)\./, (_m: string, d: string) => `.${Number(d) + 1}.`);
    expect((await pub('POST', `/j/${code}/requests`, { ...person({ email: 'eve@nordic.test' }), challenge: forged, nonce: solveChallenge(forged, 8) })).json()).toMatchObject({ code: 'CHALLENGE_INVALID' });
    await ok('PUT', '/join/settings', { enabled: true }, other);
    const foreign = await solved(otherCode);
    expect((await pub('POST', `/j/${code}/requests`, { ...person({ email: 'fay@nordic.test' }), ...foreign })).json()).toMatchObject({ code: 'CHALLENGE_INVALID' });
    const once = await solved();
    expect((await pub('POST', `/j/${code}/requests`, { ...person({ email: 'gus@nordic.test' }), ...once })).statusCode).toBe(201);
    const replay = await pub('POST', `/j/${code}/requests`, { ...person({ email: 'hal@nordic.test' }), ...once });
    expect(replay.json()).toMatchObject({ status: 409, code: 'CHALLENGE_USED' });
  });
});

describe('per-account links', () => {
  it('signs an account’s link; a tampered one is refused, a good one auto-approves when the rule says so', async () => {
    const link = await ok<{ url: string; qrSvg: string; accountName: string }>('GET', '/accounts/ext:C-1/join-link');
    expect(link.accountName).toBe('Nordic Installers');
    const token = new URL(link.url).searchParams.get('a')!;
    const [, accId, mac] = token.split('.');
    const second = (await ok<{ id: string }>('GET', '/accounts/ext:C-2')).id;
    const tampered = `a.${second}.${mac}`;
    expect((await pub('GET', `/j/${code}/form?a=${encodeURIComponent(tampered)}`)).json()).toMatchObject({ status: 422, code: 'JOIN_LINK_INVALID' });
    expect((await register({ email: 'ivy@nordic.test', companyCode: undefined, accountToken: tampered })).json()).toMatchObject({ code: 'JOIN_LINK_INVALID' });
    // The other program's link key does not sign this program's accounts.
    const foreign = new URL((await ok<{ url: string }>('GET', '/accounts/ext:C-1/join-link', undefined, other)).url).searchParams.get('a')!;
    expect((await register({ email: 'jo@nordic.test', companyCode: undefined, accountToken: foreign })).json()).toMatchObject({ code: 'JOIN_LINK_INVALID' });
    expect((await pub('GET', `/j/${code}/form?a=${encodeURIComponent(token)}`)).json()).toMatchObject({ account: { name: 'Nordic Installers' } });
    expect(accId).toBeTruthy();

    const pending = await register({ email: 'kim@nordic.test', companyCode: undefined, accountToken: token });
    expect(pending.json()).toMatchObject({ status: 'pending' });
    await ok('PUT', '/join/settings', { enabled: true, autoApprove: { accountLinks: true, emailDomain: false } });
    const auto = await register({ email: 'lee@nordic.test', companyCode: undefined, accountToken: token });
    expect(auto.json()).toMatchObject({ status: 'approved', card: false });
    const req = await ok<{ memberId: string; decidedBy: string; via: string }>('GET', `/join-requests/${auto.json().id}`);
    expect(req).toMatchObject({ via: 'account', decidedBy: 'auto' });
    expect((await ok<{ accountId: string }>('GET', `/members/${req.memberId}`)).accountId).toBe(accId);
  });

  it('auto-approves by the partner admins’ e-mail domain, never a public mail domain', async () => {
    await ok('PUT', '/join/settings', { enabled: true, autoApprove: { accountLinks: false, emailDomain: true } });
    expect((await register({ email: 'max@nordic-installers.test' })).json()).toMatchObject({ status: 'approved' });
    expect((await register({ email: 'ned@gmail.com' })).json()).toMatchObject({ status: 'pending' });
    await ok('PUT', '/join/settings', { enabled: true, autoApprove: { accountLinks: false, emailDomain: false } });
  });
});

describe('decisions', () => {
  it('rejects; an approved request cannot be rejected, a rejected one cannot be approved (409)', async () => {
    const r = (await register({ email: 'ola@nordic.test' })).json();
    const rej = await ok<{ request: { status: string; reason: string } }>('POST', `/join-requests/${r.id}/reject`, { reason: 'Not our staff' });
    expect(rej.request).toMatchObject({ status: 'rejected', reason: 'Not our staff' });
    expect((await api('POST', `/join-requests/${r.id}/approve`)).json()).toMatchObject({ status: 409, code: 'JOIN_REQUEST_DECIDED' });
    // Rejected: the person may register again.
    const again = (await register({ email: 'ola@nordic.test' })).json();
    await ok('POST', `/join-requests/${again.id}/approve`);
    expect((await api('POST', `/join-requests/${again.id}/reject`, {})).json()).toMatchObject({ code: 'JOIN_REQUEST_DECIDED' });
  });

  it('keeps programs apart: another program’s request is unknown (404)', async () => {
    const r = (await register({ email: 'pia@nordic.test' })).json();
    expect((await api('GET', `/join-requests/${r.id}`, undefined, other)).statusCode).toBe(404);
    expect((await api('POST', `/join-requests/${r.id}/approve`, undefined, other)).statusCode).toBe(404);
    expect((await ok<{ items: { id: string }[] }>('GET', '/join-requests', undefined, other)).items.map((i) => i.id)).not.toContain(r.id);
  });

  it('lets a partner admin decide for their own company only, and show its QR', async () => {
    const mine = (await register({ email: 'quinn@nordic.test' })).json();
    const theirs = (await register({ email: 'ray@nordic.test', companyCode: 'C-2' })).json();
    const olga = await t.loginMember('olga@nordic-installers.test', code);
    const list = (await t.callAs(olga, 'GET', `${API}/portal/join-requests?status=pending`)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toContain(mine.id);
    expect(list.items.map((i: { id: string }) => i.id)).not.toContain(theirs.id);
    expect((await t.callAs(olga, 'POST', `${API}/portal/join-requests/${theirs.id}/approve`)).statusCode).toBe(404);
    const a = await t.callAs(olga, 'POST', `${API}/portal/join-requests/${mine.id}/approve`);
    expect(a.statusCode, a.body).toBe(200);
    expect(a.json().request).toMatchObject({ status: 'approved', decidedBy: expect.stringMatching(/^member:/) });
    const qr = (await t.callAs(olga, 'GET', `${API}/portal/join/link`)).json();
    expect(qr).toMatchObject({ accountName: 'Nordic Installers', qrSvg: expect.stringContaining('<svg') });
    const staff = await t.loginMember('existing@nordic.test', code);
    expect((await t.callAs(staff, 'GET', `${API}/portal/join-requests`)).statusCode).toBe(403);
  });
});

describe('the public page', () => {
  it('renders a labelled, translated form (RTL in Persian) and registers through it', async () => {
    const page = await pub('GET', `/j/${code}?lang=fa`, undefined, { accept: 'text/html' });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('dir="rtl"');
    expect(page.body).toContain('<label for="name">');
    const en = await pub('GET', `/j/${code}?lang=en`, undefined, { accept: 'text/html' });
    const challenge = /name="challenge" value="([^"]+)"/.exec(en.body)![1];
    const form = new URLSearchParams({ challenge, nonce: solveChallenge(challenge, 8), locale: 'en', name: 'Sam Page', email: 'sam@nordic.test', role: 'sales', companyCode: 'C-1', consent: 'yes' });
    const done = await pub('POST', `/j/${code}`, form.toString(), { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.body).toContain('data-join="pending"');
    expect(done.body).toContain(`/portal/${code}/`);
  });

  it('shows the form again with clear errors for bad input and duplicates', async () => {
    const en = await pub('GET', `/j/${code}?lang=en`, undefined, { accept: 'text/html' });
    const challenge = /name="challenge" value="([^"]+)"/.exec(en.body)![1];
    const bad = await pub('POST', `/j/${code}`, new URLSearchParams({ challenge, nonce: solveChallenge(challenge, 8), locale: 'en', name: '', email: 'nope', role: 'sales', companyCode: 'C-1' }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(bad.statusCode).toBe(422);
    expect(bad.body).toContain('Enter your name.');
    expect(bad.body).toContain('Enter a valid e-mail address.');
    expect(bad.body).toContain('Tick the box to agree.');
    expect(bad.body).toContain('aria-invalid="true"');
    const c2 = /name="challenge" value="([^"]+)"/.exec(bad.body)![1];
    const dup = await pub('POST', `/j/${code}`, new URLSearchParams({ challenge: c2, nonce: solveChallenge(c2, 8), locale: 'en', name: 'Dup', email: 'existing@nordic.test', role: 'sales', companyCode: 'C-1', consent: 'yes' }).toString(), { 'content-type': 'application/x-www-form-urlencoded' });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('You are already a member');
  });

  it('answers garbage with 4xx problem+json, never 5xx', async () => {
    for (const body of ['{', '[]', '{"name": 1}', 'null']) {
      const r = await pub('POST', `/j/${code}/requests`, body, { 'content-type': 'application/json' });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
      expect(r.statusCode).toBeLessThan(500);
    }
    expect((await pub('GET', `/j/${'x'.repeat(64)}`)).statusCode).toBe(404);
    expect((await pub('POST', `/j/${code}`, '%%%', { 'content-type': 'application/x-www-form-urlencoded' })).statusCode).toBe(422);
  });
});

describe('rate limit', () => {
  it('answers 429 past the per-address limit of registrations', async () => {
    const limited = await createTestApp({ config: { rateLimit: 1000, rateLimitSignIn: 3 } });
    try {
      const q = await limited.newProgram('Limited');
      const c = (await limited.call(q, 'GET', `${API}/program`)).json().code;
      await limited.call(q, 'PUT', `${API}/join/settings`, { enabled: true });
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await limited.app.inject({ method: 'POST', url: `${API}/j/${c}/challenge`, remoteAddress: '10.77.0.1' })).statusCode);
      expect(codes).toEqual([201, 201, 201, 429]);
      const r = await limited.app.inject({ method: 'POST', url: `${API}/j/${c}/challenge`, remoteAddress: '10.77.0.1' });
      expect(r.headers['content-type']).toContain('application/problem+json');
      expect(r.headers['retry-after']).toBeDefined();
      expect((await limited.app.inject({ method: 'POST', url: `${API}/j/${c}/challenge`, remoteAddress: '10.77.0.2' })).statusCode).toBe(201);
    } finally {
      await limited.close();
    }
  });
});
