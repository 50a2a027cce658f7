import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const WEB_DIST = join(ROOT, 'web', 'dist');
const STAMP = join(WEB_DIST, '.build-stamp');

/** The newest modification time under a folder, skipping build output and dependencies. */
function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Why the web app needs building, or null when web/dist is up to date. */
export function staleReason(): string | null {
  if (!existsSync(STAMP)) return 'web/dist is missing';
  const built = statSync(STAMP).mtimeMs;
  const sources = Math.max(newestMtime(join(ROOT, 'web')), newestMtime(join(ROOT, 'src', 'contracts')), statSync(join(ROOT, 'package-lock.json')).mtimeMs);
  return sources > built ? 'web/dist is older than the sources' : null;
}

/**
 * Builds the console and the portal with Vite when web/dist is missing or stale, so `npm start`
 * on a fresh clone serves both. Returns the folder to serve, or null when there is no web app
 * to build here (an install without web/ sources).
 */
export async function ensureWebBuilt(log: (msg: string) => void): Promise<string | null> {
  if (!existsSync(join(ROOT, 'web', 'vite.config.ts'))) return existsSync(join(WEB_DIST, 'index.html')) ? WEB_DIST : null;
  const reason = staleReason();
  if (!reason) return WEB_DIST;
  log(`Building the web app (${reason})…`);
  const started = Date.now();
  const { build } = await import('vite');
  // The bundle is always the production one: a server started with NODE_ENV=test (the test
  // suite's servers) or development would otherwise ship React's development build, three times the size.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(ROOT, 'web', 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  writeFileSync(STAMP, new Date().toISOString());
  log(`Web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return WEB_DIST;
}
