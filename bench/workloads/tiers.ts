import { sql } from 'drizzle-orm';
import type { Database } from '../../src/db/database.js';
import { createTiersService } from '../../src/modules/tiers/index.js';
import type { RequestContext } from '../../src/lib/context.js';
import { SCALE, type Row, type Services, type Workload } from '../lib.js';

/**
 * The tier evaluation job over many accounts: 10,000 accounts and 100,000 purchases per unit of
 * BENCH_SCALE (BENCH_SCALE=10: 100,000 and 1,000,000), generated with SQL, spread over two years.
 * Four runs: the first promotes, three months later windows have moved (grace periods start),
 * after the grace the downgrades, then a run that finds nothing to do. The series runs twice: the
 * job alone (no webhook publisher), then as the server runs it, each change also written to the
 * webhook outbox. The reference is one aggregate over the same buckets (the least any evaluation reads).
 */
async function reevaluation(database: Database, s: Services): Promise<{ row: Row; detail: Record<string, unknown> }> {
  const accounts = Math.round(10_000 * SCALE);
  const events = Math.round(100_000 * SCALE);
  const { program } = await s.programs.createProgram({ name: 'bench tiers' });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'bench' } };
  const ladder = [
    ['silver', 1, 150000, 3],
    ['gold', 2, 300000, 6],
    ['platinum', 3, 600000, 10],
  ] as const;
  for (const [code, rank, min, discountPercent] of ladder) {
    await s.tiers.createTier(ctx, { code, name: code, rank, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min }, benefits: { discountPercent }, graceDays: 30 });
  }
  const p = program.id;
  const t0 = performance.now();
  const db = database.db;
  await db.execute(sql`
    insert into accounts (id, program_id, external_id, name, type)
    select 'bacc_' || lpad(g::text, 7, '0'), ${p}, 'B-' || g, 'Company ' || g, case when g % 3 = 0 then 'installer' else 'dealer' end
    from generate_series(1, ${accounts}::int) g`);
  // Deterministic spread: each purchase to a pseudo-random account at a pseudo-random second of the two years before July 2026.
  await db.execute(sql`
    insert into events (program_id, id, type, occurred_at, account_id, amount, currency, payload, request_hash, answer, trace)
    select ${p}, 'BE-' || g, 'purchase',
      timestamptz '2026-06-30 23:59:59+00' - make_interval(secs => ((g::bigint * 2654435761) % 63072000)::double precision),
      'bacc_' || lpad((1 + (g::bigint * 7919) % ${accounts}::int)::text, 7, '0'),
      1000 + (g::bigint * 104729) % 99000, 'EUR', '{}'::jsonb, '', '{}'::jsonb, '[]'::jsonb
    from generate_series(1, ${events}::int) g`);
  // What the write path keeps per account and month, and the state row of each account.
  await db.execute(sql`
    insert into tier_metric_buckets (program_id, account_id, month, spend, units, points)
    select program_id, account_id, to_char(occurred_at at time zone 'UTC', 'YYYY-MM'), sum(amount), count(*), sum(amount / 100)
    from events where program_id = ${p} group by 1, 2, 3`);
  await db.execute(sql`
    insert into account_tier_state (account_id, program_id, external_id, account_type, lifetime_spend)
    select a.id, a.program_id, a.external_id, a.type, coalesce((select sum(b.spend) from tier_metric_buckets b where b.account_id = a.id), 0)
    from accounts a where a.program_id = ${p}`);
  await db.execute(sql`analyze`);
  const loadSeconds = (performance.now() - t0) / 1000;

  const series = async (tiers: { reevaluate: typeof s.tiers.reevaluate }) => {
    const out = [];
    for (const at of ['2026-07-01T00:00:00Z', '2026-10-01T00:00:00Z', '2026-11-15T00:00:00Z', '2026-11-15T00:00:00Z']) {
      const start = performance.now();
      const r = await tiers.reevaluate(new Date(at), { programId: p });
      out.push({ at, seconds: (performance.now() - start) / 1000, ...r });
    }
    return out;
  };
  const alone = await series(createTiersService(database, { audit: s.audit, programs: s.programs }));
  // Back to no tier, so that the second series makes the same changes.
  await db.execute(sql`update account_tier_state set tier_code = null, tier_since = null, below_since = null, tier_discount_bp = 0, version = version + 1 where program_id = ${p}`);
  await db.execute(sql`delete from tier_changes where program_id = ${p}`);
  const withOutbox = await series(s.tiers);
  const refStart = performance.now();
  await db.execute(sql`select account_id, sum(spend) from tier_metric_buckets where program_id = ${p} group by account_id`);
  const refSeconds = (performance.now() - refStart) / 1000;
  const slowest = Math.max(...alone.map((r) => r.seconds));
  const detail = { accounts, events, loadSeconds, runs: alone, runsWithWebhookOutbox: withOutbox, referenceSeconds: refSeconds };
  console.log(`\ntier re-evaluation of ${accounts} accounts, ${events} events (data generated in ${loadSeconds.toFixed(1)} s), job alone | with the webhook outbox:`);
  alone.forEach((r, i) => console.log(`  at ${r.at}: ${r.seconds.toFixed(2)} s | ${withOutbox[i].seconds.toFixed(2)} s — promoted ${r.promoted}, grace started ${r.graceStarted}, downgraded ${r.downgraded}`));
  return {
    row: { workload: `tier re-evaluation, ${accounts} accounts (slowest of 4 runs)`, subject: 'tiers.reevaluate', subjectRate: accounts / slowest, reference: 'one aggregate over the buckets', referenceRate: accounts / refSeconds, unit: 'accounts/s' },
    detail,
  };
}

export const tiersWorkload: Workload = {
  name: 'tiers',
  async run({ database, s }) {
    const r = await reevaluation(database, s);
    return { rows: [r.row], detail: { reevaluation: r.detail } };
  },
};
