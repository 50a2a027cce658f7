import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Database } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { createServices, type Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';

export type TestProgram = { programId: string; apiKey: string };

export type TestApp = {
  app: FastifyInstance;
  database: Database;
  services: Services;
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
  const app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 1024 * 1024, dbKind: database.kind }, services, logger: false });
  await app.ready();
  return {
    app,
    database,
    services,
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
