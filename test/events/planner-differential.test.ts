import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.js';
import type { EventInput } from '../../src/contracts/events.js';
import type { RuleInput } from '../../src/contracts/rules.js';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';

/**
 * One award planner for every path: the same event sequence gives identical balances, lots,
 * awards and traces through single `POST /events` and through `POST /events/batch`, and a
 * simulation of each rule over the period says exactly what live processing awarded — tier
 * multiplier, first-purchase and 12-month-spend conditions, caps and budget included.
 */

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-12-31T00:00:00Z') });
});
afterAll(() => t.close());

const RULES: RuleInput[] = [
  { name: 'split', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }] },
  { name: 'first', eventType: 'purchase', condition: { '==': [{ var: 'account.stats.purchases' }, 0] }, effects: [{ currency: 'points', to: 'account', amount: 500 }] },
  { name: 'loyal', eventType: 'purchase', condition: { '>=': [{ var: 'account.stats.spend12m' }, 20000] }, effects: [{ currency: 'points', to: 'account', amount: 70, tierMultiplier: false }] },
  { name: 'capped', eventType: 'purchase', effects: [{ currency: 'points', to: 'member', amount: { '/': [{ var: 'event.amount' }, 40] }, cap: { per: 'month', scope: 'account', max: 400 } }] },
  { name: 'budgeted', eventType: 'purchase', budget: { currency: 'points', max: 900 }, effects: [{ currency: 'points', to: 'account', amount: 150 }] },
  { name: 'gold bonus', eventType: 'purchase', target: { tiers: ['gold'] }, effects: [{ currency: 'points', to: 'account', amount: 30 }] },
];

async function program(): Promise<{ p: TestProgram; ruleIds: string[] }> {
  const p = await t.newProgram();
  const api = async (method: string, url: string, body: unknown, expected: number) => {
    const r = await t.call(p, method, `/api/v1${url}`, body);
    if (r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
    return r.json();
  };
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, 201);
  await api('POST', '/roles', { code: 'sales', name: 'Sales' }, 201);
  await api('POST', '/tiers', { code: 'gold', name: 'Gold', rank: 1, qualify: { metric: 'spend', period: { rollingMonths: 12 }, min: 30000 }, benefits: { multiplier: 2 } }, 201);
  for (const a of [0, 1]) {
    await api('POST', '/accounts', { externalId: `C-${a}`, name: `Dealer ${a}`, type: 'dealer' }, 201);
    await api('POST', `/accounts/ext:C-${a}/members`, { externalId: `E-${a}`, name: `Seller ${a}`, role: 'sales' }, 201);
  }
  const ruleIds: string[] = [];
  for (const r of RULES) ruleIds.push((await api('POST', '/rules', r, 201)).id);
  return { p, ruleIds };
}

type Step = { account: number; withMember: boolean; amount: number; day: number; returnOf: number | null; returnPct: number };
const step = fc.record({
  account: fc.integer({ min: 0, max: 1 }),
  withMember: fc.boolean(),
  amount: fc.integer({ min: 1, max: 40 }).map((n) => n * 500),
  day: fc.integer({ min: 0, max: 80 }),
  returnOf: fc.option(fc.nat({ max: 20 }), { freq: 4 }),
  returnPct: fc.integer({ min: 1, max: 100 }),
});

/** The sequence as events: purchases, and returns of an earlier purchase (of part of what is left). */
function eventsOf(steps: Step[]): EventInput[] {
  const out: EventInput[] = [];
  const left = new Map<string, number>();
  const purchases: EventInput[] = [];
  steps.forEach((s, i) => {
    const occurredAt = new Date(Date.UTC(2026, 0, 1) + (i * 81 + s.day) * 3_600_000).toISOString();
    if (s.returnOf !== null && purchases.length) {
      const orig = purchases[s.returnOf % purchases.length];
      const l = left.get(orig.id)!;
      const amount = Math.max(1, Math.floor((l * s.returnPct) / 100));
      if (l >= amount) {
        left.set(orig.id, l - amount);
        out.push({ id: `R-${i}`, type: 'return', occurredAt, accountId: orig.accountId, originalEventId: orig.id, amount });
        return;
      }
    }
    const e: EventInput = { id: `P-${i}`, type: 'purchase', occurredAt, accountId: `ext:C-${s.account}`, ...(s.withMember ? { memberId: `ext:E-${s.account}` } : {}), amount: s.amount, currency: 'EUR' };
    purchases.push(e);
    left.set(e.id, s.amount);
    out.push(e);
  });
  return out;
}

/** Balances and lots per owner (by external id), and each event's awards and trace. */
async function stateOf(p: TestProgram, events: EventInput[]) {
  const ledger = await inTransaction(t.database, async (tx) => {
    const w = await tx.execute(sql`
      select coalesce(a.external_id, m.external_id) as owner, w.available::text, w.pending::text, w.debt::text
      from wallets w left join accounts a on w.owner_type = 'account' and a.id = w.owner_id left join members m on w.owner_type = 'member' and m.id = w.owner_id
      where w.program_id = ${p.programId} and w.owner_type <> 'system' order by 1`);
    const l = await tx.execute(sql`
      select coalesce(a.external_id, m.external_id) as owner, l.status, l.amount::text, l.remaining::text, l.expires_at
      from lots l join wallets w on w.id = l.wallet_id left join accounts a on w.owner_type = 'account' and a.id = w.owner_id left join members m on w.owner_type = 'member' and m.id = w.owner_id
      where l.program_id = ${p.programId} order by 1, 3, 4, 2`);
    return { wallets: w.rows, lots: l.rows };
  });
  const perEvent = [];
  for (const e of events) {
    const d = (await t.call(p, 'GET', `/api/v1/events/${e.id}`)).json();
    perEvent.push({
      id: e.id,
      answer: { ...d.answer, awards: d.answer.awards?.map((a: Record<string, unknown>) => ({ ...a, ruleId: undefined, wallet: Object.keys(a.wallet as object) })), reversals: d.answer.reversals?.map((r: Record<string, unknown>) => ({ ...r, ruleId: undefined, wallet: Object.keys(r.wallet as object) })) },
      // Ids differ between the two programs; everything else must be the same.
      trace: JSON.parse(JSON.stringify(d.trace).replace(/\b(rul|acc|mbr|mem|awd|txn|wal|lot)_[A-Za-z0-9]+/g, '$1')),
    });
  }
  return { ...ledger, perEvent };
}

describe('one award planner', () => {
  it('single events and batches give identical balances, lots, awards and traces', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
        const events = eventsOf(steps);
        const single = await program();
        for (const e of events) {
          const r = await t.call(single.p, 'POST', '/api/v1/events', e);
          expect([201, 422]).toContain(r.statusCode);
        }
        const batch = await program();
        const r = await t.call(batch.p, 'POST', '/api/v1/events/batch', { events });
        expect(r.statusCode).toBe(200);
        const accepted = events.filter((_, i) => r.json().items[i].status === 'processed');
        expect(await stateOf(batch.p, accepted)).toEqual(await stateOf(single.p, accepted));
      }),
      {
        numRuns: 6,
        examples: [[[
          { account: 0, withMember: true, amount: 500, day: 0, returnOf: null, returnPct: 1 },
          { account: 0, withMember: false, amount: 500, day: 0, returnOf: 0, returnPct: 1 },
          { account: 0, withMember: false, amount: 500, day: 0, returnOf: 0, returnPct: 2 },
          { account: 0, withMember: false, amount: 500, day: 0, returnOf: 0, returnPct: 2 },
          { account: 0, withMember: false, amount: 500, day: 0, returnOf: null, returnPct: 1 },
        ]]],
        endOnFailure: true,
      },
    );
  }, 300_000);

  it('refused items in a batch leave nothing behind and the others earn exactly as one by one', async () => {
    // The batch runs its events together and, when one is refused, its chunk again one by one: the outcome must not show it.
    const refused = fc.constantFrom('unknown-account', 'return-too-much', 'id-reused', 'none', 'none');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(step, refused), { minLength: 4, maxLength: 12 }), async (pairs) => {
        const events: EventInput[] = [];
        const base = eventsOf(pairs.map(([s]) => s));
        base.forEach((e, i) => {
          const kind = pairs[i][1];
          const firstPurchase = base.find((x) => x.type === 'purchase');
          if (kind === 'unknown-account') events.push({ ...e, id: `X-${i}`, type: 'purchase', accountId: 'ext:NOPE', memberId: undefined, originalEventId: undefined, amount: 500, currency: 'EUR' });
          if (kind === 'return-too-much' && firstPurchase) events.push({ id: `X-${i}`, type: 'return', occurredAt: e.occurredAt, accountId: firstPurchase.accountId, originalEventId: firstPurchase.id, amount: 1_000_000 });
          if (kind === 'id-reused' && events.length) events.push({ ...events[0], amount: (events[0].amount ?? 0) + 1 });
          events.push(e);
        });
        const single = await program();
        const singleStatus: string[] = [];
        for (const e of events) {
          const r = await t.call(single.p, 'POST', '/api/v1/events', e);
          expect([200, 201, 409, 422]).toContain(r.statusCode);
          singleStatus.push(r.statusCode >= 400 ? 'rejected' : 'processed');
        }
        const batch = await program();
        const r = await t.call(batch.p, 'POST', '/api/v1/events/batch', { events });
        expect(r.statusCode).toBe(200);
        const items = r.json().items as { status: string; problem?: { code: string } }[];
        expect(items.map((x) => x.status)).toEqual(singleStatus);
        const accepted = events.filter((_, i) => items[i].status === 'processed' && !events.slice(0, i).some((x) => x.id === events[i].id));
        expect(await stateOf(batch.p, accepted)).toEqual(await stateOf(single.p, accepted));
        const unknown = await t.call(batch.p, 'GET', '/api/v1/events/X-0');
        if (!events.some((e) => e.id === 'X-0')) expect(unknown.statusCode).toBe(404);
      }),
      { numRuns: 5, endOnFailure: true },
    );
  }, 300_000);

  it('a simulation of each rule over the period says what live processing awarded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 6, maxLength: 16 }), async (steps) => {
        const events = eventsOf(steps).filter((e) => e.type === 'purchase');
        const { p, ruleIds } = await program();
        // Half one at a time, half in one batch: simulation replays both the same way.
        const half = Math.floor(events.length / 2);
        for (const e of events.slice(0, half)) expect((await t.call(p, 'POST', '/api/v1/events', e)).statusCode).toBe(201);
        expect((await t.call(p, 'POST', '/api/v1/events/batch', { events: events.slice(half) })).statusCode).toBe(200);
        const live = new Map<string, number>();
        for (const e of events) for (const a of (await t.call(p, 'GET', `/api/v1/events/${e.id}`)).json().awards) live.set(a.ruleId, (live.get(a.ruleId) ?? 0) + a.amount);
        for (const id of ruleIds) {
          const sim = (await t.call(p, 'POST', `/api/v1/rules/${id}/simulate`, { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z' })).json();
          const simulated = sim.totals.reduce((s: number, x: { amount: number }) => s + x.amount, 0);
          expect({ rule: RULES[ruleIds.indexOf(id)].name, amount: simulated }).toEqual({ rule: RULES[ruleIds.indexOf(id)].name, amount: live.get(id) ?? 0 });
        }
      }),
      { numRuns: 5 },
    );
  }, 300_000);
});
