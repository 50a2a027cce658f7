import { loadConfig, type Config } from './config.js';
import { firstStart } from './first-start.js';
import { startServer, type Server } from './server.js';
import { ensureWebBuilt } from './web/ensure-built.js';

/**
 * What `npm start` and `fealty start` run: the server with the first-start program, a
 * ready line, and a clean stop on SIGTERM/SIGINT. The process lives until a signal.
 */
export async function runServer(config: Config = loadConfig()): Promise<Server> {
  // Before listening: a fresh clone builds the console and the portal once (a few seconds).
  const webDir = config.web === 'on' ? await ensureWebBuilt((msg) => process.stdout.write(`  ${msg}\n`)) : null;
  const server = await startServer(config, { onFirstStart: (s) => firstStart(s, config), webDir: webDir ?? undefined });
  const shown = server.url.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  server.app.log.info(`Fealty is ready on ${shown} (database: ${config.dbKind}${config.dbKind === 'pglite' ? ` in ${config.dataDir}` : ''})`);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      server.app.log.info(`${signal}: shutting down`);
      server.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          server.app.log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
  return server;
}
