import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Database } from '../../src/db/database.js';
import { createTestDatabase } from '../support/database.js';

/**
 * The tables of the public schema that are not a program's data, each with why. Every other
 * table is a tenant table: it carries `program_id`, and the schema proves that no row of one
 * program can point at, collide with or be keyed apart from another program's rows — which is
 * also what distributing the tables by `program_id` (Citus) requires.
 */
const GLOBAL_TABLES: Record<string, string> = {
  // The tenants themselves: the root every tenant table refers to (a Citus reference table).
  programs: 'the tenant root',
  // A session is found by the hash of the cookie, before anyone knows which program it belongs to.
  sessions: 'looked up by the cookie hash alone, before the program is known',
  // A portal code may open every program of an address: the program is chosen after the code.
  portal_codes: 'program_id is null until the member picks a program',
  // Sign-in rate limits count per address and per IP address, across programs.
  auth_attempts: 'rate-limit buckets of the sign-in, counted across programs',
  // The periodic jobs' bookkeeping: one row per job for the whole installation.
  job_runs: 'one row per periodic job for the whole installation',
};

type Column = { table: string; column: string; attnum: number };
type Constraint = { table: string; name: string; type: 'p' | 'u' | 'f' | 'c'; columns: string[]; refTable: string | null; refColumns: string[] };
type UniqueIndex = { table: string; name: string; columns: string[]; isConstraint: boolean };

let database: Database;
let tables: string[];
let constraints: Constraint[];
let uniqueIndexes: UniqueIndex[];
const hasProgramId = new Set<string>();

beforeAll(async () => {
  database = await createTestDatabase();
  const q = <T>(text: string) => database.handle.pool.query(text).then((r) => r.rows as T[]);
  tables = (await q<{ name: string }>(`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`)).map((r) => r.name);
  const columns = await q<Column>(`
    select c.relname as "table", a.attname as "column", a.attnum as attnum
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped`);
  for (const c of columns) if (c.column === 'program_id') hasProgramId.add(c.table);
  const nameOf = new Map(columns.map((c) => [`${c.table}.${c.attnum}`, c.column]));
  const raw = await q<{ table: string; name: string; type: Constraint['type']; conkey: number[] | string; reftable: string | null; confkey: number[] | string | null }>(`
    select c.relname as "table", k.conname as name, k.contype as type, k.conkey, r.relname as reftable, k.confkey
    from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace n on n.oid = c.relnamespace
    left join pg_class r on r.oid = k.confrelid
    where n.nspname = 'public' and k.contype in ('p', 'u', 'f', 'c')`);
  // int2[] arrives as an array from pg and as '{1,2}' text from some drivers.
  const nums = (v: number[] | string | null) => (v == null ? [] : Array.isArray(v) ? v.map(Number) : v.replace(/[{}]/g, '').split(',').filter(Boolean).map(Number));
  constraints = raw.map((k) => ({
    table: k.table,
    name: k.name,
    type: k.type,
    columns: nums(k.conkey).map((n) => nameOf.get(`${k.table}.${n}`) ?? `#${n}`),
    refTable: k.reftable,
    refColumns: nums(k.confkey).map((n) => nameOf.get(`${k.reftable}.${n}`) ?? `#${n}`),
  }));
  const idx = await q<{ table: string; name: string; indkey: string; isconstraint: boolean }>(`
    select c.relname as "table", i.relname as name, x.indkey::text as indkey,
           exists (select 1 from pg_constraint k where k.conindid = x.indexrelid) as isconstraint
    from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class c on c.oid = x.indrelid join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and x.indisunique`);
  // indkey is an int2vector ('1 3'); 0 stands for an expression.
  uniqueIndexes = idx.map((i) => ({
    table: i.table,
    name: i.name,
    isConstraint: i.isconstraint,
    columns: i.indkey.split(' ').filter(Boolean).map((n) => (n === '0' ? '(expression)' : (nameOf.get(`${i.table}.${n}`) ?? `#${n}`))),
  }));
});

afterAll(async () => {
  await database?.close();
});

const tenantTables = () => tables.filter((t) => !(t in GLOBAL_TABLES));

describe('tenancy in the catalog', () => {
  it('every table carries program_id, or is a global table with a reason', () => {
    expect(tables.length).toBeGreaterThan(20);
    expect(tenantTables().filter((t) => !hasProgramId.has(t))).toEqual([]);
  });

  it('the list of global tables names only tables that exist', () => {
    expect(Object.keys(GLOBAL_TABLES).filter((t) => !tables.includes(t))).toEqual([]);
  });

  it('every tenant table has a primary key that includes program_id', () => {
    const bad = tenantTables().flatMap((t) => {
      const pk = constraints.find((k) => k.table === t && k.type === 'p');
      if (!pk) return [`${t}: no primary key`];
      return pk.columns.includes('program_id') ? [] : [`${t}: primary key (${pk.columns.join(', ')})`];
    });
    expect(bad).toEqual([]);
  });

  it('every unique constraint and unique index of a tenant table includes program_id', () => {
    const bad = uniqueIndexes.filter((i) => tenantTables().includes(i.table) && !i.columns.includes('program_id')).map((i) => `${i.table}.${i.name} (${i.columns.join(', ')})`);
    expect(bad).toEqual([]);
  });

  it('every tenant table refers to its program', () => {
    const bad = tenantTables().filter((t) => !constraints.some((k) => k.table === t && k.type === 'f' && k.refTable === 'programs' && k.columns.join() === 'program_id' && k.refColumns.join() === 'id'));
    expect(bad).toEqual([]);
  });

  it('every foreign key between tenant tables is composite with program_id on both sides', () => {
    const tenant = new Set(tenantTables());
    const bad = constraints
      .filter((k) => k.type === 'f' && tenant.has(k.table) && k.refTable !== null && tenant.has(k.refTable))
      .filter((k) => {
        const i = k.columns.indexOf('program_id');
        return i < 0 || k.refColumns[i] !== 'program_id';
      })
      .map((k) => `${k.table}.${k.name} (${k.columns.join(', ')}) → ${k.refTable} (${k.refColumns.join(', ')})`);
    expect(bad).toEqual([]);
  });

  it('no global table other than programs is referenced by a tenant table', () => {
    const tenant = new Set(tenantTables());
    const bad = constraints.filter((k) => k.type === 'f' && tenant.has(k.table) && k.refTable !== null && k.refTable !== 'programs' && k.refTable in GLOBAL_TABLES).map((k) => `${k.table}.${k.name} → ${k.refTable}`);
    expect(bad).toEqual([]);
  });
});

describe('balance buckets', () => {
  it('held and pending cannot go below zero; available can (a program may allow negative balances)', async () => {
    const pool = database.handle.pool;
    await pool.query(`insert into programs (id, name, code) values ('prg_catalog', 'Catalog', 'catalog')`);
    await pool.query(`insert into wallets (id, program_id, currency, owner_type, owner_id) values ('wal_catalog', 'prg_catalog', 'PTS', 'account', 'acc_x')`);
    for (const bucket of ['held', 'pending', 'debt']) {
      await expect(pool.query(`update wallets set ${bucket} = -1 where program_id = 'prg_catalog' and id = 'wal_catalog'`)).rejects.toMatchObject({ code: '23514' });
    }
    await pool.query(`update wallets set available = -5 where program_id = 'prg_catalog' and id = 'wal_catalog'`);
  });

  it("a posting of one program cannot land in another program's wallet", async () => {
    const pool = database.handle.pool;
    await pool.query(`insert into programs (id, name, code) values ('prg_other', 'Other', 'other')`);
    await pool.query(`insert into ledger_transactions (id, program_id, kind, idempotency_key, request_hash) values ('ltx_other', 'prg_other', 'adjust', 'k1', 'h1')`);
    await expect(
      pool.query(`insert into postings (program_id, transaction_id, wallet_id, bucket, currency, amount) values ('prg_other', 'ltx_other', 'wal_catalog', 'available', 'PTS', 5)`),
    ).rejects.toMatchObject({ code: '23503' });
  });

  it('a wallet cannot name a program that does not exist', async () => {
    await expect(database.handle.pool.query(`insert into wallets (id, program_id, currency, owner_type, owner_id) values ('wal_orphan', 'prg_nowhere', 'PTS', 'account', 'acc_x')`)).rejects.toMatchObject({ code: '23503' });
  });
});

describe('docs/deployment.md', () => {
  // The "Citus role" table of "Distributing with Citus": first cell the tables (comma-separated, backticks and remarks in parentheses dropped), second cell the role.
  const rows = () => {
    const doc = readFileSync(new URL('../../docs/deployment.md', import.meta.url), 'utf8');
    const section = doc.slice(doc.indexOf('## Distributing with Citus'));
    const table = section.slice(section.indexOf('| tables | Citus role |'), section.indexOf('\n\n', section.indexOf('| tables | Citus role |')));
    return table
      .split('\n')
      .slice(2)
      .map((line) => line.split('|').map((c) => c.trim()))
      .map(([, tablesCell, role]) => ({ role, tables: tablesCell.replace(/\([^)]*\)/g, '').split(',').map((s) => s.replace(/`/g, '').trim()).filter((s) => s && !s.includes('.*')) }));
  };

  it('lists every tenant table as distributed by program_id, every global table as a reference or local table, and no table that does not exist', () => {
    const listed = rows();
    const distributed = new Set(listed.filter((r) => r.role.startsWith('distributed by `program_id`')).flatMap((r) => r.tables));
    const others = new Set(listed.filter((r) => !r.role.startsWith('distributed')).flatMap((r) => r.tables));
    expect(distributed.size).toBeGreaterThan(20);
    expect({
      tenantTablesNotListedAsDistributed: tenantTables().filter((t) => !distributed.has(t)),
      globalTablesNotListedAsReferenceOrLocal: Object.keys(GLOBAL_TABLES).filter((t) => !others.has(t)),
      listedButNotInTheSchema: [...distributed, ...others].filter((t) => !tables.includes(t)),
    }).toEqual({ tenantTablesNotListedAsDistributed: [], globalTablesNotListedAsReferenceOrLocal: [], listedButNotInTheSchema: [] });
  });
});
