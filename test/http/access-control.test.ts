import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_BOUND, CONSOLE_ROLES, ROLE_PERMISSIONS, type ConsoleRole } from '../../src/contracts/permissions.js';
import { routeAccess } from '../../src/http/route-access.js';
import { API, apiRoutesOf, createTestApp, emptyBodyFor, routeKey, urlNamingNothing, type TestApp, type TestProgram, type TestSession } from '../support/app.js';

/**
 * Roles against the app's own route table (collected by createTestApp), so a route added later
 * is checked without anyone listing it here: every route must declare what it needs, every role
 * gets 403 for what its permissions do not cover and never 403 for what they do, members never
 * reach the console API, console users and API keys never reach the portal.
 */

// Built at collection time so that every route becomes part of the table below; test endpoints on, so they are checked too.
const t: TestApp = await createTestApp({ testEndpoints: true });
afterAll(() => t.close());

const apiRoutes = apiRoutesOf(t);

let p: TestProgram;
const sessions = {} as Record<ConsoleRole, TestSession>;
let member: TestSession;

beforeAll(async () => {
  p = await t.newProgram();
  for (const role of CONSOLE_ROLES) sessions[role] = await t.loginAs(p, role);
  await t.call(p, 'POST', `${API}/roles`, { code: 'sales', name: 'Sales' });
  await t.call(p, 'POST', `${API}/accounts`, { externalId: 'C-1', name: 'Partner', type: 'dealer' });
  await t.call(p, 'POST', `${API}/accounts/ext:C-1/members`, { externalId: 'E-1', name: 'Olena', role: 'sales', email: 'olena@partner.test', partnerAdmin: true });
  member = await t.loginMember('olena@partner.test');
});

describe('the route table', () => {
  it('has routes to check', () => {
    expect(apiRoutes.length).toBeGreaterThan(50);
  });

  it('declares the access of every route under /api/v1 in src/http/route-access.ts', () => {
    const undeclared = apiRoutes.filter((r) => !routeAccess(r.method, r.url)).map(routeKey);
    expect(undeclared, 'add these routes to ROUTE_ACCESS').toEqual([]);
  });

  it('says how an account manager limited to their accounts is kept to them, on every account-bound route such a manager may call', () => {
    const am = ROLE_PERMISSIONS.account_manager;
    const unscoped = apiRoutes
      .filter((r) => {
        const a = routeAccess(r.method, r.url);
        if (!a || !('permission' in a) || !am.includes(a.permission)) return false;
        const namesAnAccount = /:(accountId|memberId|eventId)/.test(r.url);
        return (ACCOUNT_BOUND.includes(a.permission) || namesAnAccount) && !a.scope;
      })
      .map(routeKey);
    expect(unscoped).toEqual([]);
  });
});

describe.each(CONSOLE_ROLES)('a console user with the role %s', (role) => {
  it('gets 403 FORBIDDEN on every route its permissions do not cover, and never 403 on those they do', async () => {
    const wrong: string[] = [];
    for (const r of apiRoutes) {
      const a = routeAccess(r.method, r.url);
      if (!a || !('permission' in a)) continue;
      const allowed = ROLE_PERMISSIONS[role].includes(a.permission);
      const res = await t.callAs(sessions[role], r.method, urlNamingNothing(r), emptyBodyFor(r));
      const forbidden = res.statusCode === 403 && res.json().code === 'FORBIDDEN';
      if (allowed === forbidden || res.statusCode === 401 || res.statusCode >= 500) wrong.push(`${routeKey(r)} (${a.permission}) → ${res.statusCode} ${res.body.slice(0, 120)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('never reaches the partner portal', async () => {
    const reached: string[] = [];
    for (const r of apiRoutes) {
      const a = routeAccess(r.method, r.url);
      if (!a || !('portal' in a)) continue;
      const res = await t.callAs(sessions[role], r.method, urlNamingNothing(r), emptyBodyFor(r));
      if (res.statusCode !== 403) reached.push(`${routeKey(r)} → ${res.statusCode}`);
    }
    expect(reached).toEqual([]);
  });
});

describe('a portal member', () => {
  it('gets 403 on every console route, whatever it is', async () => {
    const reached: string[] = [];
    for (const r of apiRoutes) {
      const a = routeAccess(r.method, r.url);
      if (!a || !('permission' in a || ('session' in a && a.session === 'user'))) continue;
      const res = await t.callAs(member, r.method, urlNamingNothing(r), emptyBodyFor(r));
      if (res.statusCode !== 403) reached.push(`${routeKey(r)} → ${res.statusCode}`);
    }
    expect(reached).toEqual([]);
  });
});

describe('an API key', () => {
  it('acts as the program on every console route (never 403) and never reaches the portal', async () => {
    const wrong: string[] = [];
    for (const r of apiRoutes) {
      const a = routeAccess(r.method, r.url);
      if (!a || 'public' in a) continue;
      const res = await t.call(p, r.method, urlNamingNothing(r), emptyBodyFor(r));
      const expectForbidden = 'portal' in a || 'session' in a;
      if ((res.statusCode === 403) !== expectForbidden || res.statusCode === 401) wrong.push(`${routeKey(r)} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('without credentials', () => {
  it('every route that is not public answers 401 UNAUTHENTICATED as problem+json', async () => {
    const wrong: string[] = [];
    for (const r of apiRoutes) {
      const a = routeAccess(r.method, r.url);
      if (a && 'public' in a) continue;
      const res = await t.callAs(null, r.method, urlNamingNothing(r), emptyBodyFor(r));
      if (res.statusCode !== 401 || res.json().code !== 'UNAUTHENTICATED' || !String(res.headers['content-type']).includes('application/problem+json')) wrong.push(`${routeKey(r)} → ${res.statusCode}`);
    }
    expect(wrong).toEqual([]);
  });
});
