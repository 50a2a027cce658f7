import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram, type TestSession } from '../support/app.js';

/**
 * An account manager sees and adjusts only the accounts whose `managerId` is their user id:
 * anything else answers exactly as if it did not exist, and lists leave it out.
 */
const API = '/api/v1';
let t: TestApp;
let p: TestProgram;
let am: TestSession;
let ids: { mine: string; theirs: string; myMember: string; theirMember: string };
const key = (() => {
  let n = 0;
  return () => ({ 'idempotency-key': `am-${n++}` });
})();

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram();
  am = await t.loginAs(p, 'account_manager');
  await t.call(p, 'POST', `${API}/currencies`, { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', `${API}/roles`, { code: 'sales', name: 'Sales' });
  const mine = (await t.call(p, 'POST', `${API}/accounts`, { externalId: 'MINE', name: 'Mine Ltd', type: 'dealer', managerId: am.id })).json();
  const theirs = (await t.call(p, 'POST', `${API}/accounts`, { externalId: 'THEIRS', name: 'Theirs Ltd', type: 'dealer', managerId: 'usr_someone_else' }));
  const myMember = (await t.call(p, 'POST', `${API}/accounts/ext:MINE/members`, { externalId: 'M-1', name: 'Mine person', role: 'sales' })).json();
  const theirMember = (await t.call(p, 'POST', `${API}/accounts/ext:THEIRS/members`, { externalId: 'T-1', name: 'Their person', role: 'sales' })).json();
  ids = { mine: mine.id, theirs: theirs.json().id, myMember: myMember.id, theirMember: theirMember.id };
  for (const [acc, id] of [['MINE', 'EV-MINE'], ['THEIRS', 'EV-THEIRS']]) {
    expect((await t.call(p, 'POST', `${API}/events`, { id, type: 'purchase', occurredAt: '2026-01-10T10:00:00Z', accountId: `ext:${acc}`, amount: 1000, currency: 'EUR' })).statusCode).toBe(201);
  }
});
afterAll(() => t.close());

describe('an account manager', () => {
  it('lists only the accounts, members and events of their own accounts, whatever the filters say', async () => {
    const accounts = (await t.callAs(am, 'GET', `${API}/accounts`)).json();
    expect(accounts.items.map((a: { externalId: string }) => a.externalId)).toEqual(['MINE']);
    const spoofed = (await t.callAs(am, 'GET', `${API}/accounts?managerId=usr_someone_else`)).json();
    expect(spoofed.items.map((a: { externalId: string }) => a.externalId)).toEqual(['MINE']);
    expect(accounts.total).toBe(1);
    // The filter values offered are those of their own accounts: one dealer, not two.
    expect((await t.callAs(am, 'GET', `${API}/accounts/facets`)).json().types).toEqual([{ value: 'dealer', count: 1 }]);
    expect((await t.call(p, 'GET', `${API}/accounts/facets`)).json().types).toEqual([{ value: 'dealer', count: 2 }]);
    const members = (await t.callAs(am, 'GET', `${API}/members`)).json();
    expect(members.items.map((m: { externalId: string }) => m.externalId)).toEqual(['M-1']);
    expect((await t.callAs(am, 'GET', `${API}/members?accountId=ext:THEIRS`)).json().items).toEqual([]);
    const events = (await t.callAs(am, 'GET', `${API}/events`)).json();
    expect(events.items.map((e: { id: string }) => e.id)).toEqual(['EV-MINE']);
  });

  it('gets 404, as for an object that does not exist, on an unassigned account and its members, wallets, entries and events', async () => {
    const urls = [
      `/accounts/${ids.theirs}`,
      '/accounts/ext:THEIRS',
      '/accounts/ext:THEIRS/members',
      '/accounts/ext:THEIRS/wallets',
      '/accounts/ext:THEIRS/entries',
      `/members/${ids.theirMember}`,
      '/members/ext:T-1/wallets',
      '/members/ext:T-1/entries',
      '/events/EV-THEIRS',
    ];
    for (const url of urls) {
      const r = await t.callAs(am, 'GET', `${API}${url}`);
      expect([url, r.statusCode]).toEqual([url, 404]);
    }
    const unassigned = await t.callAs(am, 'GET', `${API}/accounts/ext:THEIRS`);
    const unknown = await t.callAs(am, 'GET', `${API}/accounts/ext:NOBODY`);
    expect({ ...unassigned.json(), requestId: 0, detail: 0 }).toEqual({ ...unknown.json(), requestId: 0, detail: 0 });
    for (const url of ['/accounts/ext:MINE', '/accounts/ext:MINE/wallets', `/members/${ids.myMember}/entries`, '/events/EV-MINE']) {
      expect([url, (await t.callAs(am, 'GET', `${API}${url}`)).statusCode]).toEqual([url, 200]);
    }
  });

  it('adjusts their own accounts (audited as themselves) and nobody else’s', async () => {
    const ok = await t.callAs(am, 'POST', `${API}/adjustments`, { accountId: 'ext:MINE', currency: 'points', amount: 100, reason: 'Goodwill' }, { headers: key() });
    expect(ok.statusCode).toBe(201);
    const audit = (await t.call(p, 'GET', `${API}/audit?action=adjustment.created`)).json();
    expect(audit.items[0].actor).toEqual({ type: 'user', id: am.id });
    const refused = await t.callAs(am, 'POST', `${API}/adjustments`, { accountId: 'ext:THEIRS', currency: 'points', amount: 100, reason: 'Goodwill' }, { headers: key() });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'WALLET_OWNER_UNKNOWN', errors: [{ path: 'accountId' }] });
    const viaMember = await t.callAs(am, 'POST', `${API}/adjustments`, { memberId: `${ids.theirMember}`, currency: 'points', amount: 100, reason: 'Goodwill' }, { headers: key() });
    expect(viaMember.statusCode).toBe(422);
    const transfer = await t.callAs(am, 'POST', `${API}/transfers`, { from: { accountId: 'ext:THEIRS' }, to: { memberId: 'ext:T-1' }, currency: 'points', amount: 1 }, { headers: key() });
    expect(transfer.statusCode).toBe(422);
    expect((await t.call(p, 'GET', `${API}/accounts/ext:THEIRS/wallets`)).json()).toEqual([]);
  });

  it('cannot change accounts or members, even their own (reads and adjusts only)', async () => {
    expect((await t.callAs(am, 'PATCH', `${API}/accounts/ext:MINE`, { segment: 'key' })).statusCode).toBe(403);
    expect((await t.callAs(am, 'PATCH', `${API}/members/ext:M-1`, { name: 'x' })).statusCode).toBe(403);
  });

  it('with seesAllAccounts sees every account', async () => {
    const all = await t.loginAs(p, 'account_manager', { seesAllAccounts: true });
    expect((await t.callAs(all, 'GET', `${API}/accounts`)).json().items).toHaveLength(2);
    expect((await t.callAs(all, 'GET', `${API}/accounts/ext:THEIRS/wallets`)).statusCode).toBe(200);
    expect((await t.callAs(all, 'GET', `${API}/events`)).json().items).toHaveLength(2);
  });
});
