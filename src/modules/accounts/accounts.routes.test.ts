import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../../../test/support/app.js';
import { inTransaction } from '../../db/database.js';
import { DomainError } from '../../lib/domain-error.js';
import { findAccountIn, findMemberIn, resolveAccountIn, resolveMemberIn } from './index.js';

type Json = Record<string, unknown>;
type Item = { id: string; externalId: string };

let t: TestApp;
let p: TestProgram;
let other: TestProgram;

const api = (path: string) => `/api/v1${path}`;
const post = (who: TestProgram, path: string, body: unknown) => t.call(who, 'POST', api(path), body);
const get = (who: TestProgram, path: string) => t.call(who, 'GET', api(path));
const patch = (who: TestProgram, path: string, body: unknown) => t.call(who, 'PATCH', api(path), body);

async function createAccount(who: TestProgram, body: Json): Promise<Json & Item> {
  const r = await post(who, '/accounts', { name: `Company ${String(body.externalId)}`, type: 'dealer', ...body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

async function createMember(who: TestProgram, accountRef: string, body: Json): Promise<Json & Item & { accountId: string }> {
  const r = await post(who, `/accounts/${accountRef}/members`, { name: `Person ${String(body.externalId)}`, role: 'purchasing', ...body });
  expect(r.statusCode, r.body).toBe(201);
  return r.json();
}

/** Every externalId of a list answer, in order. */
async function extIds(who: TestProgram, path: string): Promise<string[]> {
  const r = await get(who, path);
  expect(r.statusCode, r.body).toBe(200);
  return r.json().items.map((i: Item) => i.externalId);
}

/** Everything a rejected request could have touched: accounts, members and the audit log of both programs. */
async function snapshot(): Promise<string> {
  const parts = [];
  for (const who of [p, other]) {
    for (const path of ['/accounts?limit=500', '/members?limit=500', '/audit?limit=500']) parts.push((await get(who, path)).body);
  }
  return parts.join('\n');
}

/** Sends a request that must be refused, and checks it changed nothing. */
async function refused(who: TestProgram, method: 'POST' | 'PATCH' | 'GET', path: string, body: unknown, status: number, code: string) {
  const before = await snapshot();
  const r = await t.call(who, method, api(path), body);
  expect(r.statusCode, r.body).toBe(status);
  expect(r.headers['content-type']).toContain('application/problem+json');
  expect(r.json().code).toBe(code);
  expect(await snapshot()).toBe(before);
  return r.json() as { code: string; errors?: { path: string; message: string }[] };
}

async function auditOf(who: TestProgram, objectId: string) {
  const r = await get(who, `/audit?objectId=${encodeURIComponent(objectId)}`);
  return r.json().items as { action: string; before: Json | null; after: Json | null; actor: { type: string } }[];
}

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram('Pipes Inc');
  other = await t.newProgram('Someone else');
  for (const code of ['purchasing', 'engineer', 'owner']) {
    expect((await post(p, '/roles', { code, name: code })).statusCode).toBe(201);
  }
  expect((await post(other, '/roles', { code: 'purchasing', name: 'Purchasing' })).statusCode).toBe(201);
});
afterAll(() => t.close());

describe('accounts: create and read', () => {
  it('creates an account with defaults and reads it by id and by ext:', async () => {
    const r = await post(p, '/accounts', { externalId: 'C-1000', name: 'Acme Holding', type: 'distributor' });
    expect(r.statusCode).toBe(201);
    const a = r.json();
    expect(a).toEqual({
      id: expect.stringMatching(/^acc_/),
      externalId: 'C-1000',
      name: 'Acme Holding',
      type: 'distributor',
      parentId: null,
      segment: null,
      region: null,
      managerId: null,
      status: 'active',
      employeeIncentives: true,
      attributes: {},
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect((await get(p, `/accounts/${a.id}`)).json()).toEqual(a);
    expect((await get(p, '/accounts/ext:C-1000')).json()).toEqual(a);
  });

  it('takes every field, and a parent by ext:', async () => {
    const parent = (await get(p, '/accounts/ext:C-1000')).json();
    const a = await createAccount(p, {
      externalId: 'C-1001',
      name: 'Acme North',
      type: 'dealer',
      parentId: 'ext:C-1000',
      segment: 'key',
      region: 'north',
      managerId: 'usr_anna',
      status: 'suspended',
      employeeIncentives: false,
      attributes: { vat: 'FR123', size: 40 },
    });
    expect(a).toMatchObject({ parentId: parent.id, segment: 'key', region: 'north', managerId: 'usr_anna', status: 'suspended', employeeIncentives: false, attributes: { vat: 'FR123', size: 40 } });
    const byId = await createAccount(p, { externalId: 'C-1002', parentId: parent.id });
    expect(byId.parentId).toBe(parent.id);
  });

  it('addresses external ids with reserved URL characters when they are percent-encoded', async () => {
    const a = await createAccount(p, { externalId: 'SAP/77 x', name: 'Slash & Space' });
    expect((await get(p, `/accounts/ext:${encodeURIComponent('SAP/77 x')}`)).json().id).toBe(a.id);
  });

  it('answers 404 for an unknown account, by id and by ext:', async () => {
    for (const ref of ['acc_nope', 'ext:C-404', 'ext:']) {
      const r = await get(p, `/accounts/${ref}`);
      expect(r.statusCode).toBe(404);
      expect(r.json()).toMatchObject({ status: 404, code: 'ACCOUNT_NOT_FOUND' });
    }
  });

  it('audits the creation with the created account', async () => {
    const a = (await get(p, '/accounts/ext:C-1001')).json();
    const [rec] = await auditOf(p, a.id);
    expect(rec).toMatchObject({ action: 'account.created', before: null, after: a, actor: { type: 'key' } });
  });

  it('needs an API key', async () => {
    expect((await t.call(null, 'GET', api('/accounts'))).statusCode).toBe(401);
    expect((await t.call(null, 'POST', api('/accounts'), { externalId: 'X', name: 'X', type: 'dealer' })).statusCode).toBe(401);
  });
});

describe('accounts: refused input changes nothing', () => {
  const ok = { externalId: 'C-NEW', name: 'New Co', type: 'dealer' };
  it.each([
    ['an unknown field', { ...ok, colour: 'red' }, [{ path: 'colour', message: 'unknown field' }]],
    ['a missing name', { externalId: 'C-NEW', type: 'dealer' }, [{ path: 'name' }]],
    ['a missing externalId', { name: 'X', type: 'dealer' }, [{ path: 'externalId' }]],
    ['an empty externalId', { ...ok, externalId: '' }, [{ path: 'externalId' }]],
    ['a type with spaces', { ...ok, type: 'end customer' }, [{ path: 'type' }]],
    ['a name that is not a string', { ...ok, name: 42 }, [{ path: 'name' }]],
    ['an unknown status', { ...ok, status: 'deleted' }, [{ path: 'status' }]],
    ['attributes that are not an object', { ...ok, attributes: [1, 2] }, [{ path: 'attributes' }]],
    ['employeeIncentives as a string', { ...ok, employeeIncentives: 'no' }, [{ path: 'employeeIncentives' }]],
    ['a null segment on create', { ...ok, segment: null }, [{ path: 'segment' }]],
  ])('POST /accounts refuses %s with 422 and names the field', async (_label, body, errors) => {
    const problem = await refused(p, 'POST', '/accounts', body, 422, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual(errors.map((e) => expect.objectContaining(e)));
  });

  it('refuses malformed JSON with 400', async () => {
    await refused(p, 'POST', '/accounts', '{"externalId": "C-9",', 400, 'MALFORMED_JSON');
  });

  it('refuses a duplicate external id with 409, but another program may use it', async () => {
    const problem = await refused(p, 'POST', '/accounts', { externalId: 'C-1000', name: 'Again', type: 'dealer' }, 409, 'ACCOUNT_EXTERNAL_ID_TAKEN');
    expect(problem.errors).toEqual([{ path: 'externalId', message: 'already taken' }]);
    const theirs = await createAccount(other, { externalId: 'C-1000', name: 'Their C-1000' });
    expect(theirs.id).not.toBe((await get(p, '/accounts/ext:C-1000')).json().id);
  });

  it('refuses an unknown parent, and another program’s account as parent, with 422', async () => {
    const theirs = (await get(other, '/accounts/ext:C-1000')).json();
    for (const parentId of ['ext:C-404', 'acc_nope', theirs.id]) {
      const problem = await refused(p, 'POST', '/accounts', { externalId: 'C-ORPHAN', name: 'Orphan', type: 'dealer', parentId }, 422, 'PARENT_NOT_FOUND');
      expect(problem.errors).toEqual([{ path: 'parentId', message: expect.any(String) }]);
    }
  });
});

describe('accounts: update', () => {
  it('changes only the fields sent, clears with null, and audits before and after', async () => {
    const a = await createAccount(p, { externalId: 'U-1', segment: 'smb', region: 'west', managerId: 'usr_bob', attributes: { a: 1 } });
    const r = await patch(p, '/accounts/ext:U-1', { name: 'Renamed', segment: null, managerId: 'usr_eve', attributes: { b: 2 }, employeeIncentives: false, status: 'suspended', type: 'reseller' });
    expect(r.statusCode, r.body).toBe(200);
    const after = r.json();
    expect(after).toMatchObject({ id: a.id, externalId: 'U-1', name: 'Renamed', type: 'reseller', segment: null, region: 'west', managerId: 'usr_eve', attributes: { b: 2 }, employeeIncentives: false, status: 'suspended' });
    expect(Date.parse(after.updatedAt)).toBeGreaterThanOrEqual(Date.parse(a.updatedAt as string));
    expect((await get(p, `/accounts/${a.id}`)).json()).toEqual(after);
    const [rec] = await auditOf(p, a.id);
    expect(rec).toMatchObject({ action: 'account.updated', before: { name: 'Company U-1', segment: 'smb', managerId: 'usr_bob', attributes: { a: 1 } }, after });
  });

  it('sets, moves and clears the parent', async () => {
    const top = await createAccount(p, { externalId: 'H-TOP' });
    const top2 = await createAccount(p, { externalId: 'H-TOP2' });
    const child = await createAccount(p, { externalId: 'H-CHILD' });
    expect((await patch(p, `/accounts/${child.id}`, { parentId: 'ext:H-TOP' })).json().parentId).toBe(top.id);
    expect((await patch(p, `/accounts/${child.id}`, { parentId: top2.id })).json().parentId).toBe(top2.id);
    expect((await patch(p, `/accounts/${child.id}`, { parentId: null })).json().parentId).toBeNull();
  });

  it('refuses a parent cycle with 422: itself, its child, its grandchild', async () => {
    const a = await createAccount(p, { externalId: 'CY-A' });
    const b = await createAccount(p, { externalId: 'CY-B', parentId: a.id });
    const c = await createAccount(p, { externalId: 'CY-C', parentId: b.id });
    for (const parentId of [a.id, 'ext:CY-A', b.id, 'ext:CY-C']) {
      const problem = await refused(p, 'PATCH', '/accounts/ext:CY-A', { parentId, name: 'Should not be renamed' }, 422, 'PARENT_CYCLE');
      expect(problem.errors).toEqual([{ path: 'parentId', message: expect.any(String) }]);
    }
    // Moving a leaf under the root's sibling is fine; moving the middle under the leaf is not.
    await refused(p, 'PATCH', `/accounts/${b.id}`, { parentId: c.id }, 422, 'PARENT_CYCLE');
    expect((await patch(p, `/accounts/${c.id}`, { parentId: a.id })).statusCode).toBe(200);
  });

  it('lets only one of two crossing moves win (A under B, B under A), even when they run at once', async () => {
    // Many pairs at once, so that on PostgreSQL some pairs really do overlap.
    const pairs: [Item, Item][] = [];
    for (let i = 0; i < 12; i++) pairs.push([await createAccount(p, { externalId: `X-${i}-A` }), await createAccount(p, { externalId: `X-${i}-B` })]);
    const rs = await Promise.all(pairs.flatMap(([a, b]) => [patch(p, `/accounts/${a.id}`, { parentId: b.id }), patch(p, `/accounts/${b.id}`, { parentId: a.id })]));
    for (let i = 0; i < pairs.length; i++) {
      const pair = [rs[2 * i], rs[2 * i + 1]];
      expect(pair.map((r) => r.statusCode).sort()).toEqual([200, 422]);
      expect(pair.find((r) => r.statusCode === 422)!.json().code).toBe('PARENT_CYCLE');
    }
  });

  it('refuses an unknown parent and bad fields with 422, an unknown account with 404', async () => {
    await refused(p, 'PATCH', '/accounts/ext:U-1', { parentId: 'ext:NOPE' }, 422, 'PARENT_NOT_FOUND');
    const unknown = await refused(p, 'PATCH', '/accounts/ext:U-1', { externalId: 'U-2' }, 422, 'VALIDATION_FAILED');
    expect(unknown.errors).toEqual([{ path: 'externalId', message: 'unknown field' }]);
    const bad = await refused(p, 'PATCH', '/accounts/ext:U-1', { status: 'gone', name: '' }, 422, 'VALIDATION_FAILED');
    expect(bad.errors!.map((e) => e.path).sort()).toEqual(['name', 'status']);
    await refused(p, 'PATCH', '/accounts/ext:NOPE', { name: 'x' }, 404, 'ACCOUNT_NOT_FOUND');
  });

  it('answers an empty patch with the account and writes no audit record', async () => {
    const a = await createAccount(p, { externalId: 'U-EMPTY' });
    const r = await patch(p, `/accounts/${a.id}`, {});
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(a);
    expect((await auditOf(p, a.id)).map((x) => x.action)).toEqual(['account.created']);
  });
});

describe('accounts: list', () => {
  let q: TestProgram;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    q = await t.newProgram('List program');
    const rows: Json[] = [
      { externalId: 'L-1', name: 'Alpha Pipes', type: 'distributor', segment: 'key', region: 'north', managerId: 'usr_1' },
      { externalId: 'L-2', name: 'Beta Fittings', type: 'dealer', segment: 'key', region: 'south', parentId: 'ext:L-1', managerId: 'usr_2' },
      { externalId: 'L-3', name: 'Gamma 100% Heat', type: 'dealer', segment: 'smb', region: 'north', parentId: 'ext:L-1', status: 'suspended' },
      { externalId: 'L-4', name: 'delta_installers', type: 'installer', segment: 'smb', region: 'east', status: 'closed', managerId: 'usr_1' },
      { externalId: 'ALPHA-5', name: 'Epsilon', type: 'installer' },
    ];
    for (const row of rows) ids[row.externalId as string] = (await createAccount(q, row)).id;
  });

  it.each([
    ['', ['L-1', 'L-2', 'L-3', 'L-4', 'ALPHA-5']],
    ['type=dealer', ['L-2', 'L-3']],
    ['segment=smb', ['L-3', 'L-4']],
    ['region=north', ['L-1', 'L-3']],
    ['managerId=usr_1', ['L-1', 'L-4']],
    ['status=suspended', ['L-3']],
    ['status=active', ['L-1', 'L-2', 'ALPHA-5']],
    ['parentId=ext:L-1', ['L-2', 'L-3']],
    ['parentId=ext:NOPE', []],
    ['q=alpha', ['L-1', 'ALPHA-5']],
    ['q=PIPES', ['L-1']],
    ['q=l-4', ['L-4']],
    ['q=100%25', ['L-3']],
    ['q=_', ['L-4']],
    ['q=%25', ['L-3']],
    ['type=dealer&segment=key', ['L-2']],
    ['type=dealer&region=north&status=suspended&q=gamma', ['L-3']],
    ['type=DEALER', ['L-2', 'L-3']],
    ['region=North', ['L-1', 'L-3']],
    ['segment=Key', ['L-1', 'L-2']],
    ['region=nort', []],
    ['tier=gold', []],
  ])('GET /accounts?%s', async (query, expected) => {
    const r = await get(q, `/accounts?${query}`);
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().items.map((i: Item) => i.externalId)).toEqual(expected);
    expect(r.json().nextCursor).toBeNull();
    expect(r.json().total).toBe(expected.length);
  });

  it('counts every matching account in total, not only the page', async () => {
    const r = (await get(q, '/accounts?limit=2')).json();
    expect(r.items).toHaveLength(2);
    expect(r.total).toBe(5);
    expect((await get(q, '/accounts?limit=1&type=dealer')).json().total).toBe(2);
  });

  it('lists the types, segments and regions in use with their counts, one entry per spelling up to case', async () => {
    const f = await t.newProgram('Facets program');
    for (const [i, type, region] of [[1, 'dealer', 'North'], [2, 'dealer', 'North'], [3, 'Dealer', 'north'], [4, 'installer', null], [5, 'distributor', 'Île-de-France']] as const) {
      await createAccount(f, { externalId: `F-${i}`, type, ...(region ? { region } : {}) });
    }
    const r = await get(f, '/accounts/facets');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toEqual({
      types: [
        { value: 'dealer', count: 3 },
        { value: 'distributor', count: 1 },
        { value: 'installer', count: 1 },
      ],
      segments: [],
      regions: [
        { value: 'North', count: 3 },
        { value: 'Île-de-France', count: 1 },
      ],
    });
    // Another program's values are not offered.
    expect((await get(other, '/accounts/facets')).json().types.map((x: { value: string }) => x.value)).not.toContain('installer');
  });

  it('filters by parent server id too', async () => {
    expect(await extIds(q, `/accounts?parentId=${ids['L-1']}`)).toEqual(['L-2', 'L-3']);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['limit=501', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['cursor=!!', 'query.cursor'],
    ['status=gone', 'query.status'],
    ['colour=red', 'query.colour'],
  ])('refuses ?%s with 422', async (query, path) => {
    const r = await get(q, `/accounts?${query}`);
    expect(r.statusCode, r.body).toBe(422);
    expect(r.json().errors).toEqual([expect.objectContaining({ path })]);
  });

  it('pages through every account in id order without gaps or duplicates', async () => {
    const many = await t.newProgram('Paging program');
    const created: string[] = [];
    for (let i = 0; i < 11; i++) created.push((await createAccount(many, { externalId: `P-${i}` })).id);
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const r = await get(many, `/accounts?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
      expect(r.statusCode, r.body).toBe(200);
      const body = r.json();
      sizes.push(body.items.length);
      seen.push(...body.items.map((i: Item) => i.id));
      cursor = body.nextCursor;
    } while (cursor);
    expect(sizes).toEqual([4, 4, 3]);
    expect(seen).toEqual(created);
    expect([...seen].sort()).toEqual(seen);
    // An exact multiple of the page size ends with nextCursor null, not with an empty page.
    const exact = (await get(many, '/accounts?limit=11')).json();
    expect(exact.items).toHaveLength(11);
    expect(exact.nextCursor).toBeNull();
    // Filters and cursors combine.
    const first = (await get(many, '/accounts?limit=2&q=P-1')).json();
    expect(first.items.map((i: Item) => i.externalId)).toEqual(['P-1', 'P-10']);
    expect(first.nextCursor).toBeNull();
  });

  it('defaults to 50 per page', async () => {
    const big = await t.newProgram('Big program');
    for (let i = 0; i < 51; i++) await createAccount(big, { externalId: `B-${String(i).padStart(2, '0')}` });
    const r = (await get(big, '/accounts')).json();
    expect(r.items).toHaveLength(50);
    expect(r.nextCursor).not.toBeNull();
    expect((await get(big, `/accounts?cursor=${r.nextCursor}`)).json().items.map((i: Item) => i.externalId)).toEqual(['B-50']);
  });
});

describe('members', () => {
  let acme: Json & Item;
  let beta: Json & Item;
  beforeAll(async () => {
    acme = await createAccount(p, { externalId: 'M-ACME', name: 'Acme Members' });
    beta = await createAccount(p, { externalId: 'M-BETA', name: 'Beta Members' });
  });

  it('creates a member with defaults, readable by id and ext:, on its account', async () => {
    const r = await post(p, '/accounts/ext:M-ACME/members', { externalId: 'E-77', name: 'Ana Silva', role: 'purchasing' });
    expect(r.statusCode, r.body).toBe(201);
    const m = r.json();
    expect(m).toEqual({
      id: expect.stringMatching(/^mbr_/),
      accountId: acme.id,
      externalId: 'E-77',
      name: 'Ana Silva',
      role: 'purchasing',
      email: null,
      phone: null,
      locale: null,
      channels: [],
      consent: {},
      status: 'active',
      partnerAdmin: false,
      attributes: {},
      createdAt: expect.stringMatching(/Z$/),
      updatedAt: expect.stringMatching(/Z$/),
    });
    expect((await get(p, `/members/${m.id}`)).json()).toEqual(m);
    expect((await get(p, '/members/ext:E-77')).json()).toEqual(m);
    const [rec] = await auditOf(p, m.id);
    expect(rec).toMatchObject({ action: 'member.created', before: null, after: m });
  });

  it('takes every field, with the account by server id', async () => {
    const m = await createMember(p, acme.id, {
      externalId: 'E-78',
      name: 'Bruno Costa',
      role: 'owner',
      email: 'bruno@acme.example',
      phone: '+33 1 23 45 67 89',
      locale: 'pt-BR',
      channels: ['sms', 'messenger'],
      consent: { marketing: true, sms: false },
      partnerAdmin: true,
      attributes: { site: 'Lyon' },
    });
    expect(m).toMatchObject({ accountId: acme.id, email: 'bruno@acme.example', phone: '+33123456789', locale: 'pt-BR', channels: ['sms', 'messenger'], consent: { marketing: true, sms: false }, partnerAdmin: true, attributes: { site: 'Lyon' } });
  });

  it('refuses an unknown role with 422 on role, and changes nothing', async () => {
    const problem = await refused(p, 'POST', '/accounts/ext:M-ACME/members', { externalId: 'E-X', name: 'X', role: 'astronaut' }, 422, 'ROLE_UNKNOWN');
    expect(problem.errors).toEqual([{ path: 'role', message: expect.any(String) }]);
  });

  it('refuses a role that only another program has', async () => {
    expect((await post(other, '/roles', { code: 'their-role', name: 'Theirs' })).statusCode).toBe(201);
    await refused(p, 'POST', '/accounts/ext:M-ACME/members', { externalId: 'E-X', name: 'X', role: 'their-role' }, 422, 'ROLE_UNKNOWN');
  });

  it('refuses a duplicate member external id with 409, even in another account', async () => {
    const problem = await refused(p, 'POST', `/accounts/${beta.id}/members`, { externalId: 'E-77', name: 'Twin', role: 'engineer' }, 409, 'MEMBER_EXTERNAL_ID_TAKEN');
    expect(problem.errors).toEqual([{ path: 'externalId', message: 'already taken' }]);
  });

  it('refuses a member for an unknown account with 404 and for a closed account with 409', async () => {
    await refused(p, 'POST', '/accounts/ext:NOPE/members', { externalId: 'E-X', name: 'X', role: 'engineer' }, 404, 'ACCOUNT_NOT_FOUND');
    const closed = await createAccount(p, { externalId: 'M-CLOSED', status: 'closed' });
    await refused(p, 'POST', `/accounts/${closed.id}/members`, { externalId: 'E-X', name: 'X', role: 'engineer' }, 409, 'ACCOUNT_CLOSED');
  });

  it('stores phone numbers in E.164, national ones read in the program phone country, and refuses the rest with 422 PHONE_INVALID', async () => {
    const create = (externalId: string, phone: string) => post(p, '/accounts/ext:M-ACME/members', { externalId, name: 'Phone', role: 'engineer', phone });
    // The program has no phone country yet: a number without + or 00 cannot be read.
    const national = await create('E-PH-1', '06 39 98 12 34');
    expect(national.statusCode).toBe(422);
    expect(national.json()).toMatchObject({ code: 'PHONE_INVALID', errors: [{ path: 'phone', message: expect.stringContaining('country code') }] });
    expect((await patch(p, '/program', { phoneCountry: 'FR' })).statusCode).toBe(200);
    expect((await create('E-PH-2', '06 39 98 12 34')).json().phone).toBe('+33639981234');
    expect((await create('E-PH-3', '0049 151 1234 5678')).json().phone).toBe('+4915112345678');
    const short = await create('E-PH-4', '+33 6 39');
    expect(short.statusCode).toBe(422);
    expect(short.json().code).toBe('PHONE_INVALID');
    // A patch writes E.164 too, and the same number written another way changes nothing (no audit record).
    const records = (await auditOf(p, (await get(p, '/members/ext:E-PH-2')).json().id)).length;
    expect((await patch(p, '/members/ext:E-PH-2', { phone: '+33 (6) 39-98-12-34' })).json().phone).toBe('+33639981234');
    expect(await auditOf(p, (await get(p, '/members/ext:E-PH-2')).json().id)).toHaveLength(records);
    expect((await patch(p, '/members/ext:E-PH-2', { phone: '0033 1 23 45 67 89' })).json().phone).toBe('+33123456789');
    expect((await patch(p, '/members/ext:E-PH-2', { phone: '12' })).statusCode).toBe(422);
    expect((await patch(p, '/program', { phoneCountry: null })).json().phoneCountry).toBeNull();
    expect((await patch(p, '/program', { phoneCountry: 'XX' })).statusCode).toBe(422);
  });

  const ok = { externalId: 'E-NEW', name: 'New', role: 'engineer' };
  it.each([
    ['an unknown field', { ...ok, age: 40 }, 'age'],
    ['a missing role', { externalId: 'E-NEW', name: 'New' }, 'role'],
    ['a bad e-mail', { ...ok, email: 'not-an-email' }, 'email'],
    ['a bad phone', { ...ok, phone: 'call me' }, 'phone'],
    ['a bad locale', { ...ok, locale: 'english please' }, 'locale'],
    ['an unknown channel', { ...ok, channels: ['pigeon'] }, 'channels.0'],
    ['a repeated channel', { ...ok, channels: ['sms', 'sms'] }, 'channels'],
    ['consent that is not boolean', { ...ok, consent: { sms: 'yes' } }, 'consent.sms'],
    ['a status on create', { ...ok, status: 'left' }, 'status'],
    ['an accountId in the body', { ...ok, accountId: 'acc_x' }, 'accountId'],
  ])('POST members refuses %s with 422', async (_label, body, path) => {
    const problem = await refused(p, 'POST', '/accounts/ext:M-ACME/members', body, 422, 'VALIDATION_FAILED');
    expect(problem.errors).toEqual([expect.objectContaining({ path })]);
  });

  it('updates role, contact, consent and status; audits before and after', async () => {
    const m = await createMember(p, 'ext:M-BETA', { externalId: 'E-UPD', email: 'old@beta.example', channels: ['email'] });
    const r = await patch(p, '/members/ext:E-UPD', { role: 'engineer', email: null, phone: '+44 20 7946 0000', locale: 'en-GB', channels: ['sms', 'push'], consent: { marketing: false }, status: 'inactive', partnerAdmin: true, attributes: { shoe: 43 }, name: 'Renamed' });
    expect(r.statusCode, r.body).toBe(200);
    const after = r.json();
    expect(after).toMatchObject({ id: m.id, accountId: beta.id, role: 'engineer', email: null, phone: '+442079460000', locale: 'en-GB', channels: ['sms', 'push'], consent: { marketing: false }, status: 'inactive', partnerAdmin: true, attributes: { shoe: 43 }, name: 'Renamed' });
    expect((await get(p, `/members/${m.id}`)).json()).toEqual(after);
    const [rec] = await auditOf(p, m.id);
    expect(rec).toMatchObject({ action: 'member.updated', before: { role: 'purchasing', email: 'old@beta.example', status: 'active' }, after });
    expect((await patch(p, `/members/${m.id}`, { status: 'left' })).json().status).toBe('left');
  });

  it('refuses a bad member patch and changes nothing', async () => {
    const e1 = await refused(p, 'PATCH', '/members/ext:E-77', { role: 'astronaut', name: 'Not applied' }, 422, 'ROLE_UNKNOWN');
    expect(e1.errors).toEqual([{ path: 'role', message: expect.any(String) }]);
    const e2 = await refused(p, 'PATCH', '/members/ext:E-77', { accountId: beta.id }, 422, 'VALIDATION_FAILED');
    expect(e2.errors).toEqual([{ path: 'accountId', message: 'unknown field' }]);
    await refused(p, 'PATCH', '/members/ext:E-77', { status: 'retired' }, 422, 'VALIDATION_FAILED');
    await refused(p, 'PATCH', '/members/ext:E-77', { externalId: 'E-NEW' }, 422, 'VALIDATION_FAILED');
    await refused(p, 'PATCH', '/members/ext:NOPE', { name: 'x' }, 404, 'MEMBER_NOT_FOUND');
    await refused(p, 'PATCH', '/members/mbr_nope', { name: 'x' }, 404, 'MEMBER_NOT_FOUND');
  });

  it('answers 404 for an unknown member', async () => {
    for (const ref of ['mbr_nope', 'ext:NOPE']) {
      const r = await get(p, `/members/${ref}`);
      expect(r.statusCode).toBe(404);
      expect(r.json().code).toBe('MEMBER_NOT_FOUND');
    }
  });
});

describe('members: list', () => {
  let q: TestProgram;
  let north: Item;
  beforeAll(async () => {
    q = await t.newProgram('Member list program');
    for (const code of ['purchasing', 'engineer']) await post(q, '/roles', { code, name: code });
    north = await createAccount(q, { externalId: 'N' });
    await createAccount(q, { externalId: 'S' });
    await createMember(q, 'ext:N', { externalId: 'N-1', name: 'Olga Ivanova', role: 'purchasing', email: 'olga@north.example' });
    await createMember(q, 'ext:N', { externalId: 'N-2', name: 'Ivan Petrov', role: 'engineer' });
    await createMember(q, 'ext:S', { externalId: 'S-1', name: 'Sara Lee', role: 'engineer', email: 'sara@south.example' });
    await createMember(q, 'ext:S', { externalId: 'S-2', name: 'Raj Patel', role: 'purchasing' });
    expect((await patch(q, '/members/ext:S-2', { status: 'left' })).statusCode).toBe(200);
  });

  it.each([
    ['/members', ['N-1', 'N-2', 'S-1', 'S-2']],
    ['/members?accountId=ext:S', ['S-1', 'S-2']],
    ['/members?accountId=ext:NOPE', []],
    ['/members?role=engineer', ['N-2', 'S-1']],
    ['/members?status=left', ['S-2']],
    ['/members?status=active&role=purchasing', ['N-1']],
    ['/members?q=IVAN', ['N-1', 'N-2']],
    ['/members?q=south.example', ['S-1']],
    ['/members?q=s-', ['S-1', 'S-2']],
    ['/accounts/ext:N/members', ['N-1', 'N-2']],
    ['/accounts/ext:S/members?role=engineer', ['S-1']],
    ['/accounts/ext:S/members?status=active', ['S-1']],
    ['/accounts/ext:N/members?q=olga', ['N-1']],
  ])('GET %s', async (path, expected) => {
    expect(await extIds(q, path)).toEqual(expected);
  });

  it('filters by account server id too', async () => {
    expect(await extIds(q, `/members?accountId=${north.id}`)).toEqual(['N-1', 'N-2']);
    expect(await extIds(q, `/accounts/${north.id}/members`)).toEqual(['N-1', 'N-2']);
  });

  it('answers 404 for the members of an unknown account, 422 for unknown filters', async () => {
    const r = await get(q, '/accounts/ext:NOPE/members');
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('ACCOUNT_NOT_FOUND');
    const f = await get(q, '/accounts/ext:N/members?accountId=ext:S');
    expect(f.statusCode).toBe(422);
    expect(f.json().errors).toEqual([{ path: 'query.accountId', message: 'unknown field' }]);
    expect((await get(q, '/members?status=gone')).statusCode).toBe(422);
  });

  it('pages through members without gaps or duplicates, on both list routes', async () => {
    for (const path of ['/members', '/accounts/ext:N/members']) {
      const all = await extIds(q, path);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const body: { items: Item[]; nextCursor: string | null } = (await get(q, `${path}${sep}limit=1${cursor ? `&cursor=${cursor}` : ''}`)).json();
        expect(body.items.length).toBeLessThanOrEqual(1);
        seen.push(...body.items.map((i) => i.externalId));
        cursor = body.nextCursor;
      } while (cursor);
      expect(seen).toEqual(all);
    }
  });
});

describe('tenant isolation', () => {
  let mine: Json & Item;
  let myMember: Json & Item;
  beforeAll(async () => {
    mine = await createAccount(p, { externalId: 'T-MINE' });
    myMember = await createMember(p, mine.id, { externalId: 'T-EMP' });
  });

  it('hides another program’s account and member: read, update, add member → 404', async () => {
    for (const ref of [mine.id, 'ext:T-MINE']) {
      expect((await get(other, `/accounts/${ref}`)).statusCode).toBe(404);
      expect((await get(other, `/accounts/${ref}/members`)).statusCode).toBe(404);
      await refused(other, 'PATCH', `/accounts/${ref}`, { name: 'Hijacked' }, 404, 'ACCOUNT_NOT_FOUND');
      await refused(other, 'POST', `/accounts/${ref}/members`, { externalId: 'T-SPY', name: 'Spy', role: 'purchasing' }, 404, 'ACCOUNT_NOT_FOUND');
    }
    for (const ref of [myMember.id, 'ext:T-EMP']) {
      expect((await get(other, `/members/${ref}`)).statusCode).toBe(404);
      await refused(other, 'PATCH', `/members/${ref}`, { status: 'left' }, 404, 'MEMBER_NOT_FOUND');
    }
  });

  it('lists only the program’s own objects, whatever the filter', async () => {
    const theirs = await extIds(other, '/accounts?limit=500');
    expect(theirs).not.toContain('T-MINE');
    expect(await extIds(other, `/accounts?parentId=${mine.id}`)).toEqual([]);
    expect(await extIds(other, '/accounts?q=T-MINE')).toEqual([]);
    expect(await extIds(other, `/members?accountId=${mine.id}`)).toEqual([]);
    expect(await extIds(other, '/members?q=T-EMP')).toEqual([]);
    expect((await get(other, `/audit?objectId=${mine.id}`)).json().items).toEqual([]);
  });

  it('refuses another program’s account as a new parent', async () => {
    const theirs = await createAccount(other, { externalId: 'T-THEIRS' });
    await refused(p, 'PATCH', `/accounts/${mine.id}`, { parentId: theirs.id }, 422, 'PARENT_NOT_FOUND');
    await refused(other, 'PATCH', `/accounts/${theirs.id}`, { parentId: mine.id }, 422, 'PARENT_NOT_FOUND');
  });

  it('resolves references for other modules only within the program', async () => {
    await inTransaction(t.database, async (tx) => {
      expect((await resolveAccountIn(tx, p.programId, 'ext:T-MINE')).id).toBe(mine.id);
      expect((await resolveMemberIn(tx, p.programId, myMember.id)).accountId).toBe(mine.id);
      expect(await findAccountIn(tx, other.programId, mine.id)).toBeUndefined();
      expect(await findMemberIn(tx, other.programId, 'ext:T-EMP')).toBeUndefined();
      await expect(resolveAccountIn(tx, other.programId, mine.id)).rejects.toMatchObject({ code: 'ACCOUNT_NOT_FOUND', status: 404 });
      await expect(resolveMemberIn(tx, other.programId, myMember.id)).rejects.toBeInstanceOf(DomainError);
    });
  });
});

describe('OpenAPI', () => {
  it('documents the account and member routes with tags and summaries', async () => {
    const doc = (await t.call(p, 'GET', '/api/v1/openapi.json')).json();
    for (const [path, method] of [
      ['/api/v1/accounts', 'post'],
      ['/api/v1/accounts', 'get'],
      ['/api/v1/accounts/{accountId}', 'get'],
      ['/api/v1/accounts/{accountId}', 'patch'],
      ['/api/v1/accounts/{accountId}/members', 'post'],
      ['/api/v1/accounts/{accountId}/members', 'get'],
      ['/api/v1/members', 'get'],
      ['/api/v1/members/{memberId}', 'get'],
      ['/api/v1/members/{memberId}', 'patch'],
    ]) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op.summary).toEqual(expect.any(String));
      expect(op.tags.length).toBeGreaterThan(0);
    }
  });
});
