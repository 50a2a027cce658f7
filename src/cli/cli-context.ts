import { Console } from 'node:console';
import { importLimitsOf, loadConfig, type Config } from '../config.js';
import { migrateDatabase, openDatabase, type Database } from '../db/database.js';
import type { Actor } from '../lib/context.js';
import { loadSecretKey } from '../lib/secret-box.js';
import { createServices, type Services } from '../services.js';

/** Who the audit log names for changes made from the command line. */
export const cliActor: Actor = { type: 'system', id: 'cli' };

/**
 * Opens the server's database (same config: DATABASE_URL or DATA_DIR), brings it up to date
 * so that a command works on a fresh data dir, runs `fn`, and closes it even on failure:
 * the embedded database is only safe for the next process once closed.
 */
export async function withDatabase<T>(fn: (database: Database, config: Config) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  // Anything a library prints goes to stderr: stdout carries only the command's result,
  // so `--json` output can be piped as is.
  const toStderr = new Console({ stdout: process.stderr, stderr: process.stderr });
  console.log = toStderr.log.bind(toStderr);
  console.info = toStderr.info.bind(toStderr);
  console.debug = toStderr.debug.bind(toStderr);

  const config = loadConfig();
  // A command runs one transaction at a time: two connections are plenty next to a running server.
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 2 });
  try {
    // `fealty doctor` looks at the database as it is, pending migrations included.
    if (opts.migrate !== false) await migrateDatabase(database);
    return await fn(database, config);
  } finally {
    await database.close();
  }
}

export function withServices<T>(fn: (services: Services) => Promise<T>): Promise<T> {
  return withDatabase(async (database, config) => {
    // The server's key, so that `fealty jobs run-due` can use the channels' secrets.
    const secretKey = loadSecretKey({ envKey: config.secretKey, dataDir: config.dataDir, embedded: config.dbKind === 'pglite' });
    const services = createServices(database, {
      importLimits: importLimitsOf(config),
      webhooksAllowPrivate: config.webhooksAllowPrivate === 'on',
      secretKey,
      publicUrl: config.publicUrl ?? `http://localhost:${config.port}`,
    });
    try {
      return await fn(services);
    } finally {
      await services.messaging.close();
    }
  });
}
