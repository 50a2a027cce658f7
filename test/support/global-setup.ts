import { writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateDatabase, wrap } from '../../src/db/database.js';
import { openPglite } from '../../src/db/pool.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteSnapshot: string;
    pgTemplate: string;
  }
}

/**
 * Migrates once per run. On PGlite the migrated database is dumped to a file that every
 * test file loads (about half a second instead of migrating again); on PostgreSQL
 * (DATABASE_URL) a migrated template database is cloned per test file.
 */
export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (url) {
    const template = `fealty_tpl_${process.pid}_${Date.now().toString(36)}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${template}`);
    const tplUrl = new URL(url);
    tplUrl.pathname = `/${template}`;
    const { openPostgres } = await import('../../src/db/pool.js');
    const db = wrap(openPostgres(tplUrl.toString(), 1));
    await migrateDatabase(db);
    await db.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteSnapshot', '');
    return async () => {
      const { rows } = await admin.query<{ datname: string }>(`select datname from pg_database where datname like $1`, [`fealty_t_${process.pid}_%`]);
      for (const r of rows) await admin.query(`drop database if exists ${r.datname} with (force)`);
      await admin.query(`drop database if exists ${template} with (force)`);
      await admin.end();
    };
  }
  const handle = await openPglite({ dataDir: 'memory://' });
  await migrateDatabase(wrap(handle));
  const dump = await handle.pglite!.dumpDataDir('none');
  await handle.close();
  const dir = join(tmpdir(), 'fealty-test');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `snapshot-${process.pid}.tar`);
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  project.provide('pgliteSnapshot', file);
  project.provide('pgTemplate', '');
}
