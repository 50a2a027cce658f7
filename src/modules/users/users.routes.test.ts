import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, sessionCookieOf, TEST_PASSWORD, type TestApp, type TestProgram, type TestSession } from '../../../test/support/app.js';

let t: TestApp;
let p: TestProgram;
let owner: TestSession;
const API = '/api/v1';

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  owner = await t.loginAs(p, 'owner', { email: 'owner@fealty.test' });
});
afterAll(() => t.close());

const login = (email: string, password: string, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: `${API}/auth/login`, remoteAddress, headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ email, password }) });

describe('login', () => {
  it('answers the user, the permissions and a CSRF token, and sets an httpOnly SameSite=Lax session cookie', async () => {
    const r = await login('OWNER@fealty.test', TEST_PASSWORD);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.user).toEqual({ id: owner.id, email: 'owner@fealty.test', name: 'Test owner', role: 'owner', programId: p.programId, locale: 'en', ownLocale: null });
    expect(body.csrfToken).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    expect(body.permissions).toContain('users:write');
    const cookie = String([r.headers['set-cookie']].flat()[0]);
    expect(cookie).toMatch(/^fealty_session=[A-Za-z0-9_-]{40,}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=43(19|20)\d$/);
    const me = await t.callAs({ ...owner, cookie: sessionCookieOf(r), csrfToken: body.csrfToken }, 'GET', `${API}/auth/me`);
    expect(me.json()).toEqual(body);
  });

  it('ignores X-Forwarded-Proto from a proxy it does not trust (the trusted case: test/http/proxy-and-headers.test.ts)', async () => {
    const r = await t.app.inject({ method: 'POST', url: `${API}/auth/login`, headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' }, payload: JSON.stringify({ email: 'owner@fealty.test', password: TEST_PASSWORD }) });
    expect(String([r.headers['set-cookie']].flat()[0])).not.toMatch(/Secure/);
  });

  it('gives the same 401 for an unknown e-mail and a wrong password', async () => {
    const unknown = await login('nobody@fealty.test', TEST_PASSWORD);
    const wrong = await login('owner@fealty.test', 'not the password');
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    const strip = (b: { requestId?: string }) => ({ ...b, requestId: undefined });
    expect(strip(unknown.json())).toEqual(strip(wrong.json()));
    expect(unknown.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', status: 401 });
    expect(unknown.headers['set-cookie']).toBeUndefined();
  });

  it('refuses a disabled user with the same 401, and signs them out everywhere', async () => {
    const viewer = await t.loginAs(p, 'viewer', { email: 'leaving@fealty.test' });
    expect((await t.callAs(owner, 'PATCH', `${API}/users/${viewer.id}`, { disabled: true })).statusCode).toBe(200);
    expect((await t.callAs(viewer, 'GET', `${API}/program`)).statusCode).toBe(401);
    const r = await login('leaving@fealty.test', TEST_PASSWORD);
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('INVALID_CREDENTIALS');
  });

  it('is rate-limited: after 10 failures for one e-mail even the right password gets 429 problem+json', async () => {
    await t.loginAs(p, 'viewer', { email: 'target@fealty.test' });
    for (let i = 0; i < 10; i++) expect((await login('target@fealty.test', `guess number ${i}`, `10.0.0.${i}`)).statusCode).toBe(401);
    const r = await login('target@fealty.test', TEST_PASSWORD, '10.0.1.1');
    expect(r.statusCode).toBe(429);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json().code).toBe('RATE_LIMITED');
  });

  it('is rate-limited per address too, across e-mails, and successful logins do not count', async () => {
    for (let i = 0; i < 3; i++) expect((await login('owner@fealty.test', TEST_PASSWORD, '10.9.9.9')).statusCode).toBe(200);
    for (let i = 0; i < 30; i++) expect((await login(`spray${i}@fealty.test`, 'guess guess', '10.9.9.9')).statusCode).toBe(401);
    expect((await login('owner@fealty.test', TEST_PASSWORD, '10.9.9.9')).statusCode).toBe(429);
    expect((await login('owner@fealty.test', TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
  });
});

describe('sessions', () => {
  it('answers 401 to GET /auth/me without a session', async () => {
    const r = await t.callAs(null, 'GET', `${API}/auth/me`);
    expect(r.statusCode).toBe(401);
    expect(r.json().code).toBe('UNAUTHENTICATED');
  });

  it('requires x-csrf-token equal to the session token on cookie writes, not on reads, and not for API keys', async () => {
    const s = await t.loginAs(p, 'program_manager');
    const body = { code: 'csrf-role', name: 'CSRF' };
    const none = await t.callAs(s, 'POST', `${API}/roles`, body, { csrf: false });
    expect(none.statusCode).toBe(403);
    expect(none.json().code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await t.callAs(s, 'POST', `${API}/roles`, body, { csrf: false, headers: { 'x-csrf-token': owner.csrfToken } });
    expect(wrong.json().code).toBe('CSRF_TOKEN_INVALID');
    const read = await t.callAs(s, 'GET', `${API}/roles`, undefined, { csrf: false });
    expect(read.statusCode).toBe(200);
    expect(read.json().items.map((r: { code: string }) => r.code)).not.toContain('csrf-role');
    expect((await t.callAs(s, 'POST', `${API}/roles`, body)).statusCode).toBe(201);
    expect((await t.call(p, 'POST', `${API}/roles`, { code: 'key-role', name: 'By key' })).statusCode).toBe(201);
  });

  it('ends at logout: the cookie is cleared and the old token no longer works', async () => {
    const s = await t.loginAs(p, 'viewer');
    const out = await t.callAs(s, 'POST', `${API}/auth/logout`);
    expect(out.statusCode).toBe(204);
    expect(String([out.headers['set-cookie']].flat()[0])).toMatch(/^fealty_session=; .*Max-Age=0/);
    const after = await t.callAs(s, 'GET', `${API}/program`);
    expect(after.statusCode).toBe(401);
  });

  it('expires 12 hours after the last request, and slides while in use', async () => {
    const s = await t.loginAs(p, 'viewer');
    const token = s.cookie.slice('fealty_session='.length);
    const { sha256 } = await import('../../lib/hash.js');
    // A session last seen 11 hours ago is still valid, and a request moves its expiry 12 hours on.
    await t.database.db.execute(sql`update sessions set last_seen_at = now() - interval '11 hours', expires_at = now() + interval '1 hour' where id_hash = ${sha256(token)}`);
    const used = await t.callAs(s, 'GET', `${API}/program`);
    expect(used.statusCode).toBe(200);
    expect(String([used.headers['set-cookie']].flat()[0])).toMatch(/Max-Age=43[12]\d\d/);
    const { rows } = await t.database.db.execute<{ left: number }>(sql`select extract(epoch from expires_at - now())::int as left from sessions where id_hash = ${sha256(token)}`);
    expect(rows[0].left).toBeGreaterThan(11.9 * 3600);
    // Past its expiry it answers 401 and clears the cookie.
    await t.database.db.execute(sql`update sessions set expires_at = now() - interval '1 second' where id_hash = ${sha256(token)}`);
    const expired = await t.callAs(s, 'GET', `${API}/program`);
    expect(expired.statusCode).toBe(401);
    expect(String([expired.headers['set-cookie']].flat()[0])).toMatch(/Max-Age=0/);
  });

  it('purges expired sessions', async () => {
    const s = await t.loginAs(p, 'viewer');
    const { sha256 } = await import('../../lib/hash.js');
    await t.database.db.execute(sql`update sessions set expires_at = now() - interval '1 minute' where id_hash = ${sha256(s.cookie.slice('fealty_session='.length))}`);
    expect(await t.services.sessions.purgeExpired()).toBeGreaterThanOrEqual(1);
    const { rows } = await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sessions where expires_at <= now()`);
    expect(rows[0].n).toBe(0);
  });

  it('keeps only a hash of the session token in the database', async () => {
    const token = owner.cookie.slice('fealty_session='.length);
    const { rows } = await t.database.db.execute<{ id_hash: string }>(sql`select id_hash from sessions`);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.id_hash)).not.toContain(token);
  });
});

describe('console users', () => {
  it('are created, listed and changed by owners and program managers, and audited with the user as actor', async () => {
    const created = await t.callAs(owner, 'POST', `${API}/users`, { email: 'Claire@AquaPure.example', name: 'Claire Martin', role: 'account_manager', locale: 'fr' });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({ email: 'claire@aquapure.example', role: 'account_manager', locale: 'fr', seesAllAccounts: false, disabledAt: null });
    expect(user.initialPassword).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect((await login('claire@aquapure.example', user.initialPassword)).statusCode).toBe(200);

    const pm = await t.loginAs(p, 'program_manager');
    const changed = await t.callAs(pm, 'PATCH', `${API}/users/${user.id}`, { seesAllAccounts: true, name: 'Claire M.' });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ seesAllAccounts: true, name: 'Claire M.' });
    const list = (await t.callAs(pm, 'GET', `${API}/users?role=account_manager`)).json();
    expect(list.items.map((u: { id: string }) => u.id)).toContain(user.id);

    const audit = (await t.call(p, 'GET', `${API}/audit?objectType=user&objectId=${user.id}`)).json();
    expect(audit.items.map((a: { action: string; actor: unknown }) => [a.action, a.actor])).toEqual([
      ['user.updated', { type: 'user', id: pm.id }],
      ['user.created', { type: 'user', id: owner.id }],
    ]);
  });

  it('refuses a second user with the same e-mail in the program with 409', async () => {
    const r = await t.callAs(owner, 'POST', `${API}/users`, { email: 'owner@FEALTY.test', name: 'Again', role: 'viewer', password: 'long enough password' });
    expect(r.statusCode).toBe(409);
    expect(r.json()).toMatchObject({ code: 'USER_EMAIL_TAKEN', errors: [{ path: 'email', message: 'already taken' }] });
  });

  it('lets a program manager manage everyone but owners', async () => {
    const pm = await t.loginAs(p, 'program_manager');
    const makeOwner = await t.callAs(pm, 'POST', `${API}/users`, { email: 'boss@fealty.test', name: 'Boss', role: 'owner' });
    expect(makeOwner.statusCode).toBe(403);
    expect(makeOwner.json().code).toBe('OWNER_REQUIRED');
    expect((await t.callAs(pm, 'PATCH', `${API}/users/${owner.id}`, { name: 'Demoted' })).json().code).toBe('OWNER_REQUIRED');
    expect((await t.callAs(pm, 'PATCH', `${API}/users/${pm.id}`, { role: 'owner' })).json().code).toBe('OWNER_REQUIRED');
    const viewer = (await t.callAs(pm, 'POST', `${API}/users`, { email: 'watcher@fealty.test', name: 'Watcher', role: 'viewer' })).json();
    expect((await t.callAs(pm, 'PATCH', `${API}/users/${viewer.id}`, { role: 'account_manager' })).statusCode).toBe(200);
  });

  it('never lets the last enabled owner be demoted or disabled', async () => {
    const p2 = await t.newProgram('Solo');
    const solo = await t.loginAs(p2, 'owner');
    const r = await t.callAs(solo, 'PATCH', `${API}/users/${solo.id}`, { role: 'viewer' });
    expect(r.statusCode).toBe(409);
    expect(r.json().code).toBe('LAST_OWNER');
    expect((await t.callAs(solo, 'PATCH', `${API}/users/${solo.id}`, { disabled: true })).json().code).toBe('LAST_OWNER');
  });

  it('a new password signs the user out everywhere and the old one stops working', async () => {
    const s = await t.loginAs(p, 'viewer', { email: 'rotating@fealty.test' });
    expect((await t.callAs(owner, 'PATCH', `${API}/users/${s.id}`, { password: 'a brand new passphrase' })).statusCode).toBe(200);
    expect((await t.callAs(s, 'GET', `${API}/program`)).statusCode).toBe(401);
    expect((await login('rotating@fealty.test', TEST_PASSWORD)).statusCode).toBe(401);
    expect((await login('rotating@fealty.test', 'a brand new passphrase')).statusCode).toBe(200);
  });

  it('never shows a password or its hash in any answer or audit record', async () => {
    const password = 'never show this one please';
    const created = await t.callAs(owner, 'POST', `${API}/users`, { email: 'secret@fealty.test', name: 'Secret', role: 'viewer', password });
    await t.callAs(owner, 'PATCH', `${API}/users/${created.json().id}`, { password: `${password} again` });
    const { rows } = await t.database.db.execute<{ password_hash: string }>(sql`select password_hash from users`);
    const hashes = rows.map((r) => r.password_hash);
    expect(hashes.every((h) => h.startsWith('$argon2id$'))).toBe(true);
    const answers = [
      created.body,
      (await t.callAs(owner, 'GET', `${API}/users?limit=500`)).body,
      (await t.callAs(owner, 'GET', `${API}/users/${created.json().id}`)).body,
      (await login('secret@fealty.test', `${password} again`)).body,
      (await t.call(p, 'GET', `${API}/audit?limit=500`)).body,
    ].join('\n');
    expect(answers).not.toContain(password);
    expect(answers).not.toMatch(/argon2|passwordHash|password_hash/);
    for (const h of hashes) expect(answers).not.toContain(h.slice(-20));
    const audit = (await t.call(p, 'GET', `${API}/audit?objectId=${created.json().id}`)).json();
    expect(audit.items[0].after).toMatchObject({ passwordChanged: true });
  });
});
