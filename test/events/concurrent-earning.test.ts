import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../src/db/database.js';
import type { EventInput } from '../../src/contracts/events.js';
import type { RuleInput } from '../../src/contracts/rules.js';
import { createTestApp, type TestApp, type TestProgram } from '../support/app.js';

/**
 * Earning under concurrency, through the HTTP API: several `POST /events/batch` calls in flight
 * over the same accounts, caps and budget, and concurrent first purchases of one account. Every
 * call must answer 200 with every item processed (a deadlock or a race on a cap, budget or wallet
 * row is the server's business, never the caller's), and the totals must be exact: caps never
 * exceeded, the budget never overspent, nothing lost, nothing doubled.
 */

const BATCHES = 6;
const PER_BATCH = 120;
const ACCOUNTS = 10;
const CAP = 3000;
const BUDGET = 10_000;

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp({ now: () => new Date('2026-12-31T00:00:00Z') });
});
afterAll(() => t.close());

type Award = { wallet: { accountId?: string; memberId?: string }; currency: string; amount: number; ruleId: string };
type Item = { eventId: string; status: string; awards: Award[]; problem?: unknown };

async function program() {
  const p: TestProgram = await t.newProgram();
  const api = async (method: string, url: string, body?: unknown, expected?: number) => {
    const r = await t.call(p, method, `/api/v1${url}`, body);
    if (expected !== undefined && r.statusCode !== expected) throw new Error(`${method} ${url} → ${r.statusCode}: ${r.body}`);
    return r;
  };
  await api('POST', '/currencies', { code: 'points', name: 'Points', kind: 'points' }, 201);
  await api('POST', '/roles', { code: 'sales', name: 'Sales' }, 201);
  const rule = async (body: RuleInput) => (await api('POST', '/rules', body, 201)).json().id as string;
  return { p, api, rule };
}

async function walletTotal(programId: string): Promise<{ available: bigint; pending: bigint }> {
  return inTransaction(t.database, async (tx) => {
    const r = await tx.execute(sql`select coalesce(sum(available), 0)::text a, coalesce(sum(pending), 0)::text p from wallets where program_id = ${programId} and owner_type <> 'system'`);
    return { available: BigInt(String(r.rows[0].a)), pending: BigInt(String(r.rows[0].p)) };
  });
}

describe('concurrent batches over shared accounts, caps and a budget', () => {
  it('all answer 200, every item processed, totals exact', async () => {
    const { p, api, rule } = await program();
    for (let a = 0; a < ACCOUNTS; a++) {
      await api('POST', '/accounts', { externalId: `C-${a}`, name: `Dealer ${a}`, type: 'dealer', segment: a % 2 ? 'retail' : 'wholesale' }, 201);
      await api('POST', `/accounts/ext:C-${a}/members`, { externalId: `E-${a}`, name: `Seller ${a}`, role: 'sales' }, 201);
    }
    const ids = {
      split: await rule({ name: 'split 1%', eventType: 'purchase', effects: [{ currency: 'points', to: 'split', amount: { '/': [{ var: 'event.amount' }, 100] } }] }),
      promo: await rule({ name: 'promo', eventType: 'purchase', condition: { '==': [{ var: 'event.attributes.promo' }, 'yes'] }, effects: [{ currency: 'points', to: 'account', amount: 100 }] }),
      line: await rule({
        name: 'filters',
        eventType: 'purchase',
        effects: [{ currency: 'points', to: 'member', perLine: { '==': [{ var: 'line.category' }, 'filters'] }, amount: { '*': [{ var: 'line.qty' }, 10] } }],
      }),
      cap: await rule({ name: 'capped 2%', eventType: 'purchase', effects: [{ currency: 'points', to: 'account', amount: { '/': [{ var: 'event.amount' }, 50] }, cap: { per: 'month', scope: 'account', max: CAP } }] }),
      segment: await rule({ name: 'retail', eventType: 'purchase', target: { segments: ['retail'] }, effects: [{ currency: 'points', to: 'account', amount: 50 }] }),
      budget: await rule({ name: 'budgeted', eventType: 'purchase', budget: { currency: 'points', max: BUDGET }, effects: [{ currency: 'points', to: 'account', amount: 40 }] }),
    };

    // Expected totals, computed from the inputs alone: a cap or a budget cuts, so what it grants in
    // total is min(what was wanted, the limit), whatever order the events ran in.
    const want = { split: 0, promo: 0, line: 0, segment: 0, budget: 0 };
    const capWanted = new Map<string, number>();
    const batches: EventInput[][] = [];
    let n = 0;
    for (let b = 0; b < BATCHES; b++) {
      const events: EventInput[] = [];
      for (let i = 0; i < PER_BATCH; i++, n++) {
        // Each batch walks the accounts from a different start, so the batches meet on every account in a different order.
        const a = (i * (b % 2 ? 3 : 7) + b) % ACCOUNTS;
        const amount = 1000 * (1 + (n % 9));
        const month = `2026-${String(1 + (n % 3)).padStart(2, '0')}`;
        const promo = n % 4 === 0;
        const qty = 1 + (n % 5);
        events.push({
          id: `B${b}-${i}`,
          type: 'purchase',
          occurredAt: `${month}-15T10:00:00Z`,
          accountId: `ext:C-${a}`,
          memberId: `ext:E-${a}`,
          amount,
          currency: 'EUR',
          lines: [
            { sku: 'F', category: 'filters', qty, amount: amount / 2 },
            { sku: 'O', category: 'oil', qty: 1, amount: amount / 2 },
          ],
          attributes: promo ? { promo: 'yes' } : {},
        });
        want.split += amount / 100;
        if (promo) want.promo += 100;
        want.line += qty * 10;
        if (a % 2) want.segment += 50;
        want.budget += 40;
        capWanted.set(`${a}|${month}`, (capWanted.get(`${a}|${month}`) ?? 0) + amount / 50);
      }
      batches.push(events);
    }
    const capTotal = [...capWanted.values()].reduce((s, v) => s + Math.min(v, CAP), 0);

    const answers = await Promise.all(batches.map((events) => t.call(p, 'POST', '/api/v1/events/batch', { events })));
    expect(answers.map((r) => r.statusCode)).toEqual(batches.map(() => 200));
    const items = answers.flatMap((r) => r.json().items as Item[]);
    expect(items.filter((i) => i.status !== 'processed')).toEqual([]);
    expect(items).toHaveLength(BATCHES * PER_BATCH);

    const byRule = new Map<string, number>();
    for (const i of items) for (const a of i.awards) byRule.set(a.ruleId, (byRule.get(a.ruleId) ?? 0) + a.amount);
    expect(byRule.get(ids.split)).toBe(want.split);
    expect(byRule.get(ids.promo)).toBe(want.promo);
    expect(byRule.get(ids.line)).toBe(want.line);
    expect(byRule.get(ids.segment)).toBe(want.segment);
    expect(byRule.get(ids.cap)).toBe(capTotal);
    expect(byRule.get(ids.budget)).toBe(Math.min(want.budget, BUDGET));

    // Per account and month the capped rule never gave more than its cap.
    const capPer = new Map<string, number>();
    for (const [b, events] of batches.entries()) {
      for (const [i, e] of events.entries()) {
        const item = answers[b].json().items[i] as Item;
        const k = `${e.accountId}|${e.occurredAt.slice(0, 7)}`;
        for (const a of item.awards) if (a.ruleId === ids.cap) capPer.set(k, (capPer.get(k) ?? 0) + a.amount);
      }
    }
    for (const v of capPer.values()) expect(v).toBeLessThanOrEqual(CAP);

    // The wallets hold exactly what the answers awarded, and the rule's budget says what it spent.
    const total = [...byRule.values()].reduce((s, v) => s + v, 0);
    const w = await walletTotal(p.programId);
    expect(w.available + w.pending).toBe(BigInt(total));
    expect((await api('GET', `/rules/${ids.budget}`, undefined, 200)).json().budgetUsed).toBe(Math.min(want.budget, BUDGET));
    // Replaying every batch changes nothing and answers the same awards.
    const again = await Promise.all(batches.map((events) => t.call(p, 'POST', '/api/v1/events/batch', { events })));
    expect(again.map((r) => r.statusCode)).toEqual(batches.map(() => 200));
    expect(again.flatMap((r) => (r.json().items as Item[]).map((i) => i.awards))).toEqual(items.map((i) => i.awards));
    expect(await walletTotal(p.programId)).toEqual(w);
  }, 120_000);
});

describe('concurrent first purchases of one account', () => {
  it('pay a first-purchase bonus exactly once per account', async () => {
    const { p, api, rule } = await program();
    await rule({ name: 'first purchase', eventType: 'purchase', condition: { '==': [{ var: 'account.stats.purchases' }, 0] }, effects: [{ currency: 'points', to: 'account', amount: 500 }] });
    const ACCTS = 5;
    const EACH = 10;
    for (let a = 0; a < ACCTS; a++) await api('POST', '/accounts', { externalId: `F-${a}`, name: `New ${a}`, type: 'dealer' }, 201);
    const calls: Promise<{ statusCode: number }>[] = [];
    for (let i = 0; i < EACH; i++) {
      for (let a = 0; a < ACCTS; a++) {
        calls.push(t.call(p, 'POST', '/api/v1/events', { id: `F-${a}-${i}`, type: 'purchase', occurredAt: '2026-05-01T10:00:00Z', accountId: `ext:F-${a}`, amount: 1000, currency: 'EUR' }));
      }
    }
    // And a batch per account racing the single events.
    for (let a = 0; a < ACCTS; a++) {
      calls.push(
        t.call(p, 'POST', '/api/v1/events/batch', {
          events: [0, 1, 2].map((j) => ({ id: `FB-${a}-${j}`, type: 'purchase', occurredAt: '2026-05-01T10:00:00Z', accountId: `ext:F-${a}`, amount: 1000, currency: 'EUR' })),
        }),
      );
    }
    const res = await Promise.all(calls);
    expect(res.filter((r) => r.statusCode !== 201 && r.statusCode !== 200)).toEqual([]);
    for (let a = 0; a < ACCTS; a++) {
      const wallets = (await api('GET', `/accounts/ext:F-${a}/wallets`, undefined, 200)).json();
      const points = (wallets.items ?? wallets).find((x: { currency: string }) => x.currency === 'points');
      expect(points?.available).toBe(500);
    }
  }, 60_000);

  it('auto-created accounts: concurrent first events of an unknown account all succeed, one account is created', async () => {
    const { p, api, rule } = await program();
    await api('PATCH', '/program', { autoCreateAccounts: true }, 200);
    await rule({ name: 'first purchase', eventType: 'purchase', condition: { '==': [{ var: 'account.stats.purchases' }, 0] }, effects: [{ currency: 'points', to: 'account', amount: 500 }] });
    const res = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        i % 2
          ? t.call(p, 'POST', '/api/v1/events', { id: `A-${i}`, type: 'purchase', occurredAt: '2026-05-01T10:00:00Z', accountId: 'ext:AUTO-1', amount: 1000, currency: 'EUR' })
          : t.call(p, 'POST', '/api/v1/events/batch', { events: [{ id: `A-${i}`, type: 'purchase', occurredAt: '2026-05-01T10:00:00Z', accountId: 'ext:AUTO-1', amount: 1000, currency: 'EUR' }] }),
      ),
    );
    expect(res.map((r) => r.statusCode).filter((s) => s !== 200 && s !== 201)).toEqual([]);
    for (const r of res) if (r.statusCode === 200) expect(r.json().items[0].status).toBe('processed');
    const wallets = (await api('GET', '/accounts/ext:AUTO-1/wallets', undefined, 200)).json();
    expect((wallets.items ?? wallets).find((x: { currency: string }) => x.currency === 'points')?.available).toBe(500);
  }, 60_000);
});
