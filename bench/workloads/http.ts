import { sql } from 'drizzle-orm';
import { inTransaction } from '../../src/db/database.js';
import { buildApp } from '../../src/http/app.js';
import { load, type BenchContext, type LoadResult, type Row, type Workload } from '../lib.js';

/** A real listening server on the bench's services (`app.listen({port: 0})`), closed after `fn`. */
async function withServer<T>({ database, s }: BenchContext, fn: (base: string) => Promise<T>): Promise<T> {
  const app = await buildApp({ config: { logLevel: 'silent', bodyLimitBytes: 1024 * 1024, dbKind: database.kind }, services: s, logger: false });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    return await fn(base);
  } finally {
    await app.close();
  }
}

function httpRow(workload: string, subject: string, r: LoadResult, health: LoadResult): Row {
  if (health.non2xx || r.non2xx || health.errors || r.errors) throw new Error(`HTTP load had failures: ${JSON.stringify({ health, r })}`);
  return { workload, subject, subjectRate: r.rps, reference: 'GET /health', referenceRate: health.rps, unit: 'req/s', subjectP99Ms: r.p99, referenceP99Ms: health.p99 };
}

/**
 * The checkout path: `GET /accounts/:id/discount` over HTTP from 32 concurrent clients, rotating
 * over the accounts, against `GET /health` (one `select 1`) on the same server.
 */
export const checkoutWorkload: Workload = {
  name: 'checkout',
  async run(b) {
    const { s, ctx, accounts, apiKey } = b;
    await s.tiers.createTier(ctx, { code: 'silver', name: 'Silver', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 50000 }, benefits: { discountPercent: 3, multiplier: 1.25 } });
    await s.tiers.createTier(ctx, { code: 'gold', name: 'Gold', rank: 2, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 200000 }, benefits: { discountPercent: 7.5, multiplier: 1.5 } });
    await s.tiers.putAccumulative(ctx, { steps: [{ minSpend: 20000, discountPercent: 2 }, { minSpend: 400000, discountPercent: 8 }] });
    // One purchase per account, so that every account has the state row the checkout reads.
    const r = await s.events.processBatch(ctx, Array.from({ length: accounts }, (_, i) => ({ id: `EV3-${i}`, type: 'purchase', occurredAt: new Date().toISOString(), accountId: `ext:C-${i}`, amount: 1000 * (i + 1), currency: 'EUR' })));
    if (r.items.some((x) => x.status !== 'processed')) throw new Error('bench event rejected');
    return withServer(b, async (base) => {
      const health = await load(base, ['/health'], {});
      const discount = await load(base, Array.from({ length: accounts }, (_, i) => `/api/v1/accounts/ext:C-${i}/discount`), { authorization: `Bearer ${apiKey}` });
      return { rows: [httpRow('checkout discount over HTTP (32 clients)', 'GET /accounts/:id/discount', discount, health)] };
    });
  },
};

/**
 * A member's wallets, as the portal and an ERP read them: `GET /members/:id/wallets` over HTTP from
 * 32 clients rotating over every member, each with three lots (two with expiry dates, one pending),
 * against `GET /health` on the same server.
 */
export const walletsWorkload: Workload = {
  name: 'wallets',
  async run(b) {
    const { database, s, ctx, accounts, apiKey } = b;
    const members = (await database.db.execute(sql`select id, account_id from members where program_id = ${ctx.programId} order by external_id`)).rows;
    const day = 86_400_000;
    const base = Date.UTC(2027, 0, 1);
    for (const [i, m] of members.entries()) {
      const to = { type: 'member' as const, memberId: String(m.id), accountId: String(m.account_id) };
      const legs = [
        { to, currency: 'points', amount: 100n + BigInt(i), expiresAt: new Date(base + (i % 90) * day) },
        { to, currency: 'points', amount: 50n, expiresAt: new Date(base + 365 * day) },
        { to, currency: 'points', amount: 30n, availableAt: new Date(Date.now() + 30 * day) },
      ];
      for (const [k, leg] of legs.entries()) {
        await inTransaction(database, (tx) => s.ledger.credit(tx, ctx, { kind: 'earn', source: 'issuance', idempotencyKey: `bw:${i}:${k}`, legs: [leg] }));
      }
    }
    return withServer(b, async (url) => {
      const health = await load(url, ['/health'], {});
      const wallets = await load(url, Array.from({ length: accounts }, (_, i) => `/api/v1/members/ext:E-${i}/wallets`), { authorization: `Bearer ${apiKey}` });
      return { rows: [httpRow('member wallets over HTTP (32 clients)', 'GET /members/:id/wallets', wallets, health)] };
    });
  },
};
