import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction, type Database } from '../../../db/database.js';
import type { RequestContext } from '../../../lib/context.js';
import { DomainError } from '../../../lib/domain-error.js';
import { createServices, type Services } from '../../../services.js';
import { createTestDatabase } from '../../../../test/support/database.js';

/**
 * The ledger property test, extended to rewards: random sequences of credits, redemptions and
 * approve/fulfil/cancel/reject steps (refused ones included). Every answer must be what a plain
 * model predicts (the right refusal code, or success), and at the end the ledger invariants hold,
 * each reward's stock = initial − fulfilled − open units, and each wallet holds exactly the cost of
 * its open redemptions and has spent exactly the cost of its fulfilled ones.
 */
let database: Database;
let s: Services;
beforeAll(async () => {
  database = await createTestDatabase();
  s = createServices(database);
});
afterAll(() => database.close());

type Status = 'pending_approval' | 'requested' | 'approved' | 'fulfilled' | 'cancelled' | 'rejected';
const OWNERS = [
  { ref: { accountId: 'ext:A' }, type: 'dealer' },
  { ref: { memberId: 'ext:alice' }, type: 'dealer' },
  { ref: { memberId: 'ext:bob' }, type: 'dealer' },
  { ref: { accountId: 'ext:B' }, type: 'distributor' },
] as const;
const REWARDS = [
  { name: 'Mug', cost: 30, stock: 4 as number | null, autoApprove: false, dealersOnly: false },
  { name: 'Jacket', cost: 45, stock: 2 as number | null, autoApprove: true, dealersOnly: false },
  { name: 'Dealer day', cost: 10, stock: null as number | null, autoApprove: false, dealersOnly: true },
];
const NEXT: Record<'approve' | 'fulfil' | 'cancel' | 'reject', { from: Status[]; to: Status }> = {
  approve: { from: ['requested'], to: 'approved' },
  fulfil: { from: ['approved'], to: 'fulfilled' },
  cancel: { from: ['requested', 'approved'], to: 'cancelled' },
  reject: { from: ['requested', 'approved'], to: 'rejected' },
};

const op = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('credit' as const), w: fc.integer({ min: 0, max: 3 }), amount: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constant('redeem' as const), w: fc.integer({ min: 0, max: 3 }), r: fc.integer({ min: 0, max: 2 }), qty: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 5, arbitrary: fc.record({ op: fc.constantFrom('approve' as const, 'fulfil' as const, 'cancel' as const, 'reject' as const), i: fc.nat() }) },
);
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** What the runs did, so a generator that only ever produces refusals is noticed. */
const seen = new Map<string, number>();

async function runSequence(ops: Op[]) {
  const { program } = await s.programs.createProgram({ name: 'rewards-prop' });
  const ctx: RequestContext = { programId: program.id, actor: { type: 'system', id: 'property-test' } };
  await s.programs.createCurrency(ctx, { code: 'points', name: 'Points', kind: 'points' });
  await s.programs.createRole(ctx, { code: 'staff', name: 'Staff' });
  await s.accounts.createAccount(ctx, { externalId: 'A', name: 'A', type: 'dealer' });
  await s.accounts.createAccount(ctx, { externalId: 'B', name: 'B', type: 'distributor' });
  await s.accounts.createMember(ctx, 'ext:A', { externalId: 'alice', name: 'Alice', role: 'staff' });
  await s.accounts.createMember(ctx, 'ext:A', { externalId: 'bob', name: 'Bob', role: 'staff' });
  const rewardIds: string[] = [];
  for (const r of REWARDS) {
    const created = await s.rewards.catalog.createReward(ctx, {
      name: r.name,
      kind: 'gift',
      cost: { currency: 'points', amount: r.cost },
      ...(r.stock === null ? {} : { stock: r.stock }),
      autoApprove: r.autoApprove,
      ...(r.dealersOnly ? { eligibility: { accountTypes: ['dealer'] } } : {}),
    });
    rewardIds.push(created.id);
  }

  // The model.
  const balance = OWNERS.map(() => 0);
  const stock = REWARDS.map((r) => r.stock);
  const made: { id: string; w: number; r: number; qty: number; cost: number; status: Status }[] = [];
  let k = 0;
  for (const [w, o] of OWNERS.entries()) {
    await s.wallets.adjust(ctx, { ...o.ref, currency: 'points', amount: 150, reason: 'opening balance' }, `open${w}`);
    balance[w] = 150;
  }

  for (const o of ops) {
    if (o.op === 'credit') {
      const ref = OWNERS[o.w].ref;
      await s.wallets.adjust(ctx, { ...ref, currency: 'points', amount: o.amount, reason: 'property credit' }, `c${k++}`);
      balance[o.w] += o.amount;
      continue;
    }
    let expected: string;
    let outcome: string;
    if (o.op === 'redeem') {
      const reward = REWARDS[o.r];
      const cost = reward.cost * o.qty;
      const left = stock[o.r];
      expected =
        reward.dealersOnly && OWNERS[o.w].type !== 'dealer' ? 'NOT_ELIGIBLE' : left !== null && left < o.qty ? 'OUT_OF_STOCK' : balance[o.w] < cost ? 'INSUFFICIENT_BALANCE' : 'ok';
      try {
        const res = await s.rewards.redemptions.redeem(ctx, { ...OWNERS[o.w].ref, rewardId: rewardIds[o.r], qty: o.qty }, `r${k++}`);
        outcome = 'ok';
        expect(res.body.status).toBe(reward.autoApprove ? 'approved' : 'requested');
        made.push({ id: res.body.id, w: o.w, r: o.r, qty: o.qty, cost, status: res.body.status });
        balance[o.w] -= cost;
        if (left !== null) stock[o.r] = left - o.qty;
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        outcome = err.code;
      }
    } else {
      if (!made.length) continue;
      const d = made[o.i % made.length];
      const rule = NEXT[o.op];
      expected = rule.from.includes(d.status) ? 'ok' : 'WRONG_STATE';
      try {
        const res = await s.rewards.redemptions.transition(ctx, d.id, o.op, {});
        outcome = 'ok';
        expect(res.body.status).toBe(rule.to);
        d.status = rule.to;
        if (rule.to === 'cancelled' || rule.to === 'rejected') {
          balance[d.w] += d.cost;
          const left = stock[d.r];
          if (left !== null) stock[d.r] = left + d.qty;
        }
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        outcome = err.code;
      }
    }
    expect({ op: o, outcome }).toEqual({ op: o, outcome: expected });
    const label = `${o.op}:${outcome}`;
    seen.set(label, (seen.get(label) ?? 0) + 1);
  }

  const open = (x: { status: Status }) => x.status === 'requested' || x.status === 'approved';
  for (const [i, id] of rewardIds.entries()) {
    const initial = REWARDS[i].stock;
    const taken = made.filter((d) => d.r === i && (open(d) || d.status === 'fulfilled')).reduce((a, d) => a + d.qty, 0);
    expect((await s.rewards.catalog.getReward(program.id, id)).stock).toBe(initial === null ? null : initial - taken);
  }
  for (const [w, o] of OWNERS.entries()) {
    const wallets = await s.wallets.walletsOf(program.id, o.ref);
    const pts = wallets.find((x) => x.currency === 'points') ?? { available: 0, held: 0 };
    const held = made.filter((d) => d.w === w && open(d)).reduce((a, d) => a + d.cost, 0);
    expect({ w, available: pts.available, held: pts.held }).toEqual({ w, available: balance[w], held });
  }
  for (const d of made) expect((await s.rewards.redemptions.get(program.id, d.id)).status).toBe(d.status);
  expect(await inTransaction(database, (tx) => s.ledger.checkInvariants(tx, program.id))).toEqual([]);
}

describe('rewards keep the ledger and stock invariants under random operation sequences', () => {
  it('with a fixed seed', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 35 }), runSequence), { numRuns: 18, seed: 5_2026 });
    for (const label of ['redeem:ok', 'redeem:OUT_OF_STOCK', 'redeem:INSUFFICIENT_BALANCE', 'redeem:NOT_ELIGIBLE', 'approve:ok', 'fulfil:ok', 'cancel:ok', 'reject:ok', 'fulfil:WRONG_STATE', 'cancel:WRONG_STATE']) {
      expect(seen.get(label) ?? 0, label).toBeGreaterThan(0);
    }
  }, 240_000);
  it('with fresh seeds', async () => {
    await fc.assert(fc.asyncProperty(fc.array(op, { minLength: 5, maxLength: 30 }), runSequence), { numRuns: 8 });
  }, 240_000);
});
