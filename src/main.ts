import { loadConfig } from './config.js';
import { startServer } from './server.js';
import { firstStart } from './first-start.js';

const config = loadConfig();
const server = await startServer(config, { onFirstStart: (s) => firstStart(s, config) });
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
