import type { FastifyInstance } from 'fastify';
import { importLimitsOf, type Config } from './config.js';
import { migrateDatabase, openDatabase, type Database } from './db/database.js';
import { startControlServer } from './db/embedded-backup.js';
import { buildApp } from './http/app.js';
import { startJobs } from './jobs/scheduler.js';
import { loadSecretKey } from './lib/secret-box.js';
import { createServices, type Services } from './services.js';

export type Server = { app: FastifyInstance; database: Database; services: Services; url: string; stop(): Promise<void> };

/** config → database → migrations → first program / demo → app → jobs (unless FEALTY_JOBS=off) → listen. */
/** `webDir`: the built web app to serve (web/dist), when there is one. */
export async function startServer(config: Config, opts: { logger?: boolean; onFirstStart?: (s: Services) => Promise<void>; webDir?: string } = {}): Promise<Server> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await migrateDatabase(database);
  const secretKey = loadSecretKey({ envKey: config.secretKey, dataDir: config.dataDir, embedded: config.dbKind === 'pglite' });
  const services = createServices(database, {
    testEndpoints: config.testEndpoints === 'on',
    importLimits: importLimitsOf(config),
    uploadLimitBytes: config.uploadMaxMb * 1024 * 1024,
    production: config.production,
    webhooksAllowPrivate: config.webhooksAllowPrivate === 'on',
    secretKey,
    publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
  });
  if (opts.onFirstStart && !(await services.programs.hasAnyProgram())) await opts.onFirstStart(services);
  const app = await buildApp({ config, services, logger: opts.logger, webDir: opts.webDir });
  const jobs = config.jobs === 'on' ? await startJobs(services, { databaseUrl: config.databaseUrl, log: app.log }) : null;
  // Imports left running by a crashed process (this one before a restart, or another node) are taken over.
  const importWatch = services.imports.watch();
  let url: string;
  // Embedded database: `fealty backup` asks this process for a copy (it holds the data directory).
  let control: Awaited<ReturnType<typeof startControlServer>> | undefined;
  try {
    url = await app.listen({ port: config.port, host: config.host });
    if (database.kind === 'pglite') control = await startControlServer(config.dataDir, database.handle, app.log);
  } catch (err) {
    await jobs?.stop();
    await importWatch.stop();
    await app.close();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  return {
    app,
    database,
    services,
    url,
    // Stop the jobs (a running one finishes), stop accepting, let in-flight requests finish, then close the database cleanly.
    stop: () => (stopping ??= (async () => {
      // Bulk grants (#14): running grants stop after their current chunk, before the jobs wait for their handlers.
      await services.grants.stop();
      await jobs?.stop();
      await importWatch.stop();
      await control?.stop();
      await app.close();
      await services.messaging.close();
      await database.close();
    })()),
  };
}
