import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/app.js';
import type { RequestContext } from '../../lib/context.js';
import { createTiersService } from './tiers.service.js';

/** The evaluation job under repetition and concurrency, and events racing on one account. */

let clock = new Date('2026-01-10T00:00:00Z');
let t: TestApp;
let ctx: RequestContext;
const N = 40;

const count = async (q: ReturnType<typeof sql>) => Number((await t.database.db.execute<{ n: number }>(q)).rows[0].n);

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  const p = await t.newProgram('Job');
  ctx = { programId: p.programId, actor: { type: 'system', id: 'test' } };
  const s = t.services;
  await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
  await s.tiers.createTier(ctx, { code: 'silver', name: 'Silver', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 1 }, min: 1000 }, benefits: { discountPercent: 3 }, graceDays: 0 });
  await s.tiers.createTier(ctx, { code: 'gold', name: 'Gold', rank: 2, qualify: { metric: 'spend', period: { rollingMonths: 1 }, min: 5000 }, benefits: { discountPercent: 6 }, graceDays: 0 });
  for (let i = 0; i < N; i++) {
    await s.accounts.createAccount(ctx, { externalId: `J-${i}`, name: `J ${i}`, type: 'dealer' });
    await s.events.process(ctx, { id: `J-E-${i}`, type: 'purchase', occurredAt: clock.toISOString(), accountId: `ext:J-${i}`, amount: 1000 + (i % 2) * 5000, currency: 'EUR' });
  }
});
afterAll(() => t.close());

describe('the evaluation job', () => {
  it('promoted every account on its event', async () => {
    expect(await count(sql`select count(*)::int as n from account_tier_state where program_id = ${ctx.programId} and tier_code is not null`)).toBe(N);
    expect(await count(sql`select count(*)::int as n from tier_changes where program_id = ${ctx.programId}`)).toBe(N);
  });

  it('downgrades each account exactly once when two runs overlap, and a third run changes nothing', async () => {
    clock = new Date('2026-02-01T00:00:00Z');
    const [a, b] = await Promise.all([t.services.tiers.reevaluate(clock), t.services.tiers.reevaluate(clock)]);
    expect(a.downgraded + b.downgraded).toBe(N);
    expect(await count(sql`select count(*)::int as n from tier_changes where program_id = ${ctx.programId} and reason = 'grace_expired'`)).toBe(N);
    expect(await count(sql`select count(*)::int as n from account_tier_state where program_id = ${ctx.programId} and tier_code is not null`)).toBe(0);
    const third = await t.services.tiers.reevaluate(clock);
    expect(third).toMatchObject({ promoted: 0, downgraded: 0, graceStarted: 0 });
    expect(third.accounts).toBeGreaterThanOrEqual(N);
  });

  it('counts every one of many concurrent events on one account, promoting step by step', async () => {
    const s = t.services;
    await Promise.all(Array.from({ length: 12 }, (_, i) => s.events.process(ctx, { id: `C-E-${i}`, type: 'purchase', occurredAt: clock.toISOString(), accountId: 'ext:J-0', amount: 500, currency: 'EUR' })));
    const tier = await s.tiers.accountTier(ctx.programId, 'ext:J-0');
    expect(tier).toMatchObject({ tier: 'gold', metricValue: 6000 });
    // The history is one chain (each change starts where the one before it ended): no lost or doubled promotion.
    const history = (await s.tiers.changes(ctx.programId, 'ext:J-0', { limit: 10 })).items.reverse();
    expect(history.map((c) => c.to)).toEqual(['silver', null, 'silver', 'gold']);
    history.slice(1).forEach((c, i) => expect(c.from).toBe(history[i].to));
  });

  it('publishes tier.changed for every change of the tier an account enjoys, in the transaction that makes it', async () => {
    const sent: { type: string; data: Record<string, unknown> }[] = [];
    const tiers = createTiersService(t.database, {
      audit: t.services.audit,
      programs: t.services.programs,
      now: () => clock,
      emit: async (tx, programId, type, data) => {
        // Inside the caller's transaction: the change it announces is already visible there.
        const { rows } = await tx.execute<{ n: number }>(sql`select count(*)::int as n from tier_changes where program_id = ${programId} and account_id = ${String(data.accountId)}`);
        sent.push({ type, data: { ...data, changesSoFar: rows[0].n } });
      },
    });
    await tiers.setOverride(ctx, 'ext:J-2', { tier: 'gold', expiresAt: '2026-02-15T00:00:00Z', reason: 'test' });
    await tiers.reevaluate(new Date('2026-02-15T00:00:00Z'), { programId: ctx.programId });
    const mine = sent.filter((m) => m.data.accountId === sent[0].data.accountId);
    expect(mine.map((m) => [m.type, m.data.from, m.data.to, m.data.reason])).toEqual([
      ['tier.changed', null, 'gold', 'override_set'],
      ['tier.changed', 'gold', null, 'override_expired'],
    ]);
    expect(mine[1].data.changesSoFar).toBe(Number(mine[0].data.changesSoFar) + 1);
  });

  it('leaves alone a row an event changed while the job waited for it', async (c) => {
    if (t.database.kind !== 'postgres') return c.skip();
    // J-1 held gold in January and is at zero in March: the job would downgrade it. An event
    // transaction holds its row; the job waits, the event promotes it and commits; the job must not undo that.
    clock = new Date('2026-03-01T00:00:00Z');
    const id = (await t.services.accounts.getAccount(ctx.programId, 'ext:J-1')).id;
    await t.database.db.execute(sql`update account_tier_state set tier_code = 'gold', tier_since = '2026-01-10', below_since = null where account_id = ${id}`);
    const client = await t.database.handle.pool.connect();
    try {
      await client.query('begin');
      await client.query('select 1 from account_tier_state where account_id = $1 for update', [id]);
      const job = t.services.tiers.reevaluate(clock, { programId: ctx.programId });
      await new Promise((r) => setTimeout(r, 300));
      await client.query(`update account_tier_state set tier_code = 'gold', tier_since = now(), version = version + 1 where account_id = $1`, [id]);
      await client.query('commit');
      await job;
    } finally {
      client.release();
    }
    expect((await t.services.tiers.accountTier(ctx.programId, 'ext:J-1')).tier).toBe('gold');
  });

  it('sees what an event of another month committed while its own event waited for the account', async (c) => {
    if (t.database.kind !== 'postgres') return c.skip();
    // An event's bookkeeping is one statement, whose snapshot predates its wait for the state row:
    // March spend committed meanwhile must still count towards the two-month window of April.
    clock = new Date('2026-04-10T00:00:00Z');
    await t.services.tiers.putLadder(ctx, 'race', { accountTypes: ['racer'] });
    await t.services.tiers.createTier(ctx, { code: 'race-gold', name: 'Race gold', ladder: 'race', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 2 }, min: 1000 } });
    const account = await t.services.accounts.createAccount(ctx, { externalId: 'R-1', name: 'R 1', type: 'racer' });
    const client = await t.database.handle.pool.connect();
    try {
      await client.query('begin');
      await client.query(`insert into account_tier_state (account_id, program_id, external_id, account_type, lifetime_spend) values ($1, $2, 'R-1', 'racer', 600)`, [account.id, ctx.programId]);
      await client.query(`insert into tier_metric_buckets (program_id, account_id, month, spend) values ($1, $2, '2026-03', 600)`, [ctx.programId, account.id]);
      const event = t.services.events.process(ctx, { id: 'R-E-1', type: 'purchase', occurredAt: clock.toISOString(), accountId: 'ext:R-1', amount: 500, currency: 'EUR' });
      await new Promise((r) => setTimeout(r, 300));
      await client.query('commit');
      await event;
    } finally {
      client.release();
    }
    expect(await t.services.tiers.accountTier(ctx.programId, 'ext:R-1')).toMatchObject({ tier: 'race-gold', metricValue: 1100, lifetimeSpend: 1100 });
  });
});
