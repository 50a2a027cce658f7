/**
 * One bulk grant to many accounts, end to end: preview, create (recipients fixed), run (chunks of
 * GRANT_CHUNK credits per transaction), then a rerun that must grant nothing. Prints the time of
 * each step, the peak memory of the process, and checks the totals against the preview.
 *
 *   npx tsx bench/grants.ts                 # PGlite in memory, 100,000 accounts
 *   DATABASE_URL=postgres://… npx tsx bench/grants.ts
 *   GRANT_RECIPIENTS=20000 npx tsx bench/grants.ts
 */
import { sql } from 'drizzle-orm';
import { migrateDatabase } from '../src/db/database.js';
import type { RequestContext } from '../src/lib/context.js';
import { GRANT_CHUNK } from '../src/modules/grants/index.js';
import { createServices } from '../src/services.js';
import { openBenchDatabase } from './lib.js';

const N = Number(process.env.GRANT_RECIPIENTS ?? 100_000);

async function main() {
  let peakRss = 0;
  let peakHeap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
  };
  const sampler = setInterval(sample, 50);
  const { database, drop } = await openBenchDatabase();
  try {
    await migrateDatabase(database);
    const s = createServices(database);
    const { program } = await s.programs.createProgram({ name: 'grants bench' });
    const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
    await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
    // One in twenty is suspended: excluded, with its reason.
    await database.db.execute(sql`
      insert into accounts (id, program_id, external_id, name, type, segment, status)
      select 'acc_gb_' || i, ${program.id}, 'G-' || lpad(i::text, 7, '0'), 'Company ' || i, 'installer', 'smb', case when i % 20 = 0 then 'suspended' else 'active' end
      from generate_series(1, ${Math.round(N / 0.95)}) as i`);
    const input = { recipients: 'accounts' as const, select: { segments: ['smb'] }, currency: 'points', amount: 250, memo: 'Anniversary' };
    sample();
    const baseRss = process.memoryUsage().rss;
    peakRss = baseRss;

    let t0 = performance.now();
    const preview = await s.grants.preview(program.id, input);
    const previewS = (performance.now() - t0) / 1000;

    t0 = performance.now();
    const created = await s.grants.create(ctx, input, 'bench-grant');
    const createS = (performance.now() - t0) / 1000;

    t0 = performance.now();
    await s.grants.idle();
    const runS = (performance.now() - t0) / 1000;

    t0 = performance.now();
    const rerun = await s.grants.run(program.id, created.body.id);
    const replay = await s.grants.create(ctx, input, 'bench-grant');
    const rerunS = (performance.now() - t0) / 1000;
    sample();

    const [tot] = (
      await database.db.execute(sql`
        select count(*)::int as wallets, coalesce(sum(available), 0)::bigint::text as total
        from wallets where program_id = ${program.id} and owner_type = 'account' and currency = 'points'`)
    ).rows;
    const grant = await s.grants.get(program.id, created.body.id);
    const ok = grant.status === 'completed' && grant.processed === preview.count && Number(tot.wallets) === preview.count && String(tot.total) === String(preview.cost[0].amount) && rerun.granted === 0 && replay.replayed;
    console.log(
      JSON.stringify(
        {
          database: database.kind,
          recipients: preview.count,
          excluded: preview.excluded.total,
          chunk: GRANT_CHUNK,
          seconds: { preview: +previewS.toFixed(2), create: +createS.toFixed(2), run: +runS.toFixed(2), rerunAndReplay: +rerunS.toFixed(2) },
          recipientsPerSecond: Math.round(preview.count / runS),
          peakMemoryMiB: { rss: Math.round(peakRss / 2 ** 20), rssAboveStart: Math.round((peakRss - baseRss) / 2 ** 20), heapUsed: Math.round(peakHeap / 2 ** 20) },
          totals: { wallets: Number(tot.wallets), granted: String(tot.total), preview: preview.cost[0].amount },
          ok,
        },
        null,
        2,
      ),
    );
    if (!ok) process.exitCode = 1;
  } finally {
    clearInterval(sampler);
    await database.close();
    await drop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
