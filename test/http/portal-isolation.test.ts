import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../support/app.js';
import { API } from './http-fixtures.js';

/**
 * The partner portal between two programs that both know the same person (one e-mail address,
 * a member in each): signing in is per program, and a session of one program reads nothing of
 * the other, whichever program's portal address or ids it is sent with.
 */

let t: TestApp;
let a: TestProgram;
let b: TestProgram;
let codeA: string;
let codeB: string;
let memberA: string;
let memberB: string;
let session: TestSession;
const email = 'both-programs@example.test';

beforeAll(async () => {
  t = await createTestApp();
  a = await t.newProgram('Program A');
  b = await t.newProgram('Program B');
  for (const [p, tag] of [[a, 'A'], [b, 'B']] as const) {
    const post = async (path: string, body: unknown, headers?: Record<string, string>) => {
      const res = await t.call(p, 'POST', `${API}${path}`, body, headers);
      expect(res.statusCode, res.body).toBeLessThan(300);
      return res.json() as { id: string };
    };
    await post('/currencies', { code: 'pts', name: 'Points', kind: 'points' });
    await post('/roles', { code: 'sales', name: 'Sales' });
    const acc = await post('/accounts', { externalId: `${tag}-ACC`, name: `${tag} company`, type: 'dealer' });
    const m = await post(`/accounts/${acc.id}/members`, { externalId: `${tag}-MEM`, name: `${tag} person`, role: 'sales', email, partnerAdmin: true });
    await post('/adjustments', { memberId: m.id, currency: 'pts', amount: tag === 'A' ? 48271 : 93517, reason: 'Opening balance' }, { 'idempotency-key': `${tag}-open` });
    if (tag === 'A') memberA = m.id;
    else memberB = m.id;
  }
  codeA = (await t.call(a, 'GET', `${API}/program`)).json().code;
  codeB = (await t.call(b, 'GET', `${API}/program`)).json().code;
  session = await t.loginMember(email, codeA);
});
afterAll(() => t.close());

describe('portal sign-in between two programs', () => {
  it("signs in to the program of the portal address, as that program's member", async () => {
    expect(session.programId).toBe(a.programId);
    expect(session.id).toBe(memberA);
    const me = await t.callAs(session, 'GET', `${API}/portal/me`);
    expect(me.statusCode, me.body).toBe(200);
    expect(JSON.stringify(me.json())).not.toContain(memberB);
  });

  it("does not take a code sent for A's portal on B's", async () => {
    const asked = await t.callAs(null, 'POST', `${API}/portal/auth/request`, { email, program: codeA });
    expect(asked.statusCode).toBe(202);
    const code = await t.services.portal.testCode({ contact: { email }, program: codeA });
    const res = await t.callAs(null, 'POST', `${API}/portal/auth/verify`, { email, code, program: codeB });
    expect(res.statusCode, res.body).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringMatching(/^fealty_session=[^;]/)]));
  });

  it("shows A's wallet only, never B's balance, on every portal read", async () => {
    const wallets = await t.callAs(session, 'GET', `${API}/portal/wallets`);
    expect(wallets.statusCode, wallets.body).toBe(200);
    expect(wallets.body).toContain('48271');
    for (const path of ['/portal/me', '/portal/wallets', '/portal/entries', '/portal/company', '/portal/rewards', '/portal/redemptions', '/portal/inbox', '/portal/preferences', '/portal/push']) {
      const res = await t.callAs(session, 'GET', `${API}${path}`);
      expect(res.statusCode, `${path}: ${res.body}`).toBeLessThan(500);
      expect(res.body, path).not.toContain('93517');
      expect(res.body, path).not.toContain(memberB);
      expect(res.body, path).not.toContain(b.programId);
    }
  });

  it("keeps A's session cookie in A when it is sent with B's program code", async () => {
    for (const path of [`/portal/me?program=${codeB}`, `/portal/wallets?program=${codeB}`]) {
      const res = await t.callAs(session, 'GET', `${API}${path}`);
      expect(res.body, path).not.toContain(memberB);
      expect(res.body, path).not.toContain('93517');
    }
    // The sign-in screen of B's portal address is public and shows B's name only.
    const screen = await t.callAs(session, 'GET', `${API}/portal/programs/${codeB}`);
    expect(screen.statusCode).toBe(200);
    expect(Object.keys(screen.json()).sort()).toEqual(['code', 'name', 'phoneCountry']);
  });

  it("cannot spend from B's member wallet or move B's points with A's session", async () => {
    const before = (await t.call(b, 'GET', `${API}/members/${memberB}/wallets`)).body;
    const transfer = await t.callAs(session, 'POST', `${API}/portal/transfers`, { toMemberId: memberB, currency: 'pts', amount: 1 });
    expect(transfer.statusCode, transfer.body).toBeGreaterThanOrEqual(400);
    expect(transfer.statusCode).toBeLessThan(500);
    expect((await t.call(b, 'GET', `${API}/members/${memberB}/wallets`)).body).toBe(before);
  });
});
