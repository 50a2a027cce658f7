import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';

/** The embedded database's directory is held by another live process (a running server, a CLI command). */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number | undefined,
    readonly lockFile: string,
  ) {
    super(
      `The embedded database in ${dataDir} is in use by another process${pid ? ` (pid ${pid})` : ''}. ` +
        'PGlite allows one process at a time: stop the Fealty server (or the other fealty command) first, or use DATABASE_URL. ' +
        `If no Fealty process is running, delete ${lockFile}.`,
    );
    this.name = 'DataDirInUseError';
  }
}

const LOCK_FILE = 'fealty.lock';
// Directories this process holds: a stale lock naming our own pid (a container restarted after
// a kill, where the server is pid 1 again) is taken over, but a second open in this process is refused.
const held = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function removeIfPresent(file: string): void {
  try {
    unlinkSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0], 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the lock of a PGlite data directory and returns its release. PGlite takes none itself
 * (its postmaster.pid names pid -42), and a second process opening the same directory silently
 * corrupts it, so the server and the CLI refuse to share one.
 *
 * A lock whose process is gone (kill -9, crash) is taken over. Two processes taking over the
 * same stale lock at the same instant could both win; that needs a crash followed by two
 * simultaneous starts, which we accept rather than depend on platform file locking.
 */
export function lockDataDir(dir: string): () => void {
  const dataDir = resolve(dir);
  const file = join(dataDir, LOCK_FILE);
  if (held.has(dataDir)) throw new DataDirInUseError(dataDir, process.pid, file);
  // Written aside, then linked into place: link fails if the lock exists, and a reader never
  // sees a half-written file.
  const tmp = `${file}.${process.pid}`;
  writeFileSync(tmp, `${process.pid}\n${hostname()}\n${new Date().toISOString()}\n`);
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(tmp, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const pid = readPid(file);
        const stale = attempt === 0 && (pid === undefined || pid === process.pid || !isAlive(pid));
        if (!stale) throw new DataDirInUseError(dataDir, pid, file);
        removeIfPresent(file);
      }
    }
  } finally {
    removeIfPresent(tmp);
  }
  held.add(dataDir);
  const release = () => {
    process.off('exit', release);
    if (!held.delete(dataDir)) return;
    if (readPid(file) === process.pid) removeIfPresent(file);
  };
  // A process that exits without closing the database still frees the directory.
  process.on('exit', release);
  return release;
}
