import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, TEST_PASSWORD, type TestApp, type TestProgram } from '../support/app.js';
import { API, expectProblem } from './http-fixtures.js';

/** Settings of the HTTP edge: trusted proxies, security headers, the metrics token, rate limits. */

let t: TestApp;
let p: TestProgram;
let other: TestProgram;
const METRICS_TOKEN = 'metrics-token-0123456789';

beforeAll(async () => {
  t = await createTestApp({ config: { trustProxy: true, metricsToken: METRICS_TOKEN, rateLimit: 3, rateLimitSignIn: 2 } });
  p = await t.newProgram('Edge settings');
  other = await t.newProgram('Other');
});
afterAll(() => t.close());

const login = (ip: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: `${API}/auth/login`, remoteAddress: ip, headers: { 'content-type': 'application/json', ...headers }, payload: JSON.stringify({ email: 'nobody@fealty.test', password: TEST_PASSWORD }) });

describe('a trusted proxy (FEALTY_TRUST_PROXY=on)', () => {
  it('makes the session cookie Secure when the proxy says the browser came over https', async () => {
    const user = await t.services.users.createUser({ programId: p.programId, actor: { type: 'system', id: 'test' } }, { email: 'secure@fealty.test', name: 'S', role: 'owner', password: TEST_PASSWORD });
    expect(user.user.id).toBeTruthy();
    const r = await t.app.inject({ method: 'POST', url: `${API}/auth/login`, remoteAddress: '10.0.0.9', headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.50' }, payload: JSON.stringify({ email: 'secure@fealty.test', password: TEST_PASSWORD }) });
    expect(r.statusCode, r.body).toBe(200);
    expect(String([r.headers['set-cookie']].flat()[0])).toMatch(/; Secure$/);
  });
});

describe('security headers', () => {
  it.each([`${API}/health`, `${API}/accounts`, '/health'])('%s carries a CSP and the helmet headers', async (url) => {
    const r = await t.call(p, 'GET', url);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    // A reward's images are https URLs on the program's image host: the portal's catalog shows them (found by the e2e CSP check).
    expect(csp).toContain("img-src 'self' data: blob: https:");
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('GET /metrics with FEALTY_METRICS_TOKEN', () => {
  it.each([
    ['no header', {}, 401],
    ['a wrong token', { authorization: 'Bearer wrong-token-0123456789' }, 401],
    ['an API key instead', { authorization: `Bearer ${'x'.repeat(24)}` }, 401],
    ['the token', { authorization: `Bearer ${METRICS_TOKEN}` }, 200],
  ])('%s → %i', async (_name, headers, status) => {
    const r = await t.app.inject({ method: 'GET', url: '/metrics', headers });
    expect(r.statusCode).toBe(status);
    if (status === 401) expectProblem(r, 401, 'UNAUTHENTICATED');
    else expect(r.body).toContain('fealty_http_request_duration_seconds');
  });
});

describe('rate limits', () => {
  it('refuses the third sign-in attempt a minute from one address with 429, Retry-After and problem+json; another address goes on', async () => {
    expect((await login('198.51.100.1')).statusCode).toBe(401);
    expect((await login('198.51.100.1')).statusCode).toBe(401);
    const limited = await login('198.51.100.1');
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login('198.51.100.2')).statusCode).toBe(401);
  });

  it('counts the client address a trusted proxy names, not the proxy', async () => {
    for (let i = 0; i < 2; i++) expect((await login('10.0.0.1', { 'x-forwarded-for': '192.0.2.7' })).statusCode).toBe(401);
    expectProblem(await login('10.0.0.1', { 'x-forwarded-for': '192.0.2.7' }), 429, 'RATE_LIMITED');
    expect((await login('10.0.0.1', { 'x-forwarded-for': '192.0.2.8' })).statusCode).toBe(401);
  });

  it('limits the public links (no key, no session) per client address', async () => {
    const open = (ip: string) => t.app.inject({ method: 'GET', url: `${API}/certificates/not-a-certificate`, remoteAddress: ip });
    for (let i = 0; i < 3; i++) expect((await open('203.0.113.9')).statusCode).not.toBe(429);
    const limited = await open('203.0.113.9');
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect((await open('203.0.113.10')).statusCode).not.toBe(429);
  });

  it('limits each API key on its own, and never counts health checks', async () => {
    const fresh = await t.newProgram('Fresh key');
    for (let i = 0; i < 5; i++) expect((await t.call(null, 'GET', `${API}/health`)).statusCode).toBe(200);
    for (let i = 0; i < 3; i++) expect((await t.call(fresh, 'GET', `${API}/accounts`)).statusCode).toBe(200);
    const limited = await t.call(fresh, 'GET', `${API}/accounts`);
    expectProblem(limited, 429, 'RATE_LIMITED');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await t.call(other, 'GET', `${API}/accounts`)).statusCode).toBe(200);
  });
});
