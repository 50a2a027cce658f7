import type { Command } from 'commander';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { DataDirInUseError } from '../db/data-dir-lock.js';
import { dumpEmbedded, requestBackup, restoreEmbedded, RestoreTargetNotEmpty, writeWhole } from '../db/embedded-backup.js';
import { openPglite } from '../db/pool.js';
import { CliFailure } from './cli-errors.js';
import { parseOptions } from './cli-options.js';
import { printJson, printLines } from './output.js';

const backupOptions = z.object({ force: z.boolean().optional(), json: z.boolean().optional() }).strict();
const restoreOptions = z.object({ dataDir: z.string().min(1).optional(), force: z.boolean().optional(), json: z.boolean().optional() }).strict();

const PG_RESTORE_HINT = 'pg_restore --clean --if-exists --no-owner --dbname <database URL> <file> (see docs/deployment.md, "Backup and restore")';

/** The URL without its password, and the password apart (for PGPASSWORD): nothing secret on pg_dump's command line. */
function splitPassword(url: string): { url: string; password?: string } {
  try {
    const u = new URL(url);
    const password = u.password ? decodeURIComponent(u.password) : undefined;
    u.password = '';
    return { url: u.toString(), password };
  } catch {
    return { url };
  }
}

/** PostgreSQL: pg_dump's custom format, written aside and renamed when complete. */
async function pgDump(databaseUrl: string, file: string): Promise<void> {
  const { url, password } = splitPassword(databaseUrl);
  const partial = `${file}.partial`;
  const env = { ...process.env, ...(password ? { PGPASSWORD: password } : {}) };
  const result = await new Promise<{ code: number | null; stderr: string; missing?: boolean }>((ok) => {
    const child = spawn('pg_dump', ['--format=custom', '--no-owner', '--file', partial, '--dbname', url], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) => ok({ code: null, stderr: err.message, missing: err.code === 'ENOENT' }));
    child.on('close', (code) => ok({ code, stderr }));
  });
  if (result.missing) {
    throw new CliFailure(
      'With DATABASE_URL the backup is PostgreSQL\'s own: pg_dump was not found on PATH. Install the PostgreSQL client tools (the same major version as the server) ' +
        'and run: pg_dump --format=custom --file <file> --dbname <database URL>; for point-in-time recovery use a base backup and WAL archiving (see docs/deployment.md).',
    );
  }
  if (result.code !== 0) {
    rmSync(partial, { force: true });
    throw new CliFailure(`pg_dump failed (exit code ${result.code}): ${result.stderr.trim()}`);
  }
  renameSync(partial, file);
}

export function addBackupCommands(cli: Command): void {
  cli
    .command('backup')
    .description('write a consistent copy of the database to <file>, also while the server runs (PostgreSQL: through pg_dump)')
    .argument('<file>', 'where to write the backup (embedded: a .tar.gz of DATA_DIR; PostgreSQL: pg_dump custom format)')
    .option('--force', 'overwrite <file> if it exists')
    .option('--json', 'print {"file", "bytes", "database", "via"} as JSON')
    .addHelpText(
      'after',
      `
Embedded database: when the server runs on DATA_DIR, the server makes the copy between two
transactions (requests wait for it, a second or so for a small database); otherwise the command
opens DATA_DIR itself. Restore it with: fealty restore <file> --data-dir <new dir>.
PostgreSQL (DATABASE_URL): runs pg_dump --format=custom; restore with ${PG_RESTORE_HINT}.`,
    )
    .action(async (file: string, raw: unknown, command: Command) => {
      const opts = parseOptions(command, backupOptions, raw);
      const target = resolve(file);
      if (existsSync(target) && !opts.force) throw new CliFailure(`${target} exists: choose another file or add --force to overwrite it.`);
      const config = loadConfig();
      let via: 'server' | 'direct' | 'pg_dump';
      if (config.databaseUrl) {
        await pgDump(config.databaseUrl, target);
        via = 'pg_dump';
      } else {
        let data = await requestBackup(config.dataDir);
        via = 'server';
        if (!data) {
          via = 'direct';
          let handle;
          try {
            handle = await openPglite({ dataDir: config.dataDir });
          } catch (err) {
            if (err instanceof DataDirInUseError) {
              throw new CliFailure(`${err.message} The process holding it does not answer backup requests (a Fealty server older than this command?): stop it and run fealty backup again.`);
            }
            throw err;
          }
          try {
            data = await dumpEmbedded(handle);
          } finally {
            await handle.close();
          }
        }
        writeWhole(target, data);
      }
      const bytes = readFileSync(target).length;
      const database = config.databaseUrl ? 'postgres' : 'pglite';
      if (opts.json) printJson({ file: target, bytes, database, via });
      else {
        const what = database === 'postgres' ? 'PostgreSQL database (pg_dump)' : `embedded database in ${config.dataDir}${via === 'server' ? ' (copied by the running server)' : ''}`;
        printLines(`Backed up the ${what} to ${target} (${bytes.toLocaleString('en-US')} bytes).`);
      }
    });

  cli
    .command('restore')
    .description('restore an embedded-database backup made by `fealty backup` into an empty data directory')
    .argument('<file>', 'a backup written by fealty backup (embedded database)')
    .option('--data-dir <dir>', 'the directory to restore into (default: DATA_DIR); must be empty or absent')
    .option('--force', 'replace what the directory holds (never a directory a running server holds)')
    .option('--json', 'print {"dataDir", "programs"} as JSON')
    .addHelpText(
      'after',
      `
Then start the server on it (DATA_DIR=<dir> npm start), and check it: DATA_DIR=<dir> npx fealty doctor.
PostgreSQL backups (pg_dump) are restored with PostgreSQL's tools: ${PG_RESTORE_HINT}.`,
    )
    .action(async (file: string, raw: unknown, command: Command) => {
      const opts = parseOptions(command, restoreOptions, raw);
      const config = loadConfig();
      if (config.databaseUrl && !opts.dataDir) {
        throw new CliFailure(`DATABASE_URL is set: restore a PostgreSQL backup with ${PG_RESTORE_HINT}. To restore an embedded-database backup, name the directory with --data-dir.`);
      }
      const source = resolve(file);
      if (!existsSync(source)) throw new CliFailure(`${source} does not exist.`);
      const data = readFileSync(source);
      if (data[0] !== 0x1f || data[1] !== 0x8b) {
        throw new CliFailure(`${source} is not an embedded-database backup (a .tar.gz written by fealty backup)${data.subarray(0, 5).toString('latin1') === 'PGDMP' ? `; it is a pg_dump archive: restore it with ${PG_RESTORE_HINT}` : ''}.`);
      }
      const dataDir = resolve(opts.dataDir ?? config.dataDir);
      let restored;
      try {
        restored = await restoreEmbedded(data, dataDir, { force: opts.force });
      } catch (err) {
        if (err instanceof RestoreTargetNotEmpty) throw new CliFailure(err.message);
        throw err;
      }
      if (opts.json) printJson({ dataDir, programs: restored.programs });
      else printLines(`Restored ${source} into ${dataDir} (${restored.programs} program${restored.programs === 1 ? '' : 's'}). Check it with: DATA_DIR=${dataDir} npx fealty doctor`);
    });
}
