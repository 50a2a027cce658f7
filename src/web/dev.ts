import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run dev`: the API with reload on change (tsx watch, without the built web app) and the
 * Vite dev server with hot reload, which proxies /api, /health and /metrics to the API.
 * Open the Vite URL: the console at /, the portal at /portal/.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const apiPort = process.env.PORT ?? '3000';
const webPort = Number(process.env.WEB_PORT ?? 5173);

const api = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['watch', join(ROOT, 'src', 'main.ts')], {
  cwd: ROOT,
  env: { ...process.env, PORT: apiPort, FEALTY_WEB: 'off' },
  stdio: 'inherit',
});

const { createServer } = await import('vite');
const vite = await createServer({ configFile: join(ROOT, 'web', 'vite.config.ts'), server: { port: webPort, host: process.env.HOST ?? 'localhost' } });
await vite.listen();
process.stdout.write(`\n  Web app (hot reload): http://localhost:${webPort}/ (console), http://localhost:${webPort}/portal/ (portal); API on :${apiPort}\n\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  api.kill('SIGTERM');
  await vite.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
api.once('exit', (code) => {
  if (!stopping) process.stdout.write(`API process exited (${code}); stopping the dev server.\n`);
  void stop();
});
