import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../../../test/support/app.js';

const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
let admin: TestSession;
let employee: TestSession;
let other: TestSession;

const post = (path: string, body: unknown, headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  t.app.inject({ method: 'POST', url: `${API}${path}`, remoteAddress, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify(body) });

beforeAll(async () => {
  t = await createTestApp({ testEndpoints: true });
  p = await t.newProgram();
  const api = (method: string, path: string, body?: unknown, headers?: Record<string, string>) => t.call(p, method, `${API}${path}`, body, headers);
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' });
  for (const code of ['owner', 'sales', 'engineer']) await api('POST', '/roles', { code, name: code });
  await api('POST', '/accounts', { externalId: 'C-1', name: 'Aqua Install', type: 'installer' });
  await api('POST', '/accounts', { externalId: 'C-2', name: 'Other Co', type: 'dealer' });
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name: 'Oksana Director', role: 'owner', email: 'oksana@aqua.test', partnerAdmin: true });
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-2', name: 'Taras Foreman', role: 'sales', phone: '+380 44 123 45 67', email: 'taras@aqua.test' });
  await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-3', name: 'Left Already', role: 'sales', email: 'gone@aqua.test' });
  await api('POST', '/accounts/ext:C-2/members', { externalId: 'E-9', name: 'Marc Other', role: 'sales', email: 'marc@other.test' });
  await api('POST', '/adjustments', { accountId: 'ext:C-1', currency: 'points', amount: 5000, reason: 'Opening balance' }, { 'idempotency-key': 'seed-1' });
  await api('POST', '/adjustments', { memberId: 'ext:E-2', currency: 'points', amount: 700, reason: 'Opening balance' }, { 'idempotency-key': 'seed-2' });
  await api('POST', '/adjustments', { memberId: 'ext:E-9', currency: 'points', amount: 900, reason: 'Secret of another company' }, { 'idempotency-key': 'seed-3' });
  admin = await t.loginMember('oksana@aqua.test');
  employee = await t.loginMember('taras@aqua.test');
  other = await t.loginMember('marc@other.test');
});
afterAll(() => t.close());

describe('portal sign-in with a one-time code', () => {
  it('answers 202 to any address, and makes a code only for an active member', async () => {
    const count = async () => (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from portal_codes`)).rows[0].n;
    const before = await count();
    const unknown = await post('/portal/auth/request', { email: 'nobody@nowhere.test' });
    expect(unknown.statusCode).toBe(202);
    expect(await count()).toBe(before);
    const known = await post('/portal/auth/request', { email: 'Taras@Aqua.test' });
    expect(known.statusCode).toBe(202);
    expect(known.json()).toEqual(unknown.json());
    expect(await count()).toBe(before + 1);
  });

  it('signs in by phone too, whatever the spacing', async () => {
    expect((await post('/portal/auth/request', { phone: '+380441234567' })).statusCode).toBe(202);
    const { code } = (await t.callAs(null, 'GET', `${API}/portal/auth/test-code?phone=${encodeURIComponent('+380441234567')}`)).json();
    const r = await post('/portal/auth/verify', { phone: '+380 (44) 123-45-67', code });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ member: { name: 'Taras Foreman', partnerAdmin: false }, account: { name: 'Aqua Install' }, partnerAdmin: false, locale: 'en' });
    expect(String([r.headers['set-cookie']].flat()[0])).toMatch(/^fealty_session=.+; Path=\/; HttpOnly; SameSite=Lax/);
  });

  it('asks for one address on the test-code endpoint: none or both is a 422, not a 500', async () => {
    for (const q of ['', '?email=taras@aqua.test&phone=%2B380441234567']) {
      const r = await t.callAs(null, 'GET', `${API}/portal/auth/test-code${q}`);
      expect(r.statusCode).toBe(422);
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
  });

  it('refuses a wrong code with 401, and a code after 5 wrong attempts even when right', async () => {
    await post('/portal/auth/request', { email: 'oksana@aqua.test' });
    const { code } = (await t.callAs(null, 'GET', `${API}/portal/auth/test-code?email=oksana@aqua.test`)).json();
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i++) {
      const r = await post('/portal/auth/verify', { email: 'oksana@aqua.test', code: wrong }, {}, `10.1.0.${i}`);
      expect(r.statusCode).toBe(401);
      expect(r.json().code).toBe('CODE_INVALID');
    }
    expect((await post('/portal/auth/verify', { email: 'oksana@aqua.test', code }, {}, '10.1.1.1')).statusCode).toBe(401);
  });

  it('refuses an expired code and a used one', async () => {
    await post('/portal/auth/request', { email: 'oksana@aqua.test' });
    const { code } = (await t.callAs(null, 'GET', `${API}/portal/auth/test-code?email=oksana@aqua.test`)).json();
    await t.database.db.execute(sql`update portal_codes set expires_at = now() - interval '1 second' where used_at is null`);
    expect((await post('/portal/auth/verify', { email: 'oksana@aqua.test', code }, {}, '10.2.0.1')).statusCode).toBe(401);
    await post('/portal/auth/request', { email: 'oksana@aqua.test' });
    const fresh = (await t.callAs(null, 'GET', `${API}/portal/auth/test-code?email=oksana@aqua.test`)).json().code;
    expect((await post('/portal/auth/verify', { email: 'oksana@aqua.test', code: fresh }, {}, '10.2.0.2')).statusCode).toBe(200);
    expect((await post('/portal/auth/verify', { email: 'oksana@aqua.test', code: fresh }, {}, '10.2.0.3')).statusCode).toBe(401);
  });

  it('rate-limits code requests per address with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) codes.push((await post('/portal/auth/request', { email: 'flood@aqua.test' }, {}, `10.3.0.${i}`)).statusCode);
    expect(codes).toEqual([202, 202, 202, 202, 202, 429]);
  });

  it('keeps only a salted hash of each code', async () => {
    await post('/portal/auth/request', { email: 'oksana@aqua.test' });
    const { code } = (await t.callAs(null, 'GET', `${API}/portal/auth/test-code?email=oksana@aqua.test`)).json();
    const { rows } = await t.database.db.execute<{ code_hash: string }>(sql`select code_hash from portal_codes`);
    expect(rows.map((r) => r.code_hash)).not.toContain(code);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('forgets codes a day after they expired', async () => {
    await post('/portal/auth/request', { email: 'taras@aqua.test' }, {}, '10.4.0.1');
    await t.database.db.execute(sql`update portal_codes set expires_at = now() - interval '2 days' where used_at is null`);
    const stale = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from portal_codes where expires_at < now() - interval '1 day'`)).rows[0].n;
    expect(stale).toBeGreaterThan(0);
    expect(await t.services.portal.purgeExpiredCodes()).toBe(stale);
  });

  it('has no test-code endpoint unless FEALTY_TEST_ENDPOINTS=on', async () => {
    const plain = await createTestApp();
    try {
      const r = await plain.callAs(null, 'GET', `${API}/portal/auth/test-code?email=oksana@aqua.test`);
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('ROUTE_NOT_FOUND');
    } finally {
      await plain.close();
    }
  });
});

describe('a signed-in member', () => {
  it('reads themselves, their wallets and their history, and nothing of anyone else', async () => {
    const me = (await t.callAs(employee, 'GET', `${API}/portal/me`)).json();
    expect(me).toMatchObject({ member: { id: employee.id, name: 'Taras Foreman' }, account: { name: 'Aqua Install' }, partnerAdmin: false, spendCurrency: 'EUR', csrfToken: employee.csrfToken });
    const wallets = (await t.callAs(employee, 'GET', `${API}/portal/wallets`)).json();
    expect(wallets.items).toEqual([expect.objectContaining({ currency: 'points', available: 700 })]);
    const entries = (await t.callAs(employee, 'GET', `${API}/portal/entries`)).json();
    expect(entries.items.map((e: { amount: number }) => e.amount)).toEqual([700]);
    const otherWallets = (await t.callAs(other, 'GET', `${API}/portal/wallets`)).json();
    expect(otherWallets.items[0].available).toBe(900);
    const everything = [me, wallets, entries].map((x) => JSON.stringify(x)).join();
    expect(everything).not.toContain(other.id);
    expect(everything).not.toContain('Secret of another company');
  });

  it("carries the program's currencies, money with its ISO code and minor digits, so the portal shows money as money", async () => {
    const api = (path: string, body: unknown) => t.call(p, 'POST', `${API}${path}`, body);
    expect((await api('/currencies', { code: 'eur-credit', name: 'Store credit', kind: 'money', moneyCurrency: 'EUR' })).statusCode).toBe(201);
    expect((await api('/currencies', { code: 'yen', name: 'Yen voucher', kind: 'money', moneyCurrency: 'JPY' })).statusCode).toBe(201);
    expect((await api('/currencies', { code: 'stamps', name: 'Stamps', kind: 'stamps' })).statusCode).toBe(201);
    const me = (await t.callAs(employee, 'GET', `${API}/portal/me`)).json();
    const byCode = Object.fromEntries(me.currencies.map((c: { code: string }) => [c.code, c]));
    expect(byCode).toEqual({
      points: { code: 'points', name: 'Points', kind: 'points', moneyCurrency: null, minorDigits: null },
      'eur-credit': { code: 'eur-credit', name: 'Store credit', kind: 'money', moneyCurrency: 'EUR', minorDigits: 2 },
      yen: { code: 'yen', name: 'Yen voucher', kind: 'money', moneyCurrency: 'JPY', minorDigits: 0 },
      stamps: { code: 'stamps', name: 'Stamps', kind: 'stamps', moneyCurrency: null, minorDigits: null },
    });
    // Sign-in answers the same shape, so the portal needs no second request.
    await post('/portal/auth/request', { email: 'taras@aqua.test' });
    const { code } = (await t.callAs(null, 'GET', `${API}/portal/auth/test-code?email=taras@aqua.test`)).json();
    const verified = (await post('/portal/auth/verify', { email: 'taras@aqua.test', code }, {}, '10.9.0.1')).json();
    expect(verified.currencies).toEqual(me.currencies);
  });

  it('cannot read another member through the console API or the portal', async () => {
    for (const url of [`/members/${other.id}`, `/members/${other.id}/wallets`, `/members/${other.id}/entries`, '/members', '/accounts']) {
      expect([url, (await t.callAs(employee, 'GET', `${API}${url}`)).statusCode]).toEqual([url, 403]);
    }
    // Query strings naming someone else change nothing: the portal answers only about the signed-in member.
    const r = await t.callAs(employee, 'GET', `${API}/portal/entries?memberId=${other.id}`);
    expect(r.statusCode).toBe(422);
  });

  it('as an employee, does not see the company view nor allocate', async () => {
    expect((await t.callAs(employee, 'GET', `${API}/portal/company`)).statusCode).toBe(403);
    const r = await t.callAs(employee, 'POST', `${API}/portal/transfers`, { toMemberId: employee.id, currency: 'points', amount: 10 });
    expect(r.statusCode).toBe(403);
  });

  it('as partner admin, sees the company wallets and every person with theirs (transparency)', async () => {
    const company = (await t.callAs(admin, 'GET', `${API}/portal/company`)).json();
    expect(company.account.name).toBe('Aqua Install');
    expect(company.wallets[0]).toMatchObject({ currency: 'points', available: 5000 });
    expect(company.staff.map((s: { member: { name: string } }) => s.member.name).sort()).toEqual(['Left Already', 'Oksana Director', 'Taras Foreman']);
    expect(company.staff.find((s: { member: { id: string } }) => s.member.id === employee.id).wallets[0].available).toBe(700);
    expect(JSON.stringify(company)).not.toContain('Marc Other');
  });

  it('as partner admin, allocates company points to an employee, idempotently, and only within the company', async () => {
    const h = { 'idempotency-key': 'alloc-1' };
    const body = { toMemberId: employee.id, currency: 'points', amount: 300, memo: 'Site bonus' };
    const first = await t.callAs(admin, 'POST', `${API}/portal/transfers`, body, { headers: h });
    expect(first.statusCode).toBe(201);
    const again = await t.callAs(admin, 'POST', `${API}/portal/transfers`, body, { headers: h });
    expect(again.statusCode).toBe(200);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect((await t.callAs(employee, 'GET', `${API}/portal/wallets`)).json().items[0].available).toBe(1000);
    expect((await t.call(p, 'GET', `${API}/accounts/ext:C-1/wallets`)).json()[0].available).toBe(4700);
    const audit = (await t.call(p, 'GET', `${API}/audit?action=transfer.created`)).json();
    expect(audit.items[0].actor).toEqual({ type: 'member', id: admin.id });

    const across = await t.callAs(admin, 'POST', `${API}/portal/transfers`, { toMemberId: other.id, currency: 'points', amount: 1 }, { headers: { 'idempotency-key': 'alloc-2' } });
    expect(across.statusCode).toBe(404);
    expect(across.json().code).toBe('MEMBER_NOT_FOUND');
    const tooMuch = await t.callAs(admin, 'POST', `${API}/portal/transfers`, { toMemberId: employee.id, currency: 'points', amount: 999_999 }, { headers: { 'idempotency-key': 'alloc-3' } });
    expect(tooMuch.statusCode).toBe(409);
    expect((await t.call(p, 'GET', `${API}/members/ext:E-9/wallets`)).json()[0].available).toBe(900);
    // Without a key a retry on a weak network could move value twice: refused, nothing moved.
    const keyless = await t.callAs(admin, 'POST', `${API}/portal/transfers`, { toMemberId: employee.id, currency: 'points', amount: 1 });
    expect(keyless.statusCode).toBe(422);
    expect(keyless.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REQUIRED', errors: [{ path: 'headers.idempotency-key' }] });
    expect((await t.callAs(employee, 'GET', `${API}/portal/wallets`)).json().items[0].available).toBe(1000);
  });

  it('refuses a partner admin giving company value to themself, and moves nothing', async () => {
    const before = (await t.call(p, 'GET', `${API}/accounts/ext:C-1/wallets`)).json()[0].available;
    const self = await t.callAs(admin, 'POST', `${API}/portal/transfers`, { toMemberId: admin.id, currency: 'points', amount: 50 }, { headers: { 'idempotency-key': 'alloc-self' } });
    expect(self.statusCode, self.body).toBe(422);
    expect(self.json().code).toBe('SELF_ALLOCATION');
    expect(self.json().errors).toEqual([expect.objectContaining({ path: 'toMemberId' })]);
    expect((await t.call(p, 'GET', `${API}/accounts/ext:C-1/wallets`)).json()[0].available).toBe(before);
  });

  it('needs the CSRF token for portal writes', async () => {
    const r = await t.callAs(admin, 'POST', `${API}/portal/transfers`, { toMemberId: employee.id, currency: 'points', amount: 1 }, { csrf: false });
    expect(r.statusCode).toBe(403);
    expect(r.json().code).toBe('CSRF_TOKEN_INVALID');
  });

  it('sees the rewards they may take, redeems one from their own wallet and lists only their own redemptions', async () => {
    const created = await t.call(p, 'POST', `${API}/rewards`, { name: 'Thermos', kind: 'gift', cost: { currency: 'points', amount: 200 }, stock: 5, attributes: { supplierSku: 'TH-1' } });
    expect(created.statusCode).toBe(201);
    const reward = created.json();
    expect((await t.call(p, 'POST', `${API}/rewards`, { name: 'Engineers only', kind: 'gift', cost: { currency: 'points', amount: 10 }, eligibility: { roles: ['engineer'] } })).statusCode).toBe(201);
    const catalog = (await t.callAs(employee, 'GET', `${API}/portal/rewards`)).json();
    expect(catalog.items.map((r: { name: string }) => r.name)).toEqual(['Thermos']);
    expect(catalog.items[0]).not.toHaveProperty('partnerPrice');
    expect(catalog.items[0]).not.toHaveProperty('attributes');
    const redeemed = await t.callAs(employee, 'POST', `${API}/portal/redemptions`, { rewardId: reward.id, qty: 2 }, { headers: { 'idempotency-key': 'r-1' } });
    expect(redeemed.statusCode).toBe(201);
    expect(redeemed.json()).toMatchObject({ rewardId: reward.id, qty: 2, cost: { currency: 'points', amount: 400 }, status: 'requested' });
    expect((await t.callAs(employee, 'GET', `${API}/portal/wallets`)).json().items[0]).toMatchObject({ available: 600, held: 400 });
    expect((await t.callAs(employee, 'GET', `${API}/portal/redemptions`)).json().items).toHaveLength(1);
    expect((await t.callAs(other, 'GET', `${API}/portal/redemptions`)).json().items).toEqual([]);
    const history = (await t.call(p, 'GET', `${API}/redemptions?memberId=${employee.id}`)).json().items[0].history;
    expect(history[0].by).toEqual({ type: 'member', id: employee.id });
  });

  it("sees the company's tier and progress", async () => {
    expect((await t.call(p, 'POST', `${API}/tiers`, { code: 'silver', name: 'Silver', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 100000 }, benefits: { discountPercent: 3 } })).statusCode).toBe(201);
    const r = await t.callAs(employee, 'GET', `${API}/portal/tier`);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ tier: null, next: { tier: 'silver', remaining: 100000 } });
    expect((await t.callAs(other, 'GET', `${API}/portal/tier`)).json().accountId).not.toBe(r.json().accountId);
  });

  it('loses the session when they leave the company', async () => {
    const gone = await t.loginMember('gone@aqua.test');
    expect((await t.callAs(gone, 'GET', `${API}/portal/me`)).statusCode).toBe(200);
    await t.call(p, 'PATCH', `${API}/members/ext:E-3`, { status: 'left' });
    expect((await t.callAs(gone, 'GET', `${API}/portal/me`)).statusCode).toBe(401);
    expect((await post('/portal/auth/request', { email: 'gone@aqua.test' })).statusCode).toBe(202);
    await expect(t.services.portal.testCode({ contact: { email: 'gone@aqua.test' } })).rejects.toThrow();
  });

  it('signs out', async () => {
    const s = await t.loginMember('taras@aqua.test');
    expect((await t.callAs(s, 'POST', `${API}/portal/auth/logout`)).statusCode).toBe(204);
    expect((await t.callAs(s, 'GET', `${API}/portal/me`)).statusCode).toBe(401);
  });
});
