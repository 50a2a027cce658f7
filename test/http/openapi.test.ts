import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERSION } from '../../src/version.js';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';
import { API } from './http-fixtures.js';

/**
 * The served documentation against the app's own route table (collected as routes are
 * registered): a route added later must show up in the OpenAPI document, and may hide from
 * it only by being added to HIDDEN here on purpose.
 */

let t: TestApp;
let p: TestProgram;

type Operation = {
  summary?: string;
  tags?: string[];
  parameters?: { in: string; name: string; required?: boolean }[];
  security?: unknown[];
  requestBody?: unknown;
  responses?: Record<string, { content?: Record<string, unknown> }>;
};
type OpenApi = { openapi: string; info: { title: string; version: string }; paths: Record<string, Record<string, Operation>>; components?: { securitySchemes?: Record<string, unknown> } };

/** Routes under /api/v1 that are deliberately left out of the document. */
// The open pixel and the click redirect are links inside messages, not API operations.
const HIDDEN = ['GET /api/v1/health', 'GET /api/v1/openapi.json', 'GET /api/v1/t/o/:token', 'GET /api/v1/t/c/:token'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head', 'trace'];

/** `/accounts/:accountId` → `/accounts/{accountId}`, as OpenAPI writes path templates. */
const template = (url: string) => url.replace(/:([A-Za-z0-9_]+)(\([^)]*\))?/g, '{$1}');

let doc: OpenApi;

beforeAll(async () => {
  t = await createTestApp();
  p = await t.newProgram('Docs');
  const res = await t.call(null, 'GET', `${API}/openapi.json`);
  expect(res.statusCode, res.body).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  doc = res.json() as OpenApi;
});
afterAll(() => t.close());

describe('GET /api/v1/openapi.json', () => {
  const apiRoutes = () => t.routes.filter((r) => r.url.startsWith(`${API}/`));

  it('is an OpenAPI 3.1 document of this version, with bearer keys', () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info.version).toBe(VERSION);
    expect(doc.components?.securitySchemes).toMatchObject({ apiKey: { type: 'http', scheme: 'bearer' } });
  });

  it('lists every registered /api/v1 route with its method', () => {
    const documented = apiRoutes().filter((r) => !r.hidden);
    expect(documented.length).toBeGreaterThan(40);
    const missing = documented.filter((r) => !doc.paths[template(r.url)]?.[r.method.toLowerCase()]).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('lists nothing that is not a route', () => {
    const registered = new Set(t.routes.map((r) => `${r.method.toLowerCase()} ${template(r.url)}`));
    const extra = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).filter((m) => METHODS.includes(m) && !registered.has(`${m} ${path}`)).map((m) => `${m} ${path}`));
    expect(extra).toEqual([]);
  });

  it('hides only the routes meant to be hidden', () => {
    expect(apiRoutes().filter((r) => r.hidden).map((r) => `${r.method} ${r.url}`).sort()).toEqual([...HIDDEN].sort());
  });

  it('gives every operation a summary, a tag and its path parameters', () => {
    for (const r of apiRoutes().filter((x) => !x.hidden)) {
      const op = doc.paths[template(r.url)][r.method.toLowerCase()];
      const where = `${r.method} ${r.url}`;
      expect(op.summary, where).toEqual(expect.any(String));
      expect(op.tags?.length, where).toBeGreaterThan(0);
      const params = [...r.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1]).sort();
      const documented = (op.parameters ?? []).filter((x) => x.in === 'path').map((x) => x.name).sort();
      expect(documented, where).toEqual(params);
    }
  });
});

describe('error responses in the document', () => {
  const operations = () =>
    t.routes.filter((r) => r.url.startsWith(`${API}/`) && !r.hidden).map((r) => ({ where: `${r.method} ${r.url}`, url: r.url, op: doc.paths[template(r.url)][r.method.toLowerCase()] }));
  const PUBLIC = [
    'POST /api/v1/auth/login',
    'POST /api/v1/portal/auth/request',
    'POST /api/v1/portal/auth/verify',
    'GET /api/v1/portal/auth/test-code',
    // A program's sign-in screen name, by the code in its portal address.
    'GET /api/v1/portal/programs/:code',
    // Unsubscribe works without signing in: the signed link in the message is the credential.
    'GET /api/v1/messaging/unsubscribe',
    // Surveys (#16): the answer page and its form; the signed link is the credential.
    'GET /api/v1/s/:token',
    'POST /api/v1/s/:token',
    'GET /api/v1/s/:token/survey',
    // Course certificates (#19): the verification link is signed; anyone holding it may check it.
    'GET /api/v1/certificates/:token',
    // Apple's PassKit web service (#17): the pass's own ApplePass token, as Apple's protocol defines it (401 when wrong, no roles).
    'POST /api/v1/passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
    'DELETE /api/v1/passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier/:serialNumber',
    'GET /api/v1/passkit/v1/devices/:deviceLibraryIdentifier/registrations/:passTypeIdentifier',
    'GET /api/v1/passkit/v1/passes/:passTypeIdentifier/:serialNumber',
    'POST /api/v1/passkit/v1/log',
    'POST /api/v1/messaging/unsubscribe',
    // Join by QR (#17): the public join page, its script and its JSON twin (proof of work and a per-address rate limit).
    'GET /api/v1/j/pow.js',
    'GET /api/v1/j/:code',
    'POST /api/v1/j/:code',
    'GET /api/v1/j/:code/form',
    'POST /api/v1/j/:code/challenge',
    'POST /api/v1/j/:code/requests',
  ];

  it('declares 400, 422 and 429 on every operation, 404 where the path names an object', () => {
    const missing = operations().flatMap(({ where, url, op }) =>
      ['400', '422', '429', ...(url.includes(':') ? ['404'] : [])].filter((c) => !op.responses?.[c]).map((c) => `${where} ${c}`),
    );
    expect(missing).toEqual([]);
  });

  it('declares 401 and 403 on every operation that needs a key or a session', () => {
    const missing = operations()
      .filter(({ where }) => !PUBLIC.includes(where))
      .flatMap(({ where, op }) => ['401', '403'].filter((c) => !op.responses?.[c]).map((c) => `${where} ${c}`));
    expect(missing).toEqual([]);
  });

  it('declares every error body as application/problem+json, and only so', () => {
    const wrong = operations().flatMap(({ where, op }) =>
      Object.entries(op.responses ?? {})
        .filter(([status, r]) => Number(status) >= 400 && JSON.stringify(Object.keys(r.content ?? {})) !== '["application/problem+json"]')
        .map(([status]) => `${where} ${status}`),
    );
    expect(wrong).toEqual([]);
  });

  it('says Idempotency-Key is required where the server requires it', () => {
    for (const path of ['/adjustments', '/redemptions']) {
      const h = doc.paths[path === '/adjustments' ? `${API}/adjustments` : `${API}/redemptions`].post.parameters?.find((x) => x.in === 'header' && x.name === 'idempotency-key');
      expect(h?.required, path).toBe(true);
    }
  });
  it('declares the ISO 4217 list wherever the server takes only a real currency code (a request field of three capital letters)', async () => {
    const found: { at: string; enumOk: boolean }[] = [];
    const walk = (node: unknown, at: string): void => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n.pattern === '^[A-Z]{3}$') found.push({ at, enumOk: Array.isArray(n.enum) && n.enum.includes('EUR') && n.enum.includes('UAH') && !n.enum.includes('ZZZ') });
      for (const [k, v] of Object.entries(n)) walk(v, `${at}.${k}`);
    };
    for (const [path, ops] of Object.entries(doc.paths)) for (const [method, op] of Object.entries(ops)) walk(op.requestBody, `${method.toUpperCase()} ${path}`);
    expect(found.length).toBeGreaterThanOrEqual(6);
    expect(found.filter((f) => !f.enumOk).map((f) => f.at)).toEqual([]);
    // What the document says is what the server does: a code of the right shape that names no currency is refused.
    const refused = await t.call(p, 'POST', `${API}/currencies`, { code: 'zed-credit', name: 'Zed credit', kind: 'money', moneyCurrency: 'ZZZ' });
    expect(refused.statusCode, refused.body).toBe(422);
    expect(refused.json().errors[0].path).toBe('moneyCurrency');
  });

  it('declares the same patterns the server applies: a code the server takes (`Sales`) matches the documented one', async () => {
    const role = (doc.paths[`${API}/roles`].post.requestBody as { content: Record<string, { schema: { properties: Record<string, { pattern?: string }> } }> }).content['application/json'].schema.properties.code;
    expect(role.pattern).toBeTruthy();
    expect(new RegExp(role.pattern!).test('Sales')).toBe(true);
    expect((await t.call(p, 'POST', `${API}/roles`, { code: 'Sales', name: 'Sales' })).statusCode).toBe(201);
    expect(new RegExp(role.pattern!).test('-sales')).toBe(false);
    expect((await t.call(p, 'POST', `${API}/roles`, { code: '-sales', name: 'Sales' })).statusCode).toBe(422);
  });
});

describe('GET /api/docs', () => {
  it('serves the browsable HTML reference', async () => {
    let res = await t.call(null, 'GET', '/api/docs');
    // The UI plugin may answer its entry point through a redirect to its static index.
    for (let hops = 0; res.statusCode >= 300 && res.statusCode < 400 && hops < 3; hops++) {
      const location = String(res.headers.location);
      res = await t.call(null, 'GET', location.startsWith('/') ? location : `/api/docs/${location.replace(/^\.\//, '')}`);
    }
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/<html/i);
    expect(res.body).toMatch(/swagger/i);
  });
});

describe('operations', () => {
  it('GET /health answers ok, the database kind and the version, without a key', async () => {
    for (const url of ['/health', `${API}/health`]) {
      const res = await t.call(null, 'GET', url);
      expect(res.statusCode, url).toBe(200);
      expect(res.json(), url).toEqual({ status: 'ok', db: t.database.kind, version: VERSION });
    }
  });

  it('GET /metrics is Prometheus text with request durations by route', async () => {
    expect((await t.call(p, 'GET', `${API}/program`)).statusCode).toBe(200);
    const res = await t.call(null, 'GET', '/metrics');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body).toContain('# TYPE fealty_http_request_duration_seconds histogram');
    const line = res.body.split('\n').find((l) => l.startsWith('fealty_http_request_duration_seconds_count{') && l.includes(`route="${API}/program"`) && l.includes('status="200"'));
    expect(line, res.body.slice(0, 2000)).toMatch(/ [1-9]\d*$/);
  });
});
