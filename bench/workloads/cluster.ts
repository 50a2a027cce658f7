import { sql } from 'drizzle-orm';
import { inTransaction } from '../../src/db/database.js';
import type { RequestContext } from '../../src/lib/context.js';
import { SCALE, child, startServerProcess, type Workload } from '../lib.js';

type PhaseResult = { seconds: number; count: number; rps: number; points: number; retries: number; statuses: Record<string, number>; perTarget: { url: string; requests: number; rps: number; p99: number }[] };

const HOT_ACCOUNTS = 25; // odd: every account gets requests through both servers
const CONNECTIONS = 16;

/**
 * Two server processes on one PostgreSQL (PostgreSQL only): real `src/main.ts` processes on their
 * own ports and the bench's scratch database, the first with the jobs scheduler (pg-boss), the
 * second with FEALTY_JOBS=off. A load generator in a third process sends purchases (POST /events,
 * one rule: a point per euro to the account) and manual credits (POST /adjustments with an
 * Idempotency-Key) on 25 hot accounts: first all to one server, then split between both (every
 * account through both, so they contend for the same wallet rows), then each of 200 requests to both
 * servers at the same moment (a duplicate delivery). Then: the ledger's invariants hold, and the
 * accounts' balances are exactly what was sent, each request counted once.
 */
export const clusterWorkload: Workload = {
  name: 'cluster',
  async run({ database, s, databaseUrl }) {
    if (!databaseUrl) {
      console.log('\ntwo servers on one database: skipped: needs PostgreSQL (DATABASE_URL); PGlite is one process');
      return { rows: [], detail: { cluster: 'skipped: needs PostgreSQL' } };
    }
    const { program, apiKey } = await s.programs.createProgram({ name: 'bench cluster' });
    const p = program.id;
    const ctx: RequestContext = { programId: p, actor: { type: 'system', id: 'bench' } };
    await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
    await s.rules.create(ctx, { name: 'a point per euro', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 100] } }] });
    for (let i = 0; i < HOT_ACCOUNTS; i++) await s.accounts.createAccount(ctx, { externalId: `K-${i}`, name: `Hot ${i}`, type: 'dealer' });
    const accounts = Array.from({ length: HOT_ACCOUNTS }, (_, i) => `ext:K-${i}`);
    const N = Math.round(1000 * SCALE);

    const a = await startServerProcess({ DATABASE_URL: databaseUrl, FEALTY_JOBS: 'on' });
    const b = await startServerProcess({ DATABASE_URL: databaseUrl, FEALTY_JOBS: 'off' }).catch(async (err: unknown) => {
      await a.stop();
      throw err;
    });
    let one: PhaseResult, two: PhaseResult, dup: PhaseResult;
    try {
      const phase = (name: string, targets: string[], mode: 'split' | 'duplicate', count: number) =>
        child<PhaseResult>('bench/cluster-load.ts', { targets, apiKey, phase: name, count, connections: CONNECTIONS, accounts, mode });
      // A short warm-up on each server (JIT, connection pools, the API key cache), not counted separately: its effects are checked too.
      const warm = await phase('warm', [a.url, b.url], 'split', 100);
      one = await phase('one', [a.url], 'split', N);
      two = await phase('two', [a.url, b.url], 'split', N);
      dup = await phase('dup', [a.url, b.url], 'duplicate', 200);
      one.points += warm.points;
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }

    const sent = one.points + two.points + dup.points;
    const held = BigInt(String((await database.db.execute(sql`select coalesce(sum(available), 0)::bigint as n from wallets where program_id = ${p} and owner_type = 'account'`)).rows[0].n));
    const counts = (await database.db.execute(sql`
      select (select count(*)::int from events where program_id = ${p}) as events,
             (select count(*)::int from ledger_transactions where program_id = ${p} and kind = 'adjust') as adjustments`)).rows[0];
    const problems = await inTransaction(database, (tx) => s.ledger.checkInvariants(tx, p));
    // Request i of a phase is a purchase when floor(i / 2) is even (bench/cluster-load.ts).
    const purchases = (n: number) => Array.from({ length: n }, (_, i) => i).filter((i) => Math.floor(i / 2) % 2 === 0).length;
    const total = 100 + N + N + 200;
    const ev = purchases(100) + 2 * purchases(N) + purchases(200);
    const expected = { events: ev, adjustments: total - ev };
    const exact = held === BigInt(sent) && Number(counts.events) === expected.events && Number(counts.adjustments) === expected.adjustments;
    const detail = {
      requestsPerPhase: N,
      oneServer: one,
      twoServers: two,
      duplicateDelivery: dup,
      pointsSent: sent,
      pointsHeld: Number(held),
      events: Number(counts.events),
      adjustments: Number(counts.adjustments),
      expected,
      invariantProblems: problems,
    };
    const fmt = (r: PhaseResult) => r.perTarget.map((t) => `${t.rps.toFixed(0)} req/s (p99 ${t.p99} ms)`).join(' + ');
    console.log(`\ntwo servers on one PostgreSQL, ${N} requests per phase, ${CONNECTIONS} connections, ${HOT_ACCOUNTS} hot accounts:`);
    console.log(`  one server:  ${fmt(one)} = ${one.rps.toFixed(0)} req/s, ${one.retries} retries`);
    console.log(`  two servers: ${fmt(two)} = ${two.rps.toFixed(0)} req/s, ${two.retries} retries`);
    console.log(`  duplicate delivery of 200 requests to both: answers ${JSON.stringify(dup.statuses)}`);
    console.log(`  points sent ${sent}, held ${held}; ${counts.events} events, ${counts.adjustments} adjustments (expected ${expected.events}, ${expected.adjustments}); invariants: ${problems.length ? problems.slice(0, 3).join('; ') : 'hold'}`);
    if (!exact || problems.length) throw new Error(`two servers: effects not counted exactly once: ${JSON.stringify(detail)}`);
    return {
      rows: [{ workload: 'two server processes, one PostgreSQL (16 clients)', subject: 'events + adjustments on 2 servers', subjectRate: two.rps, reference: '1 server', referenceRate: one.rps, unit: 'req/s' }],
      detail: { cluster: detail },
    };
  },
};
