import { readFileSync } from 'node:fs';
import pg from 'pg';
import { inject } from 'vitest';
import { wrap, type Database } from '../../src/db/database.js';
import { openPglite, openPostgres } from '../../src/db/pool.js';

let counter = 0;

/** A fresh, migrated database for one test file: a loaded PGlite snapshot, or a clone of the PostgreSQL template. */
export async function createTestDatabase(): Promise<Database> {
  const template = inject('pgTemplate');
  if (template) {
    const url = process.env.DATABASE_URL!;
    const name = `fealty_t_${process.ppid}_${process.pid}_${counter++}_${Date.now().toString(36)}`.toLowerCase();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // CREATE DATABASE … TEMPLATE fails if another session is copying the same template at that instant.
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`create database ${name} template ${template}`);
        break;
      } catch (err) {
        if (attempt > 20) throw err;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
    await admin.end();
    const u = new URL(url);
    u.pathname = `/${name}`;
    return wrap(openPostgres(u.toString(), 40));
  }
  const snapshot = readFileSync(inject('pgliteSnapshot'));
  return wrap(await openPglite({ dataDir: 'memory://', loadDataDir: new Blob([snapshot]) }));
}
