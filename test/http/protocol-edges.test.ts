import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';
import { API, expectProblem } from './http-fixtures.js';

/** What needs more than one row of bad-input.test.ts: real sockets, headers, a state before and after. */

let t: TestApp;
let p: TestProgram;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram('Edges');
  await t.call(p, 'POST', `${API}/currencies`, { code: 'points', name: 'Points', kind: 'points' });
  await t.call(p, 'POST', `${API}/accounts`, { externalId: 'C-1', name: 'One', type: 'dealer' });
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

/** A raw request over a socket, where Node's HTTP parser (not inject) sees it first. */
function raw(path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A request whose path is sent as it is: `new URL` (inject, fetch, http.request with a URL) resolves `.` and `..` away. */
function asIs(path: string): Promise<{ status: number; type: string; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, headers: { authorization: `Bearer ${p.apiKey}` } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('protocol edges', () => {
  it.each([
    ['an account id of ".."', '/accounts/../members', 'params.accountId'],
    ['an account id of "..", percent-encoded', '/accounts/%2E%2E/members', 'params.accountId'],
    ['an account id of "."', '/accounts/./wallets', 'params.accountId'],
    ['a member id of ".."', '/members/../entries', 'params.memberId'],
  ])('%s, sent as it is (%s) → 422 at %s', async (_name, path, at) => {
    const res = await asIs(`${API}${path}`);
    expect(res.status, res.body).toBe(422);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ path: at }] });
  });

  it('a rule id of "..", sent as it is, names no rule', async () => {
    const res = await asIs(`${API}/rules/..`);
    expect(res.status, res.body).toBe(404);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'RULE_NOT_FOUND' });
  });

  it.each([
    ['a 70 KB URL', `${API}/accounts?q=${'x'.repeat(70 * 1024)}`, {}],
    ['a 60 KB header', `${API}/accounts`, { 'x-padding': 'x'.repeat(60 * 1024) }],
  ])('%s → 431 problem+json', async (_name, path, headers) => {
    const res = await raw(path, headers);
    expect(res.status, res.body).toBe(431);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(res.body)).toMatchObject({ status: 431, code: 'HEADERS_TOO_LARGE' });
  });

  it.each([
    ['DELETE', '/accounts/ext:C-1', 'GET, HEAD, PATCH'],
    ['PUT', '/adjustments', 'POST'],
    ['POST', '/health', 'GET, HEAD'],
  ])('%s %s → 405 with Allow: %s', async (method, path, allow) => {
    const res = await t.call(p, method, `${API}${path}`);
    expectProblem(res, 405, 'METHOD_NOT_ALLOWED');
    expect(res.headers.allow).toBe(allow);
  });

  it('a path no route has is still a 404', async () => {
    expectProblem(await t.call(p, 'DELETE', `${API}/accounts/ext:C-1/nope`), 404, 'ROUTE_NOT_FOUND');
  });

  it('a no-op PATCH /program writes no audit entry; a real change writes one', async () => {
    const count = async () => (await t.call(p, 'GET', `${API}/audit?action=program.updated`)).json().items.length as number;
    const current = (await t.call(p, 'GET', `${API}/program`)).json() as { name: string };
    expect(await count()).toBe(0);
    for (const body of [{}, { name: current.name }]) {
      const res = await t.call(p, 'PATCH', `${API}/program`, body);
      expect(res.statusCode, res.body).toBe(200);
    }
    expect(await count()).toBe(0);
    expect((await t.call(p, 'PATCH', `${API}/program`, { name: 'Edges renamed' })).statusCode).toBe(200);
    expect(await count()).toBe(1);
  });

  it('refuses a credit whose resulting balance would leave the safe range, and every read still answers', async () => {
    const adjust = (amount: number, key: string) =>
      t.call(p, 'POST', `${API}/adjustments`, { accountId: 'ext:C-1', currency: 'points', amount, reason: 'Edge' }, { 'idempotency-key': key });
    expect((await adjust(100, 'range-1')).statusCode).toBe(201);
    const refused = await adjust(Number.MAX_SAFE_INTEGER, 'range-2');
    expectProblem(refused, 409, 'BALANCE_OUT_OF_RANGE');
    // The largest balance itself is fine: 100 + (2^53−1−100).
    expect((await adjust(Number.MAX_SAFE_INTEGER - 100, 'range-3')).statusCode).toBe(201);
    expectProblem(await adjust(1, 'range-4'), 409, 'BALANCE_OUT_OF_RANGE');
    const wallets = await t.call(p, 'GET', `${API}/accounts/ext:C-1/wallets`);
    expect(wallets.statusCode, wallets.body).toBe(200);
    expect(wallets.body).toContain(String(Number.MAX_SAFE_INTEGER));
    const dashboard = await t.call(p, 'GET', `${API}/reports/dashboard`);
    expect(dashboard.statusCode, dashboard.body).toBe(200);
  });
});
