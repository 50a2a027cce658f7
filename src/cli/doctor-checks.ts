import { sql } from 'drizzle-orm';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFolder, type Database, type Tx } from '../db/database.js';
import { describeError } from './cli-errors.js';
import { ledgerChecks, ledgerSize, overdueLots, PROBLEM_LIMIT } from '../modules/ledger/index.js';

/**
 * What `fealty doctor` checks. Every check is a handful of set-based queries (no loop over
 * wallets or postings), run in its own read-only transaction so one failing check (a table a
 * pending migration would create, say) does not hide the others.
 */

export type DoctorProblem = { message: string } & Record<string, string>;
export type DoctorCheck = { name: string; ok: boolean; details: string; problems: DoctorProblem[] };
export type DoctorReport = { ok: boolean; checks: DoctorCheck[] };

/** Thresholds: how old something may get before it counts as a problem. */
const JOB_GRACE_MS = 60 * 60 * 1000; // maturity/expiry an hour late: the jobs are not running
const QUEUE_GRACE = '15 minutes'; // a pg-boss job waiting that long past its start: no worker
const FAILED_JOBS_WINDOW = '24 hours';
const WEBHOOK_RETRYING_FOR = '1 hour'; // a delivery still failing after an hour of retries
const WEBHOOK_GAVE_UP_WINDOW = '7 days';

const n = (v: number) => v.toLocaleString('en-US');
const plural = (count: number, one: string, many = `${one}s`) => `${n(count)} ${count === 1 ? one : many}`;

const readOnly = <T>(database: Database, fn: (tx: Tx) => Promise<T>) => database.db.transaction(fn, { accessMode: 'read only' });

async function check(name: string, run: () => Promise<Omit<DoctorCheck, 'name' | 'ok'>>): Promise<DoctorCheck> {
  try {
    const r = await run();
    return { name, ok: r.problems.length === 0, ...r };
  } catch (err) {
    return { name, ok: false, details: 'the check could not run', problems: [{ message: `the check could not run: ${describeError(err)}` }] };
  }
}

/** The server answers: its version, and which kind of database this is. */
export async function databaseCheck(database: Database, where: string): Promise<DoctorCheck> {
  const res = await database.handle.pool.query<{ version: string }>(`select current_setting('server_version') as version`);
  const version = res.rows[0].version;
  const details = database.kind === 'pglite' ? `PGlite (embedded PostgreSQL ${version}) in ${where}` : `PostgreSQL ${version} at ${where}`;
  return { name: 'database', ok: true, details, problems: [] };
}

/**
 * The migrations shipped with this version against those recorded as applied (drizzle's own
 * table, matched as its migrator does: by the migration's timestamp, then by content hash).
 */
async function migrationsCheck(database: Database): Promise<DoctorCheck> {
  return check('migrations', async () => {
    const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number; tag: string }[] };
    const files = readMigrationFiles({ migrationsFolder });
    const shipped = journal.entries.map((e, i) => ({ tag: e.tag, when: e.when, hash: files[i]?.hash ?? '' }));
    const exists = await database.handle.pool.query<{ t: string | null }>(`select to_regclass('drizzle.__drizzle_migrations')::text as t`);
    const applied = exists.rows[0].t
      ? (await database.handle.pool.query<{ hash: string; created_at: string | number | bigint }>(`select hash, created_at from drizzle.__drizzle_migrations order by created_at`)).rows.map(
          (r) => ({ hash: r.hash, when: Number(r.created_at) }),
        )
      : [];
    const problems: DoctorProblem[] = [];
    for (const m of shipped) {
      const a = applied.find((x) => x.when === m.when);
      if (!a) problems.push({ message: `migration ${m.tag} is not applied (run: fealty migrate)`, migration: m.tag, state: 'pending' });
      else if (a.hash !== m.hash) problems.push({ message: `migration ${m.tag} was applied from a different file than the one shipped now`, migration: m.tag, state: 'changed' });
    }
    for (const a of applied) {
      if (!shipped.some((m) => m.when === a.when)) {
        problems.push({
          message: `an applied migration (${new Date(a.when).toISOString()}, hash ${a.hash.slice(0, 12)}) is unknown to this version of Fealty: is the database from a newer version?`,
          migration: String(a.when),
          state: 'unknown',
        });
      }
    }
    const pending = problems.filter((p) => p.state === 'pending').length;
    return { details: `${plural(shipped.length, 'migration')} shipped, ${n(applied.length)} applied${pending ? `, ${n(pending)} pending` : ''}`, problems };
  });
}

type ProgramRow = { id: string; name: string; allow_negative: boolean };

async function programsToCheck(database: Database, programId: string | undefined): Promise<ProgramRow[]> {
  const res = await database.handle.pool.query<ProgramRow>(
    `select id, name, allow_negative from programs ${programId ? 'where id = $1' : ''} order by created_at, id`,
    programId ? [programId] : [],
  );
  return res.rows;
}

/** The ledger invariants of every program (or the one named), merged into one entry per invariant. */
async function ledgerInvariantChecks(database: Database, programs: ProgramRow[]): Promise<DoctorCheck[]> {
  const merged = new Map<string, { description: string; count: number; truncated: boolean; problems: DoctorProblem[] }>();
  let size = { transactions: 0, postings: 0, wallets: 0, lots: 0, holds: 0 };
  try {
    for (const p of programs) {
      const [checks, s] = await readOnly(database, async (tx) => [await ledgerChecks(tx, p.id, { allowNegative: p.allow_negative }), await ledgerSize(tx, p.id)] as const);
      size = { transactions: size.transactions + s.transactions, postings: size.postings + s.postings, wallets: size.wallets + s.wallets, lots: size.lots + s.lots, holds: size.holds + s.holds };
      for (const c of checks) {
        const m = merged.get(c.name) ?? { description: c.description, count: 0, truncated: false, problems: [] };
        m.count += c.count;
        m.truncated ||= c.truncated;
        m.problems.push(...c.problems);
        merged.set(c.name, m);
      }
    }
  } catch (err) {
    return [{ name: 'ledger', ok: false, details: 'the ledger could not be checked', problems: [{ message: `the ledger could not be checked: ${describeError(err)}` }] }];
  }
  const scope = `${plural(programs.length, 'program')}: ${plural(size.transactions, 'posting set')}, ${plural(size.postings, 'posting')}, ${plural(size.wallets, 'wallet')}, ${plural(size.lots, 'lot')}, ${plural(size.holds, 'hold')}`;
  // What was looked at is said once, on the first ledger check.
  return [...merged].map(([name, m], i) => {
    const listed = m.truncated ? `; ${n(m.count)} found, the first ${n(PROBLEM_LIMIT)} per program listed` : '';
    return { name, ok: m.problems.length === 0, details: `${m.description}${i === 0 ? ` (${scope})` : ''}${listed}`, problems: m.problems };
  });
}

/** Maturity and expiry keep up, and pg-boss (when it runs the jobs) neither fails nor lags. */
async function jobsCheck(database: Database, programs: ProgramRow[], now: Date): Promise<DoctorCheck> {
  return check('jobs', async () => {
    const problems: DoctorProblem[] = [];
    const before = new Date(now.getTime() - JOB_GRACE_MS);
    for (const p of programs) {
      for (const o of await readOnly(database, (tx) => overdueLots(tx, p.id, before))) {
        if (!o.lots) continue;
        problems.push({
          message: `program ${p.id}: ${plural(o.lots, 'lot')} (amount ${o.amount}) overdue for ${o.what} since ${o.oldest?.toISOString()}: are the jobs running? (see docs/jobs.md; fealty jobs run-due)`,
          programId: p.id,
          job: o.what,
          lots: String(o.lots),
          since: o.oldest?.toISOString() ?? '',
        });
      }
    }
    let runner = 'in-process or cron runner (no pg-boss schema)';
    const boss = await database.handle.pool.query<{ t: string | null }>(`select to_regclass('pgboss.job')::text as t`);
    if (boss.rows[0].t) {
      runner = 'pg-boss';
      const failed = await database.handle.pool.query<{ name: string; jobs: string; last: Date }>(
        `select name, count(*)::text as jobs, max(completed_on) as last from pgboss.job
         where state = 'failed' and completed_on > now() - interval '${FAILED_JOBS_WINDOW}' group by name order by name`,
      );
      for (const f of failed.rows) {
        problems.push({ message: `pg-boss queue ${f.name}: ${f.jobs} failed job(s) in the last ${FAILED_JOBS_WINDOW}, the last at ${new Date(f.last).toISOString()}`, queue: f.name, failed: f.jobs });
      }
      const stuck = await database.handle.pool.query<{ name: string; state: string; jobs: string; oldest: Date }>(
        `select name, state::text, count(*)::text as jobs, min(coalesce(started_on, start_after)) as oldest from pgboss.job
         where (state = 'active' and started_on + expire_in < now() - interval '${QUEUE_GRACE}')
            or (state in ('created', 'retry') and start_after < now() - interval '${QUEUE_GRACE}')
         group by name, state order by name, state`,
      );
      for (const s of stuck.rows) {
        const what = s.state === 'active' ? 'running past their time limit' : 'waiting for a worker';
        problems.push({ message: `pg-boss queue ${s.name}: ${s.jobs} job(s) ${what} since ${new Date(s.oldest).toISOString()}`, queue: s.name, state: s.state, jobs: s.jobs });
      }
    }
    return { details: `maturity and expiry at most an hour late; ${runner}`, problems };
  });
}

/** Webhook deliveries that keep failing, or that were given up recently. */
async function webhooksCheck(database: Database, programs: ProgramRow[]): Promise<DoctorCheck> {
  return check('webhook deliveries', async () => {
    const problems: DoctorProblem[] = [];
    for (const p of programs) {
      const res = await database.handle.pool.query<{ subscription_id: string; url: string; state: string; deliveries: string; oldest: Date; last_status: number | null }>(
        `select d.subscription_id, s.url, d.status as state, count(*)::text as deliveries, min(d.created_at) as oldest,
           (array_agg(d.last_status_code order by d.updated_at desc))[1] as last_status
         from webhook_deliveries d join webhook_subscriptions s on s.program_id = d.program_id and s.id = d.subscription_id
         where d.program_id = $1 and (
           (d.status = 'pending' and d.attempts > 0 and d.created_at < now() - interval '${WEBHOOK_RETRYING_FOR}')
           or (d.status = 'failed' and d.updated_at > now() - interval '${WEBHOOK_GAVE_UP_WINDOW}'))
         group by d.subscription_id, s.url, d.status order by d.subscription_id, d.status`,
        [p.id],
      );
      for (const r of res.rows) {
        const last = r.last_status ? `, last answer HTTP ${r.last_status}` : ', no answer';
        const what = r.state === 'failed' ? `given up in the last ${WEBHOOK_GAVE_UP_WINDOW}` : `still failing after more than ${WEBHOOK_RETRYING_FOR}`;
        problems.push({
          message: `program ${p.id}: webhook ${r.subscription_id} (${r.url}): ${plural(Number(r.deliveries), 'delivery', 'deliveries')} ${what}, the oldest from ${new Date(r.oldest).toISOString()}${last}`,
          programId: p.id,
          subscriptionId: r.subscription_id,
          state: r.state,
          deliveries: r.deliveries,
        });
      }
    }
    return { details: `no delivery retrying for more than ${WEBHOOK_RETRYING_FOR}, none given up in the last ${WEBHOOK_GAVE_UP_WINDOW}`, problems };
  });
}

/** Runs every check after the database one (which the caller runs first: it tells reachable from not). */
export async function runDoctorChecks(database: Database, opts: { programId?: string; now?: Date }): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [await migrationsCheck(database)];
  let programs: ProgramRow[];
  try {
    programs = await programsToCheck(database, opts.programId);
  } catch (err) {
    return [...checks, { name: 'ledger', ok: false, details: 'the programs could not be read', problems: [{ message: `the programs could not be read: ${describeError(err)}` }] }];
  }
  if (opts.programId && !programs.length) {
    return [...checks, { name: 'program', ok: false, details: `program ${opts.programId}`, problems: [{ message: `no program with id "${opts.programId}" (see: fealty program list)`, programId: opts.programId }] }];
  }
  checks.push(...(await ledgerInvariantChecks(database, programs)));
  checks.push(await jobsCheck(database, programs, opts.now ?? new Date()));
  checks.push(await webhooksCheck(database, programs));
  return checks;
}
