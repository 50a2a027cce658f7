import type { FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import type { Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';

export type TestProgram = { programId: string; apiKey: string };

/** One method of one registered route, as Fastify saw it: `url` is the full path with its `:params`. */
export type RegisteredRoute = { method: string; url: string; hidden: boolean };

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
  close(): Promise<void>;
};

/** `now`: the clock the events service reads (defaults to the real one), so pending and expiry dates are fixed. */
export async function createTestApp(opts: { now?: () => Date } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const services = createServices(database, { now: opts.now });
  const routes: RegisteredRoute[] = [];
  const onRoute = (r: RouteOptions) => {
    const hidden = typeof r.schema === 'object' && r.schema !== null && 'hide' in r.schema && r.schema.hide === true;
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, url: r.url, hidden });
  };
  const app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 1024 * 1024, dbKind: database.kind }, services, logger: false, onRoute });
  await app.ready();
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
        ...(body !== undefined ? { payload: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
      });
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
}
