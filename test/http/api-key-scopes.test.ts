import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_PERMISSIONS } from '../../src/contracts/permissions.js';
import { buildApp } from '../../src/http/app.js';
import { routeAccess } from '../../src/http/route-access.js';
import { createServices } from '../../src/services.js';
import { API, apiRoutesOf, createTestApp, emptyBodyFor, routeKey, urlNamingNothing, type TestApp, type TestProgram } from '../support/app.js';

/**
 * Scoped API keys against the app's own route table: a key holds only its scopes, never more
 * than its creator, never manages owners unless it is the program itself (unrestricted), stops
 * working on every node within a second of its revocation, and records when it was last used.
 */

const t: TestApp = await createTestApp({ testEndpoints: true });
afterAll(() => t.close());

const apiRoutes = apiRoutesOf(t);

let p: TestProgram;

async function newKey(as: TestProgram, body: Record<string, unknown>): Promise<TestProgram & { id: string; scopes: string[]; unrestricted: boolean }> {
  const res = await t.call(as, 'POST', `${API}/api-keys`, body);
  expect(res.statusCode, res.body).toBe(201);
  const k = res.json();
  return { programId: as.programId, apiKey: k.apiKey, id: k.id, scopes: k.scopes, unrestricted: k.unrestricted };
}

beforeAll(async () => {
  p = await t.newProgram();
});

describe('an ERP feed key (events:write only)', () => {
  let feed: TestProgram;
  beforeAll(async () => {
    feed = await newKey(p, { name: 'ERP feed', scopes: ['events:write'] });
  });

  // Every route that a key could reach, from the route table: only events:write gets past the access check.
  const guarded = apiRoutes.filter((r) => {
    const a = routeAccess(r.method, r.url);
    return !a || !('public' in a);
  });

  it('has routes to check', () => {
    expect(guarded.filter((r) => r.method !== 'GET').length).toBeGreaterThan(40);
  });

  it.each(guarded.filter((r) => r.method !== 'GET').map((r) => [routeKey(r), r] as const))('is refused on %s unless it is an events:write route', async (_name, r) => {
    const a = routeAccess(r.method, r.url);
    const res = await t.call(feed, r.method, urlNamingNothing(r), emptyBodyFor(r));
    if (a && 'permission' in a && a.permission === 'events:write') {
      expect(res.statusCode, res.body).not.toBe(403);
    } else {
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });

  it('reads nothing either', async () => {
    const reads = guarded.filter((r) => r.method === 'GET');
    const answers = await Promise.all(reads.map(async (r) => [routeKey(r), (await t.call(feed, 'GET', urlNamingNothing(r))).statusCode] as const));
    expect(answers.filter(([, status]) => status !== 403)).toEqual([]);
  });

  it('sends events', async () => {
    await t.call(p, 'POST', `${API}/accounts`, { externalId: 'ERP-1', name: 'Dealer', type: 'dealer' });
    const res = await t.call(feed, 'POST', `${API}/events`, { type: 'purchase', accountId: 'ext:ERP-1', occurredAt: new Date().toISOString(), externalId: 'INV-1', amount: { value: '1000', currency: 'EUR' } });
    expect([201, 200, 202, 422]).toContain(res.statusCode);
    expect(res.statusCode, res.body).not.toBe(403);
  });
});

describe('what a key may hold', () => {
  it('lists the scopes of every key; keys without scopes from the program itself are unrestricted', async () => {
    const full = await newKey(p, { name: 'integration' });
    expect(full.unrestricted).toBe(true);
    expect(full.scopes).toEqual([...PERMISSIONS]);
    const list = (await t.call(p, 'GET', `${API}/api-keys`)).json().items as { id: string; scopes: string[]; unrestricted: boolean }[];
    expect(list.find((k) => k.id === full.id)).toMatchObject({ unrestricted: true });
  });

  it('refuses unknown, repeated and empty scopes with the bad field', async () => {
    for (const scopes of [['events:fly'], ['events:write', 'events:write'], []]) {
      const res = await t.call(p, 'POST', `${API}/api-keys`, { name: 'bad', scopes });
      expect(res.statusCode, JSON.stringify(scopes)).toBe(422);
    }
  });

  it('a key without api_keys:manage cannot make keys; one with it makes keys within its own scopes only', async () => {
    const feed = await newKey(p, { name: 'feed', scopes: ['events:write'] });
    expect((await t.call(feed, 'POST', `${API}/api-keys`, { name: 'escalate' })).statusCode).toBe(403);

    const manager = await newKey(p, { name: 'key manager', scopes: ['api_keys:manage', 'events:write'] });
    const over = await t.call(manager, 'POST', `${API}/api-keys`, { name: 'more', scopes: ['events:write', 'accounts:write'] });
    expect(over.statusCode, over.body).toBe(403);
    expect(over.json().code).toBe('API_KEY_SCOPE_EXCEEDS_CREATOR');
    expect(over.json().errors).toEqual([{ path: 'scopes.1', message: 'not held by the creator' }]);

    const child = await newKey(manager, { name: 'child' });
    expect(child).toMatchObject({ unrestricted: false, scopes: ['api_keys:manage', 'events:write'] });
    const narrower = await newKey(manager, { name: 'narrower', scopes: ['events:write'] });
    expect(narrower.scopes).toEqual(['events:write']);
  });

  it('a key without users:write cannot manage users; a scoped key with it still cannot make or promote owners', async () => {
    const noUsers = await newKey(p, { name: 'no users', scopes: ['accounts:write', 'events:write'] });
    const user = { email: 'someone@fealty.test', name: 'Someone', role: 'viewer', password: 'correct horse battery' };
    expect((await t.call(noUsers, 'POST', `${API}/users`, user)).statusCode).toBe(403);

    const hr = await newKey(p, { name: 'hr', scopes: ['users:read', 'users:write'] });
    const owner = await t.call(hr, 'POST', `${API}/users`, { ...user, email: 'owner2@fealty.test', role: 'owner' });
    expect(owner.statusCode, owner.body).toBe(403);
    expect(owner.json().code).toBe('OWNER_REQUIRED');
    const viewer = await t.call(hr, 'POST', `${API}/users`, user);
    expect(viewer.statusCode, viewer.body).toBe(201);
    const promote = await t.call(hr, 'PATCH', `${API}/users/${viewer.json().user?.id ?? viewer.json().id}`, { role: 'owner' });
    expect(promote.statusCode, promote.body).toBe(403);

    // The program's own, unrestricted key keeps what it always could.
    expect((await t.call(p, 'POST', `${API}/users`, { ...user, email: 'owner3@fealty.test', role: 'owner' })).statusCode).toBe(201);
  });

  it("a program manager's key holds a program manager's permissions and acts as one", async () => {
    const pm = await t.loginAs(p, 'program_manager');
    const res = await t.callAs(pm, 'POST', `${API}/api-keys`, { name: 'by a manager' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ unrestricted: false, scopes: [...ROLE_PERMISSIONS.program_manager] });
    const key = { programId: p.programId, apiKey: res.json().apiKey as string };
    const owner = await t.call(key, 'POST', `${API}/users`, { email: 'pm-owner@fealty.test', name: 'X', role: 'owner', password: 'correct horse battery' });
    expect(owner.json().code).toBe('OWNER_REQUIRED');
  });

  it('an owner may make an unrestricted key; a viewer makes none', async () => {
    const owner = await t.loginAs(p, 'owner');
    const res = await t.callAs(owner, 'POST', `${API}/api-keys`, { name: 'by the owner' });
    expect(res.json()).toMatchObject({ unrestricted: true });
    const viewer = await t.loginAs(p, 'viewer');
    expect((await t.callAs(viewer, 'POST', `${API}/api-keys`, { name: 'by a viewer', scopes: ['events:read'] })).statusCode).toBe(403);
  });
});

describe('lastUsedAt', () => {
  it('is empty until the key is used, then set, and not rewritten by every request', async () => {
    const key = await newKey(p, { name: 'used', scopes: ['program:read'] });
    const shown = async () => ((await t.call(p, 'GET', `${API}/api-keys`)).json().items as { id: string; lastUsedAt: string | null }[]).find((k) => k.id === key.id)!.lastUsedAt;
    expect(await shown()).toBeNull();
    expect((await t.call(key, 'GET', `${API}/program`)).statusCode).toBe(200);
    const first = await shown();
    expect(first).not.toBeNull();
    // Past the one-second cache, so the key is read from the database again: within the minute, no new write.
    await new Promise((r) => setTimeout(r, 1100));
    expect((await t.call(key, 'GET', `${API}/program`)).statusCode).toBe(200);
    expect(await shown()).toBe(first);
  });
});

describe('revocation', () => {
  it('takes effect on another node of the same database within a second', async () => {
    // A second node: its own services (and key cache) and app, on the same database.
    const services = createServices(t.database, { testEndpoints: true });
    const other = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 1024 * 1024, dbKind: t.database.kind }, services, logger: false });
    await other.ready();
    try {
      const key = await newKey(p, { name: 'to revoke', scopes: ['program:read'] });
      const onOther = () => other.inject({ method: 'GET', url: `${API}/program`, headers: { authorization: `Bearer ${key.apiKey}` } });
      expect((await onOther()).statusCode).toBe(200);
      expect((await t.call(p, 'DELETE', `${API}/api-keys/${key.id}`)).statusCode).toBe(200);
      // This node cleared its cache at once.
      expect((await t.call(key, 'GET', `${API}/program`)).statusCode).toBe(401);
      // The other node read the key a moment ago and may hold it for at most its one-second cache.
      await new Promise((r) => setTimeout(r, 1100));
      const res = await onOther();
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('UNAUTHENTICATED');
    } finally {
      await other.close();
    }
  });
});
