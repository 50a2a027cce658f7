import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import type { ConsoleRole } from '../../src/contracts/permissions.js';
import type { Database } from '../../src/db/database.js';
import { buildApp, type AppOptions } from '../../src/http/app.js';
import type { ImportLimits } from '../../src/modules/imports/index.js';
import { createServices, type Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';

export type TestProgram = { programId: string; apiKey: string };

/** A signed-in browser: the session cookie and the CSRF token to send on writes. `id` is the user's or member's id. */
export type TestSession = { programId: string; id: string; cookie: string; csrfToken: string };

/** One method of one registered route, as Fastify saw it: `url` is the full path with its `:params`. */
export type RegisteredRoute = { method: string; url: string; hidden: boolean };

/** The route table's API routes, and how the route-table tests call each one. */
export const API = '/api/v1';
export const apiRoutesOf = (t: { routes: RegisteredRoute[] }) => t.routes.filter((r) => r.url.startsWith(`${API}/`));
export const routeKey = (r: RegisteredRoute) => `${r.method} ${r.url.slice(API.length)}`;
/** Path parameters get a value that names nothing: the call gets past routing and answers 404, 422 or 403. */
export const urlNamingNothing = (r: RegisteredRoute) => r.url.replace(/:([A-Za-z0-9_]+)/g, 'nothing-here');
export const emptyBodyFor = (r: RegisteredRoute) => (['POST', 'PUT', 'PATCH'].includes(r.method) ? {} : undefined);

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  services: Services;
  /** Every route of the app (HEAD twins of GET routes left out), in registration order. */
  routes: RegisteredRoute[];
  /** Creates a program and returns its id and API key. */
  newProgram(name?: string): Promise<TestProgram>;
  /** An HTTP call as the given program's key; `body` is sent as JSON. */
  call(p: TestProgram | null, method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** Creates a console user of the program with this role (password `correct horse battery`) and signs them in. */
  loginAs(p: TestProgram, role: ConsoleRole, opts?: { email?: string; seesAllAccounts?: boolean }): Promise<TestSession>;
  /** Signs in the active member at this e-mail address with a one-time code, as the portal does; `program`: its public code. */
  loginMember(email: string, program?: string): Promise<TestSession>;
  /** An HTTP call with a session cookie; the CSRF header is added unless `csrf: false`. */
  callAs(s: TestSession | null, method: string, url: string, body?: unknown, opts?: { headers?: Record<string, string>; csrf?: boolean }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
};

export const TEST_PASSWORD = 'correct horse battery';
let users = 0;

/** The session cookie a login answer set, as a `cookie` request header. */
export function sessionCookieOf(res: LightMyRequestResponse): string {
  const set = [res.headers['set-cookie'] ?? []].flat().find((c) => c.startsWith('fealty_session='));
  if (!set) throw new Error(`no session cookie in the answer (${res.statusCode} ${res.body})`);
  return set.split(';')[0];
}

/**
 * `now`: the clock the events service reads (defaults to the real one), so pending and expiry dates are fixed.
 * `testEndpoints`: registers the test-only routes (GET /portal/auth/test-code), as FEALTY_TEST_ENDPOINTS=on does.
 * `importLimits`: the file-reading caps of the imports (lower ones make a file over a cap small).
 */
export async function createTestApp(
  opts: {
    now?: () => Date;
    testEndpoints?: boolean;
    importLimits?: Partial<ImportLimits>;
    config?: Partial<AppOptions['config']>;
    webhooksAllowPrivate?: boolean;
    services?: Omit<NonNullable<Parameters<typeof createServices>[1]>, 'now' | 'testEndpoints'>;
  } = {},
): Promise<TestApp> {
  const database = await createTestDatabase();
  // The portal keeps its last codes in memory so that loginMember can read them; the route stays off unless asked for.
  const services = createServices(database, { importLimits: opts.importLimits, webhooksAllowPrivate: opts.webhooksAllowPrivate ?? true, ...opts.services, now: opts.now, testEndpoints: true });
  const routes: RegisteredRoute[] = [];
  const onRoute = (r: RouteOptions) => {
    const hidden = typeof r.schema === 'object' && r.schema !== null && 'hide' in r.schema && r.schema.hide === true;
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url, hidden });
  };
  const app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 1024 * 1024, dbKind: database.kind, testEndpoints: opts.testEndpoints ? 'on' : 'off', ...opts.config }, services, logger: false, onRoute });
  await app.ready();
  const json = (body: unknown) => (body !== undefined ? { 'content-type': 'application/json' } : {});
  const callAs: TestApp['callAs'] = (s, method, url, body, o = {}) =>
    app.inject({
      method: method as 'GET',
      url,
      headers: { ...(s ? { cookie: s.cookie, ...(o.csrf === false ? {} : { 'x-csrf-token': s.csrfToken }) } : {}), ...json(body), ...(o.headers ?? {}) },
      ...(body !== undefined ? { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
    });
  return {
    app,
    database,
    services,
    routes,
    async newProgram(name = 'Test program') {
      const { program, apiKey } = await services.programs.createProgram({ name });
      return { programId: program.id, apiKey };
    },
    call(p, method, url, body, headers = {}) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: { ...(p ? { authorization: `Bearer ${p.apiKey}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        ...(body !== undefined ? { payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body) } : {}),
      });
    },
    async loginAs(p, role, o = {}) {
      const email = o.email ?? `${role}-${users++}@fealty.test`;
      const { user } = await services.users.createUser({ programId: p.programId, actor: { type: 'system', id: 'test' } }, { email, name: `Test ${role}`, role, password: TEST_PASSWORD, seesAllAccounts: o.seesAllAccounts });
      const res = await callAs(null, 'POST', '/api/v1/auth/login', { email, password: TEST_PASSWORD });
      if (res.statusCode !== 200) throw new Error(`login of ${email} failed: ${res.statusCode} ${res.body}`);
      return { programId: p.programId, id: user.id, cookie: sessionCookieOf(res), csrfToken: res.json().csrfToken };
    },
    async loginMember(email, program) {
      const asked = await callAs(null, 'POST', '/api/v1/portal/auth/request', { email, program });
      if (asked.statusCode !== 202) throw new Error(`code request for ${email} failed: ${asked.statusCode} ${asked.body}`);
      const code = await services.portal.testCode({ contact: { email }, program });
      const res = await callAs(null, 'POST', '/api/v1/portal/auth/verify', { email, code, program });
      if (res.statusCode !== 200) throw new Error(`portal sign-in of ${email} failed: ${res.statusCode} ${res.body}`);
      const cookie = sessionCookieOf(res);
      const session = await services.sessions.resolve(cookie.slice('fealty_session='.length));
      return { programId: session!.programId, id: res.json().member.id, cookie, csrfToken: res.json().csrfToken };
    },
    callAs,
    async close() {
      await app.close();
      await database.close();
    },
  };
}
