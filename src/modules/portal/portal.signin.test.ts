import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../services.js';
import { createTestApp, sessionCookieOf, type TestApp, type TestProgram } from '../../../test/support/app.js';
import type { CodeLog, SignInCode, SignInCodeSender } from './index.js';

const API = '/api/v1';
let t: TestApp;
let a: TestProgram;
let b: TestProgram;
let codeA: string;
let codeB: string;
let seq = 0;

const post = (path: string, body: unknown) =>
  // A fresh client address per call: the per-address limits are not what is tested here.
  t.app.inject({ method: 'POST', url: `${API}${path}`, remoteAddress: `10.9.${Math.floor(seq / 250)}.${seq++ % 250}`, headers: { 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const codeFor = (contact: { email: string } | { phone: string }, program?: string) => t.services.portal.testCode({ contact, ...(program ? { program } : {}) });
const programCodeOf = async (p: TestProgram) => (await t.call(p, 'GET', `${API}/program`)).json().code as string;

beforeAll(async () => {
  t = await createTestApp({ testEndpoints: true });
  // Two tenants that both know the same person, by the same e-mail address and phone number.
  a = await t.newProgram('Alpha Club');
  b = await t.newProgram('Beta Rewards');
  for (const [p, name] of [[a, 'Olena in Alpha'], [b, 'Olena in Beta']] as const) {
    const api = (method: string, path: string, body?: unknown) => t.call(p, method, `${API}${path}`, body);
    await api('POST', '/roles', { code: 'sales', name: 'Sales' });
    await api('POST', '/accounts', { externalId: 'C-1', name: `${name}'s company`, type: 'dealer' });
    await api('POST', '/accounts/ext:C-1/members', { externalId: 'E-1', name, role: 'sales', email: 'olena@partner.test', phone: '+380 44 123 45 67' });
  }
  await t.call(a, 'POST', `${API}/accounts/ext:C-1/members`, { externalId: 'E-2', name: 'Only in Alpha', role: 'sales', email: 'solo@alpha.test' });
  codeA = await programCodeOf(a);
  codeB = await programCodeOf(b);
});
afterAll(() => t.close());

describe('portal sign-in is per program', () => {
  it('gives every program a unique public code and shows its name for the sign-in screen', async () => {
    expect(codeA).toBe('alpha-club');
    expect(codeB).toBe('beta-rewards');
    const again = await t.newProgram('Alpha Club');
    expect(await programCodeOf(again)).toMatch(/^alpha-club-[0-9a-f]{6}$/);
    const screen = await t.callAs(null, 'GET', `${API}/portal/programs/${codeA}`);
    expect(screen.statusCode).toBe(200);
    expect(screen.json()).toEqual({ code: 'alpha-club', name: 'Alpha Club', phoneCountry: null });
    expect((await t.callAs(null, 'GET', `${API}/portal/programs/no-such-club`)).statusCode).toBe(404);
    const taken = await t.call(b, 'PATCH', `${API}/program`, { code: codeA });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().code).toBe('PROGRAM_CODE_TAKEN');
    expect((await t.call(b, 'PATCH', `${API}/program`, { code: 'history' })).statusCode).toBe(422);
  });

  it('signs in to the program of the address only, with the same e-mail in two programs', async () => {
    expect((await post('/portal/auth/request', { email: 'olena@partner.test', program: codeB })).statusCode).toBe(202);
    const code = await codeFor({ email: 'olena@partner.test' });
    const r = await post('/portal/auth/verify', { email: 'olena@partner.test', code, program: codeB });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ member: { name: 'Olena in Beta' }, account: { name: "Olena in Beta's company" } });
    const session = { cookie: sessionCookieOf(r), csrfToken: r.json().csrfToken as string, programId: b.programId, id: r.json().member.id as string };
    const me = (await t.callAs(session, 'GET', `${API}/portal/me`)).json();
    expect(JSON.stringify(me)).not.toContain('Alpha');
  });

  it('never opens program A with a code asked for in program B', async () => {
    await post('/portal/auth/request', { phone: '+380441234567', program: codeB });
    const code = await codeFor({ phone: '+380441234567' });
    const intoA = await post('/portal/auth/verify', { phone: '+380 (44) 123-45-67', code, program: codeA });
    expect(intoA.statusCode).toBe(401);
    expect(intoA.json().code).toBe('CODE_INVALID');
    // Still the code of B, for B only.
    const intoB = await post('/portal/auth/verify', { phone: '+380441234567', code, program: codeB });
    expect(intoB.json()).toMatchObject({ member: { name: 'Olena in Beta' } });
  });

  it('without a program, lets a person in two programs choose after the code, and only them', async () => {
    const before = (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sessions`)).rows[0].n;
    expect((await post('/portal/auth/request', { phone: '+380 44 123 45 67' })).statusCode).toBe(202);
    const code = await codeFor({ phone: '+380441234567' });
    const wrong = await post('/portal/auth/verify', { phone: '+380441234567', code: code === '000000' ? '111111' : '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(JSON.stringify(wrong.json())).not.toContain('Beta');

    const choice = await post('/portal/auth/verify', { phone: '+380441234567', code });
    expect(choice.statusCode).toBe(200);
    expect(choice.json()).toEqual({ chooseProgram: [{ code: codeA, name: 'Alpha Club' }, { code: codeB, name: 'Beta Rewards' }] });
    expect(choice.headers['set-cookie']).toBeUndefined();
    expect((await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from sessions`)).rows[0].n).toBe(before);

    const chosen = await post('/portal/auth/verify', { phone: '+380441234567', code, program: codeA });
    expect(chosen.statusCode).toBe(200);
    expect(chosen.json()).toMatchObject({ member: { name: 'Olena in Alpha' } });
    // The code is spent now, for every program.
    expect((await post('/portal/auth/verify', { phone: '+380441234567', code, program: codeB })).statusCode).toBe(401);
  });

  it('signs in at once without a program when the address is in one program only', async () => {
    await post('/portal/auth/request', { email: 'solo@alpha.test' });
    const r = await post('/portal/auth/verify', { email: 'solo@alpha.test', code: await codeFor({ email: 'solo@alpha.test' }) });
    expect(r.json()).toMatchObject({ member: { name: 'Only in Alpha' } });
  });

  it('answers the same 202 for an unknown program, an unknown address and a known one', async () => {
    const codes = async () => (await t.database.db.execute<{ n: number }>(sql`select count(*)::int as n from portal_codes`)).rows[0].n;
    const before = await codes();
    const answers = [
      await post('/portal/auth/request', { email: 'olena@partner.test', program: 'no-such-club' }),
      await post('/portal/auth/request', { email: 'solo@alpha.test', program: codeB }),
      await post('/portal/auth/request', { email: 'nobody@nowhere.test' }),
      await post('/portal/auth/request', { email: 'olena@partner.test', program: codeA }),
    ];
    expect(answers.map((r) => [r.statusCode, r.body])).toEqual(Array(4).fill([202, '{"status":"accepted"}']));
    // Only Olena in A got a code: solo@ is not a member of B.
    expect(await codes()).toBe(before + 1);
  });
});

describe('phone numbers at sign-in', () => {
  it('reads a national number in the program phone country, and refuses one without a country with 422', async () => {
    const noCountry = await post('/portal/auth/request', { phone: '044 123 45 67', program: codeA });
    expect(noCountry.statusCode).toBe(422);
    expect(noCountry.json()).toMatchObject({ code: 'PHONE_INVALID', errors: [{ path: 'phone' }] });
    expect((await post('/portal/auth/request', { phone: '044 123 45 67' })).statusCode).toBe(422);
    expect((await t.call(a, 'PATCH', `${API}/program`, { phoneCountry: 'UA' })).json().phoneCountry).toBe('UA');
    expect((await post('/portal/auth/request', { phone: '044 123 45 67', program: codeA })).statusCode).toBe(202);
    const code = await codeFor({ phone: '044 123 45 67' }, codeA);
    const r = await post('/portal/auth/verify', { phone: '(044) 123-45-67', code, program: codeA });
    expect(r.json()).toMatchObject({ member: { name: 'Olena in Alpha', phone: '+380441234567' } });
  });

  it('refuses a phone number of an impossible length with 422', async () => {
    const r = await post('/portal/auth/request', { phone: '+380 44 12' });
    expect(r.statusCode).toBe(422);
    expect(r.json().code).toBe('PHONE_INVALID');
  });
});

describe('one-time codes leave through the SignInCodeSender', () => {
  const lines = () => {
    const seen: string[] = [];
    const log: CodeLog = { info: (m) => seen.push(m), warn: (m) => seen.push(m) };
    return { seen, log };
  };

  it('in production writes no code and no address to the log, and still answers the same', async () => {
    const prod = createServices(t.database, { production: true, testEndpoints: true });
    const { seen, log } = lines();
    await prod.portal.requestCode({ contact: { email: 'olena@partner.test' }, program: codeA }, '10.8.0.1', log);
    const code = await prod.portal.testCode({ contact: { email: 'olena@partner.test' } });
    expect(code).toMatch(/^\d{6}$/);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.join('\n')).not.toContain(code);
    expect(seen.join('\n')).not.toContain('olena');
  });

  it('outside production writes the code to the log, saying it is for development only', async () => {
    // The development mailbox is on by default with the embedded database only; asked for here, so the test reads the same on PostgreSQL.
    const dev = createServices(t.database, { production: false, testEndpoints: true, devMailbox: true });
    const { seen, log } = lines();
    await dev.portal.requestCode({ contact: { email: 'olena@partner.test' }, program: codeA }, '10.8.0.2', log);
    const code = await dev.portal.testCode({ contact: { email: 'olena@partner.test' } });
    // Queued as a message (the development mailbox here), and in the log because this is not production.
    expect(seen).toEqual([expect.stringMatching(new RegExp(`^\\[portal\\] development only \\(NODE_ENV is not production\\): the sign-in code for olena@partner\\.test is ${code} \\(queued as message msg_\\w+, e-mail, development mailbox\\)$`))]);
  });

  it('hands the code, the channel and the members of each program to a wired sender, in the transaction', async () => {
    const sent: SignInCode[] = [];
    const sender: SignInCodeSender = {
      async deliver(tx, m) {
        // In the transaction that stores the code: the sender sees it.
        const { rows } = await tx.execute<{ n: number }>(sql`select count(*)::int as n from portal_codes where used_at is null and expires_at = ${m.expiresAt.toISOString()}`);
        expect(rows[0].n).toBe(1);
        sent.push(m);
      },
    };
    const wired = createServices(t.database, { codeSender: sender });
    await wired.portal.requestCode({ contact: { phone: '+380 44 123 45 67' } }, '10.8.0.3');
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ channel: 'sms', to: '+380441234567', code: expect.stringMatching(/^\d{6}$/) });
    expect(sent[0].recipients.map((r) => [r.programName, r.name]).sort()).toEqual([['Alpha Club', 'Olena in Alpha'], ['Beta Rewards', 'Olena in Beta']]);
  });
});
